"""Form widgets written in Python where Django's render a template per part."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class Select(forms.Select):
    """Django's select, the same markup, written without a template per option: on the
    coach home the quick form's two selects took longer to draw than the rest of the page's
    form and partnerships together (issue 26). Flat choices only (no option groups)."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if key in chosen else "", label)
                for key, label in ((str(v), label) for v, label in self.choices)
            ),
        )
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(attrs), options)
