"""Administering an organisation (who may, whom it holds) and its email domains."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, QuerySet, Value, When
from django.http import Http404

from tandem.accounts.hooks import EmailDomainPolicy
from tandem.accounts.models import User
from tandem.accounts.rules import joined_q
from tandem.people.models import Organisation, OrganisationAdmin, OrganisationDomain

# The programme-manager right is the programmes app's `add_programme` permission (it reads it
# in `programs.selectors.can_create_programme`); people names it as data, never imports it.
PROGRAMME_MANAGER_PERMISSION = ("programs", "add_programme")


def can_administer(user: Any, organisation: Organisation | int) -> bool:
    """The one rule for who administers an organisation: staff, and the people staff
    appointed its administrators (`OrganisationAdmin`)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff:
        return True
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return OrganisationAdmin.objects.filter(organisation_id=org_id, user_id=user.pk).exists()


def get_organisation_for_admin(user: Any, pk: int) -> Organisation:
    """The access helper for administering an organisation: 404 unless `can_administer`."""
    org = Organisation.objects.filter(pk=pk).first()
    if org is None or not can_administer(user, org):
        raise Http404
    return org


def administers_any_organisation(user: Any) -> bool:
    """The organisation-admin role (TANDEM_MFA_REQUIRED_FOR's `org_admins`)."""
    return bool(user.pk) and OrganisationAdmin.objects.filter(user_id=user.pk).exists()


def organisations_administered(*, user: Any) -> QuerySet[Organisation]:
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    if user.is_staff:
        return Organisation.objects.filter(admins__isnull=False).distinct()
    return Organisation.objects.filter(admins__user_id=user.pk)


def organisation_people(
    *, organisation: Organisation, joined: bool | None = None
) -> QuerySet[User]:
    """The people whose profile names `organisation`, each annotated with `joined` (the
    accounts rule) and `programme_manager` (has the right directly); `joined` filters."""
    app_label, codename = PROGRAMME_MANAGER_PERMISSION
    permission = User.user_permissions.through.objects.filter(
        user_id=OuterRef("pk"),
        permission__content_type__app_label=app_label,
        permission__codename=codename,
    )
    qs = (
        User.objects.filter(profile__organisation=organisation)
        .annotate(
            joined=Case(
                When(joined_q(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            programme_manager=Exists(permission),
        )
        .order_by("full_name", "email", "pk")
    )
    if joined is True:
        qs = qs.filter(joined_q())
    elif joined is False:
        qs = qs.exclude(joined_q())
    return qs


def get_organisation_person(organisation: Organisation, user_pk: int) -> User:
    """Someone of `organisation` (their profile names it); 404 for anyone else."""
    user = User.objects.filter(pk=user_pk, profile__organisation=organisation).first()
    if user is None:
        raise Http404
    return user


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def organisation_for_email_domain(email: str) -> OrganisationDomain | None:
    """The organisation domain an email address is at (with its organisation), or None.
    Only a domain staff have verified counts: an organisation admin may add any domain, but it
    neither joins people to the organisation nor requires single sign-on until verified."""
    domain = email_domain(email)
    if not domain:
        return None
    return (
        OrganisationDomain.objects.select_related("organisation")
        .filter(domain=domain, verified=True)
        .first()
    )


def email_domain_policy(email: str) -> EmailDomainPolicy | None:
    """What accounts asks (registered in PeopleConfig.ready): who owns the address's domain
    and whether they require single sign-on."""
    found = organisation_for_email_domain(email)
    if found is None:
        return None
    return EmailDomainPolicy(organisation=found.organisation.name, sso_required=found.sso_required)
