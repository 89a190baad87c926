from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import PartnershipMember


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_invitation(member_id: int) -> None:
    """E-mail a teacher their invitation, once: a retried or repeated task sends nothing more."""
    pending = PartnershipMember.objects.filter(
        pk=member_id, status=PartnershipMember.Status.INVITED, invitation_sent_at__isnull=True
    )
    # Claim the invitation first, so two workers running the same task cannot both send it.
    if not pending.update(invitation_sent_at=timezone.now()):
        return
    member = PartnershipMember.objects.select_related(
        "teacher", "partnership__coach", "partnership__school"
    ).get(pk=member_id)
    context = {
        "member": member,
        "url": settings.SITE_URL
        + reverse("coaching:partnership_detail", args=[member.partnership_id]),
    }
    try:
        send_mail(
            subject=f"{member.partnership.coach} invites you to a coaching partnership",
            message=render_to_string("coaching/email/invitation.txt", context),
            from_email=None,
            recipient_list=[member.teacher.email],
        )
    except OSError:
        PartnershipMember.objects.filter(pk=member_id).update(invitation_sent_at=None)
        raise


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def refresh_report_snapshots(school_id: int | None = None, district_id: int | None = None):
    """Recompute report figures: all of them (nightly), or one school's or district's."""
    from accounts.models import District, School

    from .reports import snapshots
    from .reports.periods import PERIODS

    if school_id is None and district_id is None:
        return snapshots.refresh_all()
    school = School.objects.filter(pk=school_id).first() if school_id else None
    district = District.objects.filter(pk=district_id).first() if district_id else None
    if school is None and district is None:
        return 0
    for key in PERIODS:
        snapshots.compute(school=school, district=district, period_key=key)
    return len(PERIODS)
