"""The people CSV import (at once or by the worker) and export."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File
from ninja.files import UploadedFile

from tandem.core import uploads
from tandem.core.schemas import ErrorOut, Id
from tandem.people import imports, selectors
from tandem.people.api._common import router
from tandem.people.api.schemas import ImportOut, PeopleImportOut
from tandem.people.csv import RowError
from tandem.people.models import PeopleImport
from tandem.people.views import csv_response


def _require_importer(request: HttpRequest) -> None:
    if not selectors.can_import_people(request.user):  # type: ignore[arg-type]
        raise Http404


def _import_errors(errors: list[RowError]) -> list[dict[str, Any]]:
    return [{"line": e.line, "column": e.column, "message": e.message} for e in errors]


def _people_import_out(job: PeopleImport) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "filename": job.filename,
        "total_rows": job.total_rows,
        "checked_rows": job.checked_rows,
        "percent": job.percent,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "errors": job.errors,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "status_url": reverse("api-1.0.0:people_import_status", args=[job.pk]),
    }


@router.post(
    "/import",
    response={200: ImportOut, 202: PeopleImportOut, 413: ErrorOut, 422: ImportOut},
)
def import_csv(request: HttpRequest, file: File[UploadedFile]):
    """Import people from a CSV file (see /people/import/columns/). All or nothing: when any
    row is bad the answer is 422 with every problem and its line number. A file over the
    upload limit is 413, one with too many rows 422. A file with more rows than are
    imported at once is queued for the worker: 202 with the import to poll."""
    _require_importer(request)
    try:
        outcome = imports.people_import_upload(user=request.user, upload=file)  # type: ignore[arg-type]
    except uploads.UploadTooLarge as exc:
        return 413, {"detail": str(exc)}
    except imports.TooManyRows as exc:
        error = RowError(line=1, column="", message=str(exc))
        return 422, {"rows": 0, "created": 0, "updated": 0, "unchanged": 0,
                     "errors": _import_errors([error])}  # fmt: skip
    if isinstance(outcome, PeopleImport):
        return 202, _people_import_out(outcome)
    body = {
        "rows": outcome.rows,
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "errors": _import_errors(outcome.errors),
    }
    return (200 if outcome.ok else 422), body


@router.get("/imports/{import_id}", response=PeopleImportOut, url_name="people_import_status")
def import_status(request: HttpRequest, import_id: Id):
    """A queued import's progress and result; only its uploader sees it (404 otherwise)."""
    return _people_import_out(
        imports.get_people_import_for_user(request.user, import_id)  # type: ignore[arg-type]
    )


@router.get("/export", response={200: None})
def export_csv(request: HttpRequest) -> HttpResponse:
    """Everyone with a profile as CSV, in the import's columns. Staff get every field;
    anyone else gets each profile as they may see it: the cells of a field group the person
    keeps from them are empty (`people.selectors.export_viewer`)."""
    _require_importer(request)
    return csv_response(request.user, request)  # type: ignore[arg-type,return-value]
