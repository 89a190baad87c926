from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and schools")

    def ready(self):
        from . import (
            language,  # noqa: F401 - takes a new person's language from their browser
            security,  # noqa: F401 - connects the sign-in failure counter
            sso,  # noqa: F401 - remembers which district account signed in
        )
