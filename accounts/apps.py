from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and schools"

    def ready(self):
        from . import (
            language,  # noqa: F401 - takes a new person's language from their browser
            security,  # noqa: F401 - connects the sign-in failure counter
            sso,  # noqa: F401 - remembers which district account signed in
        )
