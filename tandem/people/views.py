"""Pages: my profile (editable, with career roles added and removed in place by HTMX),
someone's profile, the mentor directory, and the CSV import and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem import safecsv
from tandem.accounts.models import User
from tandem.audit.models import Action
from tandem.audit.services import audit_record
from tandem.core import uploads
from tandem.core.forms import apply_service_errors
from tandem.people import hooks, imports, selectors, services
from tandem.people.csv import COLUMN_HELP, COLUMNS, ImportResult, export_rows
from tandem.people.forms import CareerRoleForm, DirectoryForm, ImportForm, ProfileForm
from tandem.people.models import (
    CareerRole,
    Channel,
    ListKind,
    Organisation,
    PeopleImport,
    Profile,
)
from tandem.people.selectors import DirectoryFilters

FIELD_ALIASES = {"manager": "manager_email"}


def _organisation(name: str) -> Organisation | None:
    return services.organisation_get_or_create(name=name) if name.strip() else None


def _career_context(profile: Profile, form: CareerRoleForm | None = None) -> dict[str, Any]:
    return {
        "roles": list(selectors.career_roles_for(profile=profile)),
        "role_form": form or CareerRoleForm(),
        "organisation_names": _organisation_names(),
    }


def _completeness(profile: Profile) -> Any:
    """Fresh: the profile's related rows (career roles, values) are counted now."""
    return selectors.profile_completeness(profile)


def _organisation_names() -> list[str]:
    return list(Organisation.objects.values_list("name", flat=True)[:500])


