from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_welcome(user_id: int, inviter_id: int) -> None:
    """Invite a new person to choose a password, through a signed link that expires.

    Sending it twice is harmless: each link works until the password is set, then none does.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    inviter = User.objects.filter(pk=inviter_id).first()
    if user is None or user.has_usable_password():
        return
    link = settings.SITE_URL + reverse(
        "accounts:welcome",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    send_mail(
        subject="You are invited to Tandem",
        message=(
            f"Hello {user.get_short_name()},\n\n{inviter or 'Your school'} invited you to Tandem, "
            "where your school's coaches and teachers work together.\n\nChoose your password "
            f"here (the link works for three days):\n\n{link}\n\nTandem\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


@shared_task(acks_late=True)
def send_welcomes(user_ids: list[int], inviter_id: int) -> None:
    """Welcome the people a roster added, a chunk at a time."""
    for user_id in user_ids:
        send_welcome(user_id, inviter_id)
