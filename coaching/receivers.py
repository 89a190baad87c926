"""A teacher who leaves the school, or Tandem, leaves its partnerships at that moment.

Roles and accounts are the accounts app's business, which knows nothing of partnerships;
the places are marked here, so a teacher's export ends where their part did
(`PartnershipMember.left_at`). Whether they are in a partnership now is never read from
this mark but from `PartnershipMember.objects.present()`.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Membership, User

from .models import PartnershipMember

Member = PartnershipMember.Status


def _places(user_id, **where):
    return PartnershipMember.objects.filter(teacher_id=user_id, status=Member.ACCEPTED, **where)


@receiver(post_delete, sender=Membership, dispatch_uid="coaching.teacher_left_school")
def teacher_left_school(sender, instance, **kwargs):
    if instance.role == Membership.Role.TEACHER and instance.school_id:
        _places(instance.user_id, partnership__school_id=instance.school_id).filter(
            left_at=None
        ).update(left_at=timezone.now())


@receiver(post_save, sender=Membership, dispatch_uid="coaching.teacher_back_at_school")
def teacher_back_at_school(sender, instance, created, **kwargs):
    if created and instance.role == Membership.Role.TEACHER and instance.school_id:
        _places(instance.user_id, partnership__school_id=instance.school_id).update(left_at=None)


@receiver(post_save, sender=User, dispatch_uid="coaching.account_closed_or_opened")
def account_closed_or_opened(sender, instance, update_fields=None, **kwargs):
    # Most saves of a person (a sign-in's last_login) cannot change this: skip them.
    if update_fields is not None and "is_active" not in update_fields:
        return
    if instance.is_active:
        _places(instance.pk).exclude(left_at=None).filter(
            partnership__school__memberships__user=instance,
            partnership__school__memberships__role=Membership.Role.TEACHER,
        ).update(left_at=None)
    else:
        _places(instance.pk).filter(left_at=None).update(
            left_at=instance.deactivated_at or timezone.now()
        )
