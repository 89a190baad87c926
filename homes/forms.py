from django import forms

from accounts.text import Form

from .search import MAX_LENGTH


class SearchForm(Form):
    q = forms.CharField(
        label="Search my records",
        required=False,
        max_length=MAX_LENGTH,
        error_messages={"max_length": f"Search for at most {MAX_LENGTH} characters."},
    )
