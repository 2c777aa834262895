"""People CSV uploads (the import page and the API): the limits, and where the work runs.

- A file over `settings.TANDEM_MAX_UPLOAD_SIZE` is refused (413; the upload middleware
  usually answers before the body is read).
- The rows are counted by reading the file as a stream; more than
  `settings.TANDEM_IMPORT_MAX_ROWS` is refused (422).
- Up to `settings.TANDEM_IMPORT_SYNC_ROWS` rows are imported at once, in the request.
- A larger file is stored as a `PeopleImport` and imported by the worker
  (`tasks.import_people_file`, enqueued on commit); the uploader follows it on its status
  page and at `GET /api/v1/people/imports/{id}`.

Either way the import is all or nothing (`tandem.people.csv.import_people`) and every bad row is
reported with its line and column. The command line (`tandem import people`) calls
`tandem.people.csv.import_people` directly, at once and without a row limit.
"""

from __future__ import annotations

import io
import logging
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core import uploads
from tandem.people.csv import (
    FileError,
    ImportResult,
    RowError,
    TooManyRowsError,
    count_rows,
    import_people,
)
from tandem.people.models import PeopleImport

logger = logging.getLogger(__name__)


class TooManyRows(Exception):
    """The file has more rows than an upload may have (answered 422)."""


def people_import_upload(*, user: User, upload: UploadedFile) -> ImportResult | PeopleImport:
    """Check an uploaded people CSV and import it now (an ImportResult) or queue it for the
    worker (a PeopleImport). Raises UploadTooLarge or TooManyRows; writes nothing then."""
    uploads.check_size(upload.size)
    assert upload.file is not None
    data: IO[bytes] = upload.file  # on disk above FILE_UPLOAD_MAX_MEMORY_SIZE; read as a stream
    max_rows = int(settings.TANDEM_IMPORT_MAX_ROWS)
    try:
        rows = count_rows(data, max_rows=max_rows)
    except TooManyRowsError as exc:
        raise TooManyRows(str(exc)) from None
    except FileError as exc:
        return ImportResult(errors=[RowError(line=1, column="", message=str(exc))])
    if rows <= int(settings.TANDEM_IMPORT_SYNC_ROWS):
        return import_people(data, max_rows=max_rows)
    data.seek(0)
    with transaction.atomic():
        job = PeopleImport.objects.create(
            uploaded_by=user,
            filename=(upload.name or "")[:255],
            data=data.read(),
            total_rows=rows,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(import_id: int) -> None:
    from tandem.people.tasks import import_people_file

    import_people_file.enqueue(import_id)


def people_import_run(*, import_id: int) -> str:
    """Import a queued upload. Idempotent: an import already started or finished is left
    alone. Messages are written in the uploader's language."""
    with transaction.atomic():
        job = (
            PeopleImport.objects.select_for_update()
            .select_related("uploaded_by")
            .filter(pk=import_id)
            .first()
        )
        if job is None or job.status != PeopleImport.Status.QUEUED:
            return "skipped"
        job.status = PeopleImport.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])

    def progress(count: int) -> None:
        PeopleImport.objects.filter(pk=job.pk).update(checked_rows=count)

    with translation.override(job.uploaded_by.language):
        try:
            result = import_people(
                io.BytesIO(bytes(job.data)),
                max_rows=int(settings.TANDEM_IMPORT_MAX_ROWS),
                on_row=progress,
            )
        except Exception:
            logger.exception("people import %s failed", job.pk)
            result = ImportResult(
                errors=[
                    RowError(
                        line=0,
                        column="",
                        message=_("The import stopped unexpectedly; nothing was written."),
                    )
                ]
            )
    PeopleImport.objects.filter(pk=job.pk).update(
        status=PeopleImport.Status.DONE if result.ok else PeopleImport.Status.FAILED,
        data=b"",
        checked_rows=job.total_rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        errors=[_error_dict(e) for e in result.errors],
        finished_at=timezone.now(),
    )
    return "done" if result.ok else "failed"


def _error_dict(error: RowError) -> dict[str, object]:
    return {"line": error.line, "column": error.column, "message": error.message}


def get_people_import_for_user(user: User, pk: int) -> PeopleImport:
    """The one access helper for imports: only the uploader sees one; 404 otherwise."""
    job = PeopleImport.objects.filter(pk=pk, uploaded_by_id=user.pk).defer("data").first()
    if job is None:
        raise Http404
    return job
