"""Organisation administration: every write checks `selectors.can_administer`, and is
audited."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from tandem.accounts.models import AccountInvitation, User
from tandem.audit.models import Action
from tandem.audit.services import audit_record, audit_scope
from tandem.people.models import (
    Association,
    Organisation,
    OrganisationAdmin,
    OrganisationDomain,
    Profile,
)
from tandem.people.selectors import (
    PROGRAMME_MANAGER_PERMISSION,
    can_administer,
    get_organisation_person,
    organisation_for_email_domain,
)
from tandem.people.services.invitations import account_invitation_send
from tandem.people.services.profiles import profile_get_or_create


def _require_admin(by: User, organisation: Organisation) -> None:
    if not can_administer(by, organisation):
        raise Http404


@transaction.atomic
def organisation_invitation_resend(
    *, organisation: Organisation, user_pk: int, by: User
) -> AccountInvitation:
    """An organisation's administrator sends one of its people their invitation again."""
    _require_admin(by, organisation)
    person = get_organisation_person(organisation, user_pk)
    invitation = account_invitation_send(user=person, by=by, organisation_name=organisation.name)
    if invitation is None:
        raise ValidationError(_("This person has already joined Tandem."))
    audit_record(
        actor=by,
        action=Action.INVITATION_SEND,
        subject_user=person,
        target=f"organisation:{organisation.pk}",
        detail={"invitation": "sent again"},
    )
    return invitation


@transaction.atomic
def organisation_programme_manager_set(
    *, organisation: Organisation, user_pk: int, granted: bool, by: User
) -> User:
    """Grant or take back the right to create and manage programmes, for one of the
    organisation's people (given directly; a right from a group stays)."""
    _require_admin(by, organisation)
    person = get_organisation_person(organisation, user_pk)
    app_label, codename = PROGRAMME_MANAGER_PERMISSION
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    # The role-change recorder writes the event (once, only for a real change) in this scope.
    with audit_scope(
        actor=by,
        target=f"organisation:{organisation.pk}",
        programme_manager="granted" if granted else "taken back",
    ):
        if granted:
            person.user_permissions.add(permission)
        else:
            person.user_permissions.remove(permission)
    return person


def _organisations_by_id(ids: list[int], *, exclude: Organisation) -> list[Organisation]:
    wanted = set(ids)
    found = list(Organisation.objects.filter(pk__in=wanted).exclude(pk=exclude.pk))
    if len(found) != len(wanted - {exclude.pk}) or exclude.pk in wanted:
        raise ValidationError(_("Choose other organisations from the list."))
    return found


@transaction.atomic
def organisation_relations_set(
    *,
    organisation: Organisation,
    by: User,
    competitor_ids: list[int],
    partner_ids: list[int],
) -> Organisation:
    """Replace the organisation's competitors and partners (both relations are symmetric:
    the other organisation lists this one too)."""
    _require_admin(by, organisation)
    competitors = _organisations_by_id(competitor_ids, exclude=organisation)
    partners = _organisations_by_id(partner_ids, exclude=organisation)
    if {o.pk for o in competitors} & {o.pk for o in partners}:
        raise ValidationError(_("An organisation cannot be both a competitor and a partner."))
    organisation.competitors.set(competitors)
    organisation.partners.set(partners)
    audit_record(
        actor=by,
        action=Action.ORGANISATION_CHANGE,
        target=f"organisation:{organisation.pk} relations",
        detail={
            "competitors": sorted(o.pk for o in competitors),
            "partners": sorted(o.pk for o in partners),
        },
    )
    return organisation


@transaction.atomic
def organisation_association_add(
    *, organisation: Organisation, by: User, name: str, description: str = ""
) -> Association:
    """Add a professional association to the list people choose from (or find it: the
    names are unique, in any case)."""
    _require_admin(by, organisation)
    name = " ".join(name.split())
    if not name or len(name) > 150 or "\x00" in name or "\x00" in description:
        raise ValidationError(
            {"name": [_("Give the association a name (150 characters at most).")]}
        )
    if len(description) > 2000:
        raise ValidationError({"description": [_("Keep the description to 2000 characters.")]})
    association = Association.objects.filter(name__iexact=name).first()
    if association is None:
        association = Association.objects.create(name=name, description=description.strip())
        audit_record(
            actor=by,
            action=Action.ORGANISATION_CHANGE,
            target=f"organisation:{organisation.pk} association:{association.pk}",
            detail={"association": association.name, "added": True},
        )
    return association


def clean_domain(value: str) -> str:
    domain = value.strip().lower().removeprefix("@").rstrip(".")
    try:
        if not domain or len(domain) > 253 or "." not in domain:
            raise ValidationError("bad")
        validate_email(f"someone@{domain}")
    except ValidationError:
        raise ValidationError({"domain": [_("Enter a domain such as example.org.")]}) from None
    return domain


@transaction.atomic
def organisation_domain_add(
    *, organisation: Organisation, by: User, domain: str
) -> OrganisationDomain:
    """Add an email domain of the organisation (unverified until staff check it)."""
    _require_admin(by, organisation)
    domain = clean_domain(domain)
    existing = OrganisationDomain.objects.filter(domain=domain).first()
    if existing is not None:
        if existing.organisation_id == organisation.pk:
            return existing
        raise ValidationError({"domain": [_("This domain belongs to another organisation.")]})
    try:
        with transaction.atomic():
            added = OrganisationDomain.objects.create(organisation=organisation, domain=domain)
    except IntegrityError:
        raise ValidationError(
            {"domain": [_("This domain belongs to another organisation.")]}
        ) from None
    audit_record(
        actor=by,
        action=Action.ORGANISATION_CHANGE,
        target=f"organisation:{organisation.pk} domain:{added.pk}",
        detail={"domain": domain, "added": True},
    )
    return added


@transaction.atomic
def organisation_admin_appoint(
    *, organisation: Organisation, by: User, email: str
) -> OrganisationAdmin:
    """Appoint an organisation's administrator, by the address of their account: staff
    appoint anyone; an administrator appoints a co-administrator among the organisation's
    own people (whose profile names it), and no one else."""
    _require_admin(by, organisation)
    users = User.objects.filter(email__iexact=email.strip(), is_active=True)
    if not by.is_staff:
        users = users.filter(profile__organisation=organisation)
    user = users.first()
    if user is None:
        raise ValidationError(
            {"email": [_("No active account of this organisation has this email address.")]}
        )
    admin, created = OrganisationAdmin.objects.get_or_create(organisation=organisation, user=user)
    if created:
        audit_record(
            actor=by,
            action=Action.ROLE_CHANGE,
            subject_user=user,
            target=f"organisation:{organisation.pk}",
            detail={"organisation_admin": "appointed"},
        )
    return admin


@transaction.atomic
def profile_join_organisation_by_email(*, user: User) -> Organisation | None:
    """Just-in-time membership: a person whose verified email is at an organisation's domain
    (OrganisationDomain) joins that organisation, unless their profile already names one.
    Returns the organisation joined, or None."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    for email in verified:
        found = organisation_for_email_domain(email)
        if found is None:
            continue
        profile = Profile.objects.select_for_update().filter(user=user).first() or (
            profile_get_or_create(user=user)
        )
        if profile.organisation_id is not None:
            return None
        profile.organisation = found.organisation
        profile.save(update_fields=["organisation"])
        return found.organisation
    return None
