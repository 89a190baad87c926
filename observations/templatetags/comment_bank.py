"""The coach's comment bank beside the feedback form, without the form's view knowing."""

from django import template

from observations.selectors import comment_bank_grouped

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_bank(context):
    """The kinds the coach keeps phrases for, each with its phrases."""
    return [group for group in comment_bank_grouped(context["request"].user) if group[2]]