@login_required
def profile_me(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_for_user(user=request.user)  # type: ignore[arg-type]
    form = ProfileForm(
        request.POST or None,
        user=request.user,  # type: ignore[arg-type]
        initial=ProfileForm.initial_for(profile),
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        timezone = kwargs.pop("timezone")
        try:
            with transaction.atomic():  # a new organisation is kept only if the save succeeds
                kwargs["organisation"] = _organisation(form.cleaned_data["organisation"])
                services.profile_update(profile=profile, timezone=timezone, **kwargs)
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases=FIELD_ALIASES)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:profile_me")
    return render(
        request,
        "people/profile_me.html",
        {
            "form": form,
            "profile": profile,
            "completeness": _completeness(profile),
            **_career_context(profile),
        },
    )


def _career_response(
    request: HttpRequest, profile: Profile, form: CareerRoleForm | None = None
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        # The career list, and the completeness panel beside it (out of band): a role added
        # or removed changes what is missing.
        context = {**_career_context(profile, form), "completeness": _completeness(profile)}
        return render(request, "people/_career_changed.html", context)
    if form is not None and form.errors:
        messages.error(request, _("The role was not saved: please check the fields."))
    return redirect("people:profile_me")


def _role_kwargs(form: CareerRoleForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["organisation"] = _organisation(data.get("organisation") or "")
    return data


@login_required
@require_POST
def role_add(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_for_user(user=request.user)  # type: ignore[arg-type]
    form = CareerRoleForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.career_role_create(profile=profile, **_role_kwargs(form))
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases=FIELD_ALIASES)
        else:
            form = CareerRoleForm()
    return _career_response(request, profile, form)


@login_required
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = selectors.get_career_role_for_user(request.user, pk)  # type: ignore[arg-type]
    initial = {
        "title": role.title,
        "organisation": role.organisation.name if role.organisation else "",
        "function": role.function,
        "seniority": role.seniority,
        "industry": role.industry,
        "start": role.start,
        "end": role.end,
    }
    form = CareerRoleForm(request.POST or None, initial=initial, auto_id=f"id_role{role.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.career_role_update(role=role, **_role_kwargs(form))
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases=FIELD_ALIASES)
        else:
            response = _career_response(request, role.profile)
            if request.htmx:  # type: ignore[attr-defined]
                response["HX-Retarget"] = "#career"
                response["HX-Reswap"] = "outerHTML"
            return response
    template = "people/_role_edit.html" if request.htmx else "people/role_edit.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"role": role, "form": form, "organisation_names": _organisation_names()},
    )


@login_required
@require_POST
def role_delete(request: HttpRequest, pk: int) -> HttpResponse:
    role: CareerRole = selectors.get_career_role_for_user(request.user, pk)  # type: ignore[arg-type]
    profile = role.profile
    services.career_role_delete(role=role)
    return _career_response(request, profile)


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.get_profile_for_user(request.user, pk)  # type: ignore[arg-type]
    view = selectors.profile_view_for(request.user, profile)  # type: ignore[arg-type]
    work_style = []
    if view.work_style:
        for axis in selectors.list_items(ListKind.WORK_STYLE):
            value = view.work_style.get(axis.slug)
            if value is not None:
                label = {-1: axis.low, 0: _("in between"), 1: axis.high}[value]
                work_style.append((axis.name, label))
    channel_names = dict(Channel.choices)
    panels = [
        render_to_string(panel.template, context, request=request)
        for panel, context in hooks.profile_panels(request.user, profile.user)
    ]
    return render(
        request,
        "people/profile_detail.html",
        {
            "view": view,
            "panels": panels,
            "is_me": profile.user_id == request.user.pk,
            "work_style": work_style,
            "channels": [channel_names.get(c, c) for c in view.channels or []],
        },
    )


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = DirectoryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = DirectoryFilters(
            q=data.get("q") or "",
            guidance=data.get("guidance") or "",
            function=data.get("function") or "",
            industry=data.get("industry") or "",
            seniority=data.get("seniority") or "",
            language=data.get("language") or "",
            availability=data.get("availability") or "",
            organisation=data["organisation"].pk if data.get("organisation") else None,
            association=data["association"].pk if data.get("association") else None,
        )
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    page, entries = selectors.directory_page(
        viewer=request.user,  # type: ignore[arg-type]
        filters=filters,
        page=page_number,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "entries": entries, "query": query.urlencode()}
    template = "people/_directory_results.html" if request.htmx else "people/directory.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _require_importer(request: HttpRequest) -> None:
    if not selectors.can_import_people(request.user):  # type: ignore[arg-type]
        raise Http404


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            outcome = imports.people_import_upload(
                user=request.user,  # type: ignore[arg-type]
                upload=form.cleaned_data["file"],
            )
        except uploads.UploadTooLarge as exc:
            form.add_error("file", str(exc))
            status = 413
        except imports.TooManyRows as exc:
            form.add_error("file", str(exc))
            status = 422
        else:
            if isinstance(outcome, PeopleImport):
                return redirect("people:import_status", outcome.pk)
            result = outcome
            if result.ok:
                messages.success(request, _imported_message(result))
                return redirect("people:import")
            status = 422
    return render(request, "people/import.html", {"form": form, "result": result}, status=status)


def _imported_message(result: ImportResult | PeopleImport) -> str:
    rows = result.rows if isinstance(result, ImportResult) else result.total_rows
    return _(
        "Imported %(rows)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged."
    ) % {
        "rows": rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A large upload's progress while the worker imports it, then its result."""
    job = imports.get_people_import_for_user(request.user, pk)  # type: ignore[arg-type]
    context = {"job": job, "summary": _imported_message(job)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "people/_import_status.html", context)
    return render(request, "people/import_status.html", context)


@login_required
def import_columns(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    columns = [(name, COLUMN_HELP[name]) for name in COLUMNS]
    return render(request, "people/import_columns.html", {"columns": columns})


def csv_response(user: User, request: HttpRequest | None = None) -> StreamingHttpResponse:
    """Everyone with a profile as a CSV download, as `user` may see them; recorded in the
    audit log."""
    audit_record(
        actor=user,
        action=Action.EXPORT,
        target="people",
        request=request,
        detail={"every_field": bool(user.is_staff)},
    )
    stamp = dj_timezone.now().strftime("%Y%m%d-%H%M")
    rows = export_rows(viewer=selectors.export_viewer(user))
    response = StreamingHttpResponse(safecsv.stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tandem-people-{stamp}.csv"'
    return response


@login_required
def export_view(request: HttpRequest) -> StreamingHttpResponse:
    _require_importer(request)
    return csv_response(request.user, request)  # type: ignore[arg-type]
