from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.text import Form

from .search import MAX_LENGTH


class SearchForm(Form):
    q = forms.CharField(
        label=_("Search my records"),
        required=False,
        max_length=MAX_LENGTH,
        # The limit is the field's max_length (MAX_LENGTH), filled in by its validator.
        error_messages={"max_length": _("Search for at most %(limit_value)d characters.")},
    )
