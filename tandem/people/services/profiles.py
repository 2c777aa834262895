"""Profiles and career roles: the writes pages, the API and the CSV import go through (the
import has a bulk path of its own in tandem.people.csv)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import TIME_ZONE_CHOICES, User
from tandem.people.models import (
    MAX_VALUES,
    SPOKEN_LANGUAGE_CODES,
    WORK_STYLE_VALUES,
    CareerRole,
    Channel,
    ListItem,
    ListKind,
    Organisation,
    Profile,
)

_ZONES = {name for name, _label in TIME_ZONE_CHOICES}

PROFILE_FIELDS = {
    "headline",
    "bio",
    "languages",
    "city",
    "country",
    "channels",
    "organisation",
    "function",
    "seniority",
    "industry",
    "manager",
    "manager_email",
    "work_style",
    "is_mentee",
    "goals",
    "preferred_mentor_seniority",
    "preferred_cadence",
    "is_mentor",
    "capacity",
    "hours_per_month",
    "accepts_external",
    "accepts_reverse",
    "accepts_peer",
    "paused",
    "visibility_career",
    "visibility_values",
    "visibility_goals",
    "visibility_contact",
}
PROFILE_M2M = {"values", "humour", "guidance_wanted", "guidance_offered", "associations"}
M2M_KINDS = {
    "values": ListKind.VALUE,
    "humour": ListKind.HUMOUR,
    "guidance_wanted": ListKind.GUIDANCE,
    "guidance_offered": ListKind.GUIDANCE,
}
FK_KINDS = {
    "function": ListKind.FUNCTION,
    "seniority": ListKind.SENIORITY,
    "industry": ListKind.INDUSTRY,
    "preferred_mentor_seniority": ListKind.SENIORITY,
}


def clean_languages(codes: list[str]) -> str:
    """ISO codes to the stored form ("en,id"); raises ValueError naming a bad code."""
    out: list[str] = []
    for raw in codes:
        code = raw.strip().lower()
        if not code:
            continue
        if code not in SPOKEN_LANGUAGE_CODES:
            raise ValueError(_("“%(code)s” is not an ISO language code.") % {"code": raw})
        if code not in out:
            out.append(code)
    return ",".join(out)


def clean_work_style(style: dict[str, Any], axes: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for axis, value in style.items():
        if axis not in axes:
            raise ValueError(_("“%(axis)s” is not a work-style axis.") % {"axis": axis})
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 99
        if number not in WORK_STYLE_VALUES:
            raise ValueError(_("Work style values are -1, 0 or 1."))
        out[axis] = number
    return out


def clean_channels(channels: list[str]) -> list[str]:
    allowed = set(Channel.values)
    out: list[str] = []
    for channel in channels:
        if channel not in allowed:
            raise ValueError(_("“%(channel)s” is not a channel.") % {"channel": channel})
        if channel not in out:
            out.append(channel)
    return out


@transaction.atomic
def profile_get_or_create(*, user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def _validate(profile: Profile, fields: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name in FK_KINDS and value is not None and value.kind != FK_KINDS[name]:
            errors[name] = [_("Choose a value from the list.")]
        if name in M2M_KINDS and any(item.kind != M2M_KINDS[name] for item in value):
            errors[name] = [_("Choose values from the list.")]
    if "values" in fields and len(fields["values"]) > MAX_VALUES:
        errors["values"] = [_("Choose at most %(n)d values.") % {"n": MAX_VALUES}]
    if fields.get("manager_email") and fields["manager_email"] == profile.user.email.lower():
        errors["manager_email"] = [_("You cannot be your own manager.")]
    manager = fields.get("manager")
    if manager is not None and manager.pk == profile.user_id:
        errors["manager"] = [_("You cannot be your own manager.")]
    if fields.get("is_mentor") and "capacity" in fields and fields["capacity"] > 50:
        errors["capacity"] = [_("Capacity is at most 50 mentees.")]
    return errors


def _manager_from_email(profile: Profile, email: str | None) -> dict[str, Any]:
    """The address a person gives for their manager, and the account it names if any. The
    person is told nothing about that account: whether the address is on Tandem or not, the
    answer is the same (an unknown address is linked when its account is confirmed, see
    `profiles_link_manager`)."""
    from tandem.people.selectors import manager_account_for_email

    email = (email or "").strip().lower()
    manager = manager_account_for_email(email) if email else None
    if manager is not None and manager.pk == profile.user_id:
        manager = None  # "You cannot be your own manager" comes from the address itself
    return {"manager_email": email, "manager": manager}


@transaction.atomic
def profiles_link_manager(*, user: User) -> int:
    """`user`'s address is now confirmed: link them as manager of everyone who gave that
    address and has no manager yet (never into a loop of the reporting line). Returns how
    many profiles were linked."""
    from tandem.people.selectors import manager_account_for_email, reporting_chain

    if manager_account_for_email(user.email) != user:
        return 0
    above = {u.pk for u in reporting_chain(user)} | {user.pk}
    waiting = Profile.objects.select_for_update().filter(
        manager_email=user.email.lower(), manager__isnull=True
    )
    linked = 0
    for profile in waiting.exclude(user_id__in=above):
        profile.manager = user
        profile.save(update_fields=["manager"])
        linked += 1
    return linked


@transaction.atomic
def profile_update(*, profile: Profile, timezone: str | None = None, **fields: Any) -> Profile:
    """Update any of the profile's fields (model field names; list fields take ListItem /
    Association lists; `languages` a list of codes; `timezone` updates the user). Raises
    ValidationError with per-field messages and writes nothing when anything is wrong."""
    unknown = set(fields) - PROFILE_FIELDS - PROFILE_M2M
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    if "manager_email" in fields:
        fields.update(_manager_from_email(profile, fields["manager_email"]))
    errors = _validate(profile, fields)
    if "languages" in fields:
        try:
            fields["languages"] = clean_languages(list(fields["languages"]))
        except ValueError as exc:
            errors["languages"] = [str(exc)]
    if "work_style" in fields:
        axes = set(ListItem.objects.of(ListKind.WORK_STYLE).values_list("slug", flat=True))
        try:
            fields["work_style"] = clean_work_style(dict(fields["work_style"] or {}), axes)
        except ValueError as exc:
            errors["work_style"] = [str(exc)]
    if "channels" in fields:
        try:
            fields["channels"] = clean_channels(list(fields["channels"] or []))
        except ValueError as exc:
            errors["channels"] = [str(exc)]
    if timezone is not None and timezone not in _ZONES:
        errors["timezone"] = [_("Choose a time zone such as Asia/Jakarta.")]
    if "manager" in fields and fields["manager"] is not None and not errors.get("manager"):
        from tandem.people.selectors import reporting_chain

        if any(u.pk == profile.user_id for u in reporting_chain(fields["manager"])):
            errors["manager"] = [_("This would make a loop in the reporting line.")]
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        if name in PROFILE_FIELDS:
            setattr(profile, name, value)
    profile.full_clean(exclude=["user"])
    profile.save()
    for name in PROFILE_M2M & set(fields):
        getattr(profile, name).set(fields[name])
    if timezone is not None and timezone != profile.user.timezone:
        profile.user.timezone = timezone
        profile.user.save(update_fields=["timezone"])
    return profile


def _validate_role(fields: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not str(fields.get("title") or "").strip():
        errors["title"] = [_("Give the role a title.")]
    for name in ("function", "seniority", "industry"):
        item = fields.get(name)
        if item is not None and item.kind != FK_KINDS[name]:
            errors[name] = [_("Choose a value from the list.")]
    start, end = fields.get("start"), fields.get("end")
    if not isinstance(start, date):
        errors["start"] = [_("Give the start month.")]
    elif end is not None and end < start:
        errors["end"] = [_("The end month cannot be before the start month.")]
    if errors:
        raise ValidationError(errors)


def _month(value: date | None) -> date | None:
    return value.replace(day=1) if value else None


@transaction.atomic
def career_role_create(
    *,
    profile: Profile,
    title: str,
    start: date,
    end: date | None = None,
    function: ListItem | None = None,
    seniority: ListItem | None = None,
    industry: ListItem | None = None,
    organisation: Organisation | None = None,
) -> CareerRole:
    fields = {
        "title": title.strip(),
        "start": start,
        "end": end,
        "function": function,
        "seniority": seniority,
        "industry": industry,
        "organisation": organisation,
    }
    _validate_role(fields)
    fields["start"] = _month(start)
    fields["end"] = _month(end)
    return CareerRole.objects.create(profile=profile, **fields)


@transaction.atomic
def career_role_update(*, role: CareerRole, **fields: Any) -> CareerRole:
    allowed = {"title", "start", "end", "function", "seniority", "industry", "organisation"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    merged = {name: getattr(role, name) for name in allowed}
    merged.update(fields)
    _validate_role(merged)
    for name, value in merged.items():
        if name in ("start", "end"):
            value = _month(value)
        if name == "title":
            value = str(value).strip()
        setattr(role, name, value)
    role.save()
    return role


@transaction.atomic
def career_role_delete(*, role: CareerRole) -> None:
    role.delete()


@transaction.atomic
def organisation_get_or_create(*, name: str, industry: ListItem | None = None) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"organisation": [_("Give the organisation a name.")]})
    org = Organisation.objects.filter(name__iexact=name).first()
    if org is None:
        org = Organisation.objects.create(name=name, industry=industry)
    return org
