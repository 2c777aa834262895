"""Reference data everyone may read: the list items (functions, values, guidance...),
organisations and associations."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from tandem.people.models import Association, ListItem, ListKind, Organisation


def list_items(kind: str) -> list[ListItem]:
    return list(ListItem.objects.of(kind))


def list_lookup() -> dict[str, dict[str, ListItem]]:
    """Every active list item by kind and slug, in one query."""
    out: dict[str, dict[str, ListItem]] = {kind: {} for kind in ListKind.values}
    for item in ListItem.objects.filter(active=True):
        out[item.kind][item.slug] = item
    return out


def organisations_list(*, q: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("industry")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def get_organisation(pk: int) -> Organisation:
    """Organisations are public reference data: 404 only when missing."""
    org = (
        Organisation.objects.select_related("industry")
        .prefetch_related("competitors", "partners")
        .filter(pk=pk)
        .first()
    )
    if org is None:
        raise Http404
    return org


def associations_list() -> QuerySet[Association]:
    return Association.objects.all()
