"""Every e-mail's Message-ID names the site it comes from, not the machine that sent it."""

import pytest
from django.core import mail
from django.test import override_settings

from outbox.mail import mail_enqueue, mail_send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "site_url",
    [
        "https://tandem.example.org",
        "https://tandem.example.org:8443/",
        "https://TANDEM.example.org",
    ],
)
def test_an_e_mail_s_message_id_ends_with_the_site_s_host(site_url):
    with override_settings(SITE_URL=site_url):
        message = mail_enqueue(
            key="invitation:1", to="daniel@example.org", subject="Hello", body="Welcome."
        )
        assert mail_send(message.pk) is True
    message_id = mail.outbox[0].message()["Message-ID"]
    assert message_id.endswith("@tandem.example.org>")
