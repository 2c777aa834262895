"""`{{ codes|language_names }}`: spoken-language codes shown as names in the page's language."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from tandem.people.languages import language_name

register = template.Library()


@register.filter
def language_names(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes)
