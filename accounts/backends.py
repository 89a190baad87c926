"""Signing in, with one exception for people who have left.

A deactivated account cannot sign in, except a teacher's: their records are theirs to take
away after they leave the school, so they may sign in to export them and do nothing else
(`departed.DepartedTeacherMiddleware` keeps them to that).

Who has records to take away is known only to the apps above this one, so they say it
here: `records` registers its rule when it starts (`RecordsConfig.ready`). That is one of
the side channels docs/architecture.md lists.
"""

from collections.abc import Callable

from django.contrib.auth.backends import ModelBackend

_rules_for_closed_accounts: list[Callable] = []


def let_closed_accounts_sign_in_when(rule: Callable) -> None:
    """`rule(user)` is true for a closed account that may still sign in to take its records."""
    if rule not in _rules_for_closed_accounts:
        _rules_for_closed_accounts.append(rule)


def may_sign_in_after_leaving(user) -> bool:
    return any(rule(user) for rule in _rules_for_closed_accounts)


class SignInBackend(ModelBackend):
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) or may_sign_in_after_leaving(user)
