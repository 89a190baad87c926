"""`{{ strategy|said:"title" }}`: a district's words in the reader's language
(core/translated.py)."""

from typing import Any

from django import template

from core import translated

register = template.Library()


@register.filter
def said(obj: Any, field: str) -> str:
    return translated.said(obj, field)
