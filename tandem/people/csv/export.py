"""The export: one row per person, with the field groups the viewer may not see left empty."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from tqdm import tqdm

from tandem import safecsv
from tandem.accounts.models import User
from tandem.people.csv.columns import COLUMNS
from tandem.people.csv.write import M2M_COLUMNS
from tandem.people.models import (
    FIELD_GROUPS,
    Association,
    ListItem,
    Organisation,
    Profile,
    Visibility,
)
from tandem.people.selectors import can_see_group


def _join(items: Iterable[str]) -> str:
    return ";".join(items)


def _fmt_bool(value: bool) -> str:
    return "true" if value else "false"


def _fmt_month(value: date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


# The export's columns in each field group whose visibility a person chooses (derived from
# FIELD_GROUPS: a column is in the group that holds its profile field).
_COLUMN_FIELD = {"manager_email": "manager"}
GROUP_COLUMNS: dict[str, list[int]] = {
    group: [i for i, c in enumerate(COLUMNS) if _COLUMN_FIELD.get(c, c) in fields]
    for group, fields in FIELD_GROUPS.items()
}


def _hide(row: list[str], profile: Profile, viewer: User) -> list[str]:
    """Empty the cells of every field group `profile` keeps from `viewer` (the rule is
    `selectors.can_see_group`, as on the profile page and in the API)."""
    for group, columns in GROUP_COLUMNS.items():
        if profile.visibility_of(group) != Visibility.EVERYONE and not can_see_group(
            viewer, profile, group
        ):
            for i in columns:
                row[i] = ""
    return row


def export_rows(*, viewer: User | None, progress: bool = False) -> Iterator[list[str]]:
    """The header, then one row per person with a profile, in the import's format.
    `viewer` None (staff, the command line) gets every field; anyone else gets each profile
    as they may see it: the cells of a field group hidden from them are empty."""
    yield COLUMNS
    slugs = {pk: slug for pk, slug in ListItem.objects.values_list("pk", "slug")}
    orgs = dict(Organisation.objects.values_list("pk", "name"))
    competitors: dict[int, list[str]] = defaultdict(list)
    for a, b in Organisation.competitors.through.objects.values_list(
        "from_organisation_id", "to_organisation_id"
    ):
        competitors[a].append(orgs[b])
    assocs = dict(Association.objects.values_list("pk", "name"))
    emails = dict(User.objects.values_list("pk", "email"))
    queryset = (
        Profile.objects.select_related("user").order_by("pk").prefetch_related("career_roles")
    )
    total = queryset.count()
    m2m_tables = {
        column: (getattr(Profile, column).through,
                 "association_id" if column == "associations" else "listitem_id")
        for column in M2M_COLUMNS
    }  # fmt: skip
    profiles_iter = queryset.iterator(chunk_size=2000)
    bar = tqdm(total=total, disable=not progress, unit=" rows", desc="Exporting")
    while True:
        batch = []
        for profile in profiles_iter:
            batch.append(profile)
            if len(batch) == 2000:
                break
        if not batch:
            break
        ids = [p.pk for p in batch]
        lists: dict[str, dict[int, list[int]]] = {}
        for column, (through, target) in m2m_tables.items():
            table: dict[int, list[int]] = defaultdict(list)
            for profile_id, target_id in through.objects.filter(profile_id__in=ids).values_list(
                "profile_id", target
            ):
                table[profile_id].append(target_id)
            lists[column] = table
        for profile in batch:
            user = profile.user
            first, _sep, last = user.full_name.partition(" ")
            roles = (["mentee"] if profile.is_mentee else []) + (
                ["mentor"] if profile.is_mentor else []
            )
            career = [
                "|".join(
                    [
                        r.title.replace("|", "/").replace(";", ","),
                        slugs.get(r.function_id, "") if r.function_id else "",
                        slugs.get(r.seniority_id, "") if r.seniority_id else "",
                        slugs.get(r.industry_id, "") if r.industry_id else "",
                        orgs.get(r.organisation_id, "") if r.organisation_id else "",
                        _fmt_month(r.start),
                        _fmt_month(r.end),
                    ]
                )
                for r in sorted(profile.career_roles.all(), key=lambda r: (r.start, r.pk))
            ]
            org_id = profile.organisation_id
            row = [
                user.email,
                first,
                last,
                user.language,
                user.timezone,
                profile.headline,
                profile.bio,
                _join(profile.language_list),
                profile.city,
                profile.country,
                orgs.get(org_id, "") if org_id else "",
                _join(sorted(competitors.get(org_id, []))) if org_id else "",
                slugs.get(profile.function_id, "") if profile.function_id else "",
                slugs.get(profile.seniority_id, "") if profile.seniority_id else "",
                slugs.get(profile.industry_id, "") if profile.industry_id else "",
                emails.get(profile.manager_id, "") if profile.manager_id else "",
                _join(roles),
                profile.goals,
                _join(slugs[i] for i in lists["guidance_wanted"].get(profile.pk, [])),
                _join(slugs[i] for i in lists["guidance_offered"].get(profile.pk, [])),
                _join(slugs[i] for i in lists["values"].get(profile.pk, [])),
                _join(slugs[i] for i in lists["humour"].get(profile.pk, [])),
                _join(f"{k}:{v}" for k, v in sorted((profile.work_style or {}).items())),
                str(profile.capacity),
                str(profile.hours_per_month),
                _fmt_bool(profile.accepts_external),
                _fmt_bool(profile.accepts_reverse),
                _fmt_bool(profile.accepts_peer),
                _fmt_bool(profile.paused),
                _join(career),
                _join(sorted(assocs[i] for i in lists["associations"].get(profile.pk, []))),
            ]
            yield row if viewer is None else _hide(row, profile, viewer)
        bar.update(len(batch))
    bar.close()


def export_people(
    out: io.TextIOBase | Any, *, viewer: User | None = None, progress: bool = False
) -> int:
    """Write every person with a profile as CSV to `out` (as `viewer` may see them, see
    `export_rows`); returns the number of rows."""
    writer = safecsv.writer(out)
    count = -1
    for row in export_rows(viewer=viewer, progress=progress):
        writer.writerow(row)
        count += 1
    return count
