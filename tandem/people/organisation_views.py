"""Organisation administration pages (/organisations/...): an organisation's administrators
(and staff) see its people, joined or not, send invitations again, keep its competitors,
partners, associations and sign-in domains, and grant the programme-manager right. Every
write is a service that checks `selectors.can_administer`; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.selectors import latest_invitations
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors
from tandem.people import organisation_nav, selectors, services
from tandem.people.models import Organisation
from tandem.people.organisation_audit import organisation_admin_saw
from tandem.people.organisation_forms import (
    AppointAdminForm,
    AssociationForm,
    DomainForm,
    PeopleFilterForm,
    RelationsForm,
)

PEOPLE_PAGE_SIZE = 50


@login_required
def organisation_list(request: AuthedHttpRequest) -> HttpResponse:
    orgs = selectors.organisations_administered(user=request.user)
    if not request.user.is_staff:  # the navigation's entry follows (one query either way)
        organisation_nav.remember(request, administers=bool(orgs))
    return render(request, "people/organisations/list.html", {"organisations": orgs})


def _joined_filter(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _admin_page(
    request: AuthedHttpRequest, org: Organisation, status: int = 200, **forms: Any
) -> HttpResponse:
    filter_form = PeopleFilterForm(request.GET or None)
    joined = _joined_filter(filter_form.cleaned_data["joined"]) if filter_form.is_valid() else None
    people = selectors.organisation_people(organisation=org, joined=joined)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(number)
    organisation_admin_saw(
        request, organisation=org, what="people", joined=joined, page=page.number
    )
    invitations = latest_invitations([u.pk for u in page.object_list])
    rows = [(person, invitations.get(person.pk)) for person in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organisation": org,
        "filter_form": filter_form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "relations_form": forms.get("relations_form")
        or RelationsForm(
            organisation=org,
            initial={
                "competitors": list(org.competitors.all()),
                "partners": list(org.partners.all()),
            },
        ),
        "association_form": forms.get("association_form") or AssociationForm(),
        "domain_form": forms.get("domain_form") or DomainForm(),
        "appoint_form": forms.get("appoint_form") or AppointAdminForm(),
        "domains": list(org.domains.all()),
        "admins": list(org.admins.select_related("user")),
    }
    return render(request, "people/organisations/admin.html", context, status=status)


@login_required
def organisation_admin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.get_organisation_for_admin(request.user, pk)
    if not request.user.is_staff:
        organisation_nav.remember(request, administers=True)
    return _admin_page(request, org)


def _back(org: Organisation) -> HttpResponse:
    return redirect("organisations:admin", org.pk)


@login_required
@require_POST
def relations_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.get_organisation_for_admin(request.user, pk)
    form = RelationsForm(request.POST, organisation=org)
    if form.is_valid():
        try:
            services.organisation_relations_set(
                organisation=org,
                by=request.user,
                competitor_ids=[o.pk for o in form.cleaned_data["competitors"]],
                partner_ids=[o.pk for o in form.cleaned_data["partners"]],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Competitors and partners are saved."))
            return _back(org)
    return _admin_page(request, org, status=400, relations_form=form)


@login_required
@require_POST
def association_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.get_organisation_for_admin(request.user, pk)
    form = AssociationForm(request.POST)
    if form.is_valid():
        try:
            association = services.organisation_association_add(
                organisation=org,
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The association “%(name)s” is on the list.") % {"name": association.name},
            )
            return _back(org)
    return _admin_page(request, org, status=400, association_form=form)


@login_required
@require_POST
def domain_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    org = selectors.get_organisation_for_admin(request.user, pk)
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            domain = services.organisation_domain_add(
                organisation=org, by=request.user, domain=form.cleaned_data["domain"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The domain %(domain)s is added.") % {"domain": domain.domain}
            )
            return _back(org)
    return _admin_page(request, org, status=400, domain_form=form)


@login_required
@require_POST
def admin_appoint(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = selectors.get_organisation_for_admin(user, pk)
    form = AppointAdminForm(request.POST)
    if form.is_valid():
        try:
            admin = services.organisation_admin_appoint(
                organisation=org, by=user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s administers %(organisation)s.")
                % {"name": admin.user.get_full_name(), "organisation": org.name},
            )
            return _back(org)
    return _admin_page(request, org, status=400, appoint_form=form)


@login_required
@require_POST
def invitation_resend(request: AuthedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    org = selectors.get_organisation_for_admin(request.user, pk)
    try:
        services.organisation_invitation_resend(organisation=org, user_pk=user_pk, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation is sent again; the earlier link no longer works.")
        )
    return _back(org)


@login_required
@require_POST
def programme_manager_set(request: AuthedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    org = selectors.get_organisation_for_admin(request.user, pk)
    granted = request.POST.get("granted") == "1"
    person = services.organisation_programme_manager_set(
        organisation=org, user_pk=user_pk, granted=granted, by=request.user
    )
    if granted:
        msg = _("%(name)s may now create and manage programmes.")
    else:
        msg = _("%(name)s may no longer create programmes.")
    messages.success(request, msg % {"name": person.get_full_name()})
    return _back(org)
