"""E-mails about feedback. They say that something is waiting, never what it says: the
words stay in Tandem, behind sign-in, where the access log sees every read."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from .models import Observation, ObservationResponse


def _link(observation_id) -> str:
    return settings.SITE_URL + reverse("observations:detail", args=[observation_id])


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_feedback_shared(observation_id: str) -> None:
    """Tell the observed teachers, once: a repeated or retried task sends nothing more."""
    unsent = Observation.objects.filter(
        pk=observation_id, status=Observation.Status.SHARED, shared_notice_sent_at__isnull=True
    )
    if not unsent.update(shared_notice_sent_at=timezone.now()):
        return
    observation = (
        Observation.objects.filter(pk=observation_id, status=Observation.Status.SHARED)
        .select_related("observer")
        .prefetch_related("teachers")
        .first()
    )
    if observation is None:
        return
    for teacher in observation.teachers.all():
        send_mail(
            subject=f"{observation.observer} shared feedback with you",
            message=(
                f"Hello {teacher.get_short_name()},\n\n{observation.observer} shared feedback "
                f"from a lesson they observed. Read it, and answer if you wish:\n\n"
                f"{_link(observation.pk)}\n\nOnly you and your coach can read it.\n\nTandem\n"
            ),
            from_email=None,
            recipient_list=[teacher.email],
        )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_response_received(response_id: int) -> None:
    """Tell the coach of a teacher's first answer, once."""
    unsent = ObservationResponse.objects.filter(pk=response_id, notice_sent_at__isnull=True)
    if not unsent.update(notice_sent_at=timezone.now()):
        return
    response = (
        ObservationResponse.objects.filter(pk=response_id)
        .select_related("teacher", "observation__observer")
        .first()
    )
    if response is None:
        return
    coach = response.observation.observer
    send_mail(
        subject=f"{response.teacher} answered your feedback",
        message=(
            f"Hello {coach.get_short_name()},\n\n{response.teacher} answered the feedback you "
            f"shared:\n\n{_link(response.observation_id)}\n\nTandem\n"
        ),
        from_email=None,
        recipient_list=[coach.email],
    )
