"""`{% javascript_catalog %}`: the address of the scripts' words in the page's language
(core/jsi18n.py), for the `<script>` that every page loads before its own."""

from django import template

from core.jsi18n import catalogue_url, language_of_page

register = template.Library()


@register.simple_tag
def javascript_catalog() -> str:
    return catalogue_url(language_of_page())
