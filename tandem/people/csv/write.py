"""The import: every row checked first, then everything written in one transaction with bulk
queries."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models, transaction
from django.db.models import Model
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from tandem.accounts.models import User
from tandem.people import hooks
from tandem.people.csv.columns import CHUNK, COLUMNS, ImportResult, Lookups, Person, RowError
from tandem.people.csv.read import Source, parse_file
from tandem.people.models import Association, CareerRole, Organisation, Profile


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(model: type[Model], names: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """INSERT plain rows with executemany in batches: the bulk path for large imports, about
    ten times cheaper than bulk_create, which builds a model instance for every row. Fields
    not named get their defaults; dates and JSON are adapted here."""
    meta = model._meta
    given: list[models.Field[Any, Any]] = [meta.get_field(name) for name in names]  # type: ignore[misc]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    now = dj_timezone.now()
    constants = tuple(
        f.get_db_prep_save(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in rest
    )
    adapters: list[tuple[int, Callable[[Any], Any]]] = []
    for i, f in enumerate(given):
        if isinstance(f, models.DateTimeField):
            adapters.append((i, connection.ops.adapt_datetimefield_value))
        elif isinstance(f, models.DateField):
            adapters.append((i, connection.ops.adapt_datefield_value))
        elif isinstance(f, models.JSONField):
            adapters.append((i, partial(f.get_db_prep_save, connection=connection)))
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column or f.name) for f in [*given, *rest])
    placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({placeholders})"
    count = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            if adapters:
                values = list(row)
                for i, adapt in adapters:
                    if values[i] is not None:
                        values[i] = adapt(values[i])
                row = tuple(values)
            batch.append((*row, *constants))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _emails_to_ids() -> dict[str, int]:
    return {email.lower(): pk for pk, email in User.objects.values_list("pk", "email")}


PROFILE_COLUMNS = {
    "headline": "headline",
    "bio": "bio",
    "languages": "languages",
    "city": "city",
    "country": "country",
    "goals": "goals",
    "work_style": "work_style",
    "capacity": "capacity",
    "hours_per_month": "hours_per_month",
    "accepts_external": "accepts_external",
    "accepts_reverse": "accepts_reverse",
    "accepts_peer": "accepts_peer",
    "paused": "paused",
}
FK_COLUMNS = {"function": "function_id", "seniority": "seniority_id", "industry": "industry_id"}
M2M_COLUMNS = ["values", "humour", "guidance_wanted", "guidance_offered", "associations"]


def import_people(
    data: Source,
    *,
    progress: bool = False,
    max_rows: int | None = None,
    on_row: Callable[[int], None] | None = None,
    invite: bool = True,
) -> ImportResult:
    """Validate then import a people CSV, all or nothing. See the module docstring.
    `max_rows` bounds the rows read (uploads pass `settings.TANDEM_IMPORT_MAX_ROWS`; the
    command line reads any number); `on_row(count)` reports progress while checking.
    `invite`: each account created (it has no password) gets an account invitation, sent
    by the bulk worker once the import commits (the demo passes False)."""
    lookups = Lookups.load()
    columns, rows, errors = parse_file(
        data, lookups=lookups, progress=progress, max_rows=max_rows, on_row=on_row
    )
    result = ImportResult(rows=len(rows) + len({e.line for e in errors}), errors=errors)
    present = set(columns)
    email_ids = _emails_to_ids()
    if "manager_email" in present:
        in_file = {row.email for _line, row in rows}
        for line, row in rows:
            manager = row.manager_email
            if manager and manager not in in_file and manager not in email_ids:
                errors.append(
                    RowError(
                        line,
                        "manager_email",
                        _("No one with the email %(email)s is in the file or on Tandem.")
                        % {"email": manager},
                    )
                )
    if errors:
        errors.sort(key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
        return result
    with transaction.atomic():
        touched = _write(rows=[row for _line, row in rows], present=present,
                         email_ids=email_ids, result=result, progress=progress)  # fmt: skip
        # Bulk writes send no model signals: say which profiles changed, once committed
        # (suggestions refreshes its index and computes the new text vectors).
        changed = list(touched)
        transaction.on_commit(
            lambda: hooks.profiles_changed.send(sender=Profile, profile_ids=changed)
        )
        if invite and result.created_user_ids:
            new_ids = list(result.created_user_ids)
            transaction.on_commit(lambda: _enqueue_invitations(new_ids))
    return result


def _enqueue_invitations(user_ids: list[int]) -> None:
    from tandem.people.tasks import invite_imported_people

    invite_imported_people.enqueue(user_ids)


def _names_to_ids(model: type[Organisation] | type[Association]) -> dict[str, int]:
    return {name.lower(): pk for pk, name in model.objects.values_list("pk", "name")}


def _ensure_named(
    model: type[Organisation] | type[Association],
    names: Iterable[str],
    industries: dict[str, int | None] | None = None,
) -> dict[str, int]:
    known = _names_to_ids(model)
    missing: dict[str, str] = {}
    for name in names:
        if name and name.lower() not in known:
            missing.setdefault(name.lower(), name)
    if missing:
        if model is Organisation:
            Organisation.objects.bulk_create(
                [
                    Organisation(name=name, industry_id=(industries or {}).get(key))
                    for key, name in missing.items()
                ],
                batch_size=CHUNK,
            )
        else:
            Association.objects.bulk_create(
                [Association(name=name) for name in missing.values()], batch_size=CHUNK
            )
        known = _names_to_ids(model)
    return known


def _write(
    *,
    rows: list[Person],
    present: set[str],
    email_ids: dict[str, int],
    result: ImportResult,
    progress: bool,
) -> list[int]:
    """Write the rows; the ids of the profiles created or changed."""
    bar = tqdm(total=7, disable=not progress, desc="Writing", unit=" steps")

    # 1. Organisations and associations named anywhere in the file.
    org_names: list[str] = []
    industries: dict[str, int | None] = {}
    for row in rows:
        if row.organisation:
            org_names.append(row.organisation)
            industries.setdefault(row.organisation.lower(), row.industry)
        org_names.extend(row.competitors)
        org_names.extend(role[4] for role in row.career if role[4])
    orgs = _ensure_named(Organisation, org_names, industries)
    assocs = _ensure_named(Association, (n for row in rows for n in row.associations))
    bar.update()

    # 2. Users: create the new ones, update names, language and time zone.
    new_users = [
        (
            row.email,
            f"{row.first_name} {row.last_name}".strip(),
            row.language,
            row.timezone,
            UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
        )
        for row in rows
        if row.email not in email_ids
    ]
    _insert(User, ["email", "full_name", "language", "timezone", "password"], new_users)
    created_emails = {u[0] for u in new_users}
    result.created = len(new_users)
    email_ids = _emails_to_ids()
    result.created_user_ids = sorted(email_ids[e] for e in created_emails)
    changed_ids: set[int] = set()
    user_fields = [
        f
        for f, cols in (
            ("full_name", {"first_name", "last_name"}),
            ("language", {"language"}),
            ("timezone", {"timezone"}),
        )
        if cols & present
    ]
    existing_rows = {email_ids[r.email]: r for r in rows if r.email not in created_emails}
    if user_fields and existing_rows:
        to_update = []
        for chunk in _chunks(list(existing_rows)):
            for user in User.objects.filter(pk__in=chunk).only("pk", "email", *user_fields):
                row = existing_rows[user.pk]
                wanted_user = {
                    "full_name": (
                        f"{row.first_name} {row.last_name}".strip()
                        if {"first_name", "last_name"} <= present
                        else _merge_name(user.full_name, row, present)
                    ),
                    "language": row.language,
                    "timezone": row.timezone,
                }
                if any(getattr(user, f) != wanted_user[f] for f in user_fields):
                    for f in user_fields:
                        setattr(user, f, wanted_user[f])
                    to_update.append(user)
                    changed_ids.add(user.pk)
        User.objects.bulk_update(to_update, user_fields, batch_size=CHUNK)
    bar.update()

    # 3. Profiles.
    user_ids = [email_ids[row.email] for row in rows]
    profiles: dict[int, Profile] = {}
    created_ids = {email_ids[e] for e in created_emails}
    for chunk in _chunks([uid for uid in user_ids if uid not in created_ids]):
        for profile in Profile.objects.filter(user_id__in=chunk):
            profiles[profile.user_id] = profile
    profile_fields = [PROFILE_COLUMNS[c] for c in PROFILE_COLUMNS if c in present]
    profile_fields += [FK_COLUMNS[c] for c in FK_COLUMNS if c in present]
    if "organisation" in present:
        profile_fields.append("organisation_id")
    if "manager_email" in present:
        profile_fields.append("manager_id")
    if "roles" in present:
        profile_fields += ["is_mentee", "is_mentor"]
    new_profiles: list[tuple[Any, ...]] = []
    new_profile_names: list[str] = []
    changed_profiles: list[Profile] = []
    for row, user_id in zip(rows, user_ids, strict=True):
        wanted: dict[str, Any] = {}
        for column, attr in PROFILE_COLUMNS.items():
            if column in present:
                wanted[attr] = getattr(row, column)
        for column, attr in FK_COLUMNS.items():
            if column in present:
                wanted[attr] = getattr(row, column)
        if "organisation" in present:
            wanted["organisation_id"] = orgs[row.organisation.lower()] if row.organisation else None
        if "manager_email" in present:
            wanted["manager_id"] = email_ids[row.manager_email] if row.manager_email else None
        if "roles" in present:
            wanted["is_mentee"], wanted["is_mentor"] = row.roles
        existing = profiles.get(user_id)
        if existing is None:
            new_profile_names = ["user_id", *wanted]
            new_profiles.append((user_id, *wanted.values()))
            changed_ids.add(user_id)  # removed again below for people created now
        elif any(getattr(existing, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(existing, k, v)
            changed_profiles.append(existing)
            changed_ids.add(user_id)
    _insert(Profile, new_profile_names, new_profiles)
    if changed_profiles and profile_fields:
        Profile.objects.bulk_update(changed_profiles, profile_fields, batch_size=CHUNK)
    profile_ids = dict(Profile.objects.values_list("user_id", "pk"))
    old_profiles = [p.pk for p in profiles.values()]  # only these can have list rows yet
    bar.update()

    # 4. Many-to-many lists: add what is missing, remove what is no longer there.
    by_profile = {profile_ids[email_ids[row.email]]: row for row in rows}
    for column in M2M_COLUMNS:
        if column not in present:
            continue
        through = getattr(Profile, column).through
        target = "association_id" if column == "associations" else "listitem_id"
        current: dict[int, set[int]] = defaultdict(set)
        through_ids: dict[tuple[int, int], int] = {}
        for chunk in _chunks(old_profiles):
            for pk, profile_id, target_id in through.objects.filter(
                profile_id__in=chunk
            ).values_list("pk", "profile_id", target):
                current[profile_id].add(target_id)
                through_ids[(profile_id, target_id)] = pk
        add: list[tuple[int, int]] = []
        remove: list[int] = []
        for profile_id, row in by_profile.items():
            if column == "associations":
                wanted_ids = {assocs[name.lower()] for name in row.associations}
            else:
                wanted_ids = set(getattr(row, column))
            have = current.get(profile_id, set())
            if wanted_ids != have:
                changed_ids.add(by_profile_user(row, email_ids))
            add.extend((profile_id, t) for t in wanted_ids - have)
            remove.extend(through_ids[(profile_id, t)] for t in have - wanted_ids)
        for chunk in _chunks(remove):
            through.objects.filter(pk__in=chunk).delete()
        _insert(through, ["profile_id", target], add)
    bar.update()

    # 5. Career histories: replaced when they differ.
    if "career" in present:
        have_roles: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for chunk in _chunks(old_profiles):
            for values in CareerRole.objects.filter(profile_id__in=chunk).values_list(
                "profile_id", "title", "function_id", "seniority_id", "industry_id",
                "organisation_id", "start", "end",
            ):  # fmt: skip
                have_roles[values[0]].append(values[1:])
        replace: list[int] = []
        new_roles: list[tuple[Any, ...]] = []
        for profile_id, row in by_profile.items():
            wanted_roles = [
                (t, f, s, i, orgs[o.lower()] if o else None, start, end)
                for t, f, s, i, o, start, end in row.career
            ]
            if sorted(wanted_roles, key=repr) == sorted(have_roles.get(profile_id, []), key=repr):
                continue
            changed_ids.add(by_profile_user(row, email_ids))
            if profile_id in have_roles:
                replace.append(profile_id)
            new_roles.extend((profile_id, *role) for role in wanted_roles)
        for chunk in _chunks(replace):
            CareerRole.objects.filter(profile_id__in=chunk).delete()
        _insert(
            CareerRole,
            ["profile_id", "title", "function_id", "seniority_id", "industry_id",
             "organisation_id", "start", "end"],
            new_roles,
        )  # fmt: skip
    bar.update()

    # 6. Competitors (symmetric: both directions are stored).
    if "competitors" in present:
        through = Organisation.competitors.through
        pairs = set(through.objects.values_list("from_organisation_id", "to_organisation_id"))
        add_pairs: set[tuple[int, int]] = set()
        for row in rows:
            if not row.organisation:
                continue
            own = orgs[row.organisation.lower()]
            for name in row.competitors:
                other = orgs[name.lower()]
                if other == own:
                    continue
                for pair in ((own, other), (other, own)):
                    if pair not in pairs:
                        add_pairs.add(pair)
        through.objects.bulk_create(
            [through(from_organisation_id=a, to_organisation_id=b) for a, b in add_pairs],
            batch_size=CHUNK,
        )
    bar.update()

    touched = sorted(profile_ids[uid] for uid in changed_ids | created_ids)
    changed_ids -= created_ids
    result.updated = len(changed_ids)
    result.unchanged = len(rows) - result.created - result.updated
    bar.update()
    bar.close()
    return touched


def by_profile_user(row: Person, email_ids: dict[str, int]) -> int:
    return email_ids[row.email]


def _merge_name(current: str, row: Person, present: set[str]) -> str:
    first, _sep, last = current.partition(" ")
    if "first_name" in present:
        first = row.first_name
    if "last_name" in present:
        last = row.last_name
    return f"{first} {last}".strip()
