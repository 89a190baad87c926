"""Signing in, with one exception for people who have left.

A deactivated account cannot sign in, except a teacher's: their records are theirs to take
away after they leave the school, so they may sign in to export them and do nothing else
(`middleware.DepartedTeacherMiddleware` keeps them to that).
"""

from django.contrib.auth.backends import ModelBackend

from coaching.models import PartnershipMember


def may_sign_in_to_export(user) -> bool:
    return PartnershipMember.objects.filter(
        teacher=user, status=PartnershipMember.Status.ACCEPTED
    ).exists()


class SignInBackend(ModelBackend):
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) or may_sign_in_to_export(user)
