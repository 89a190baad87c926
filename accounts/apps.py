from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and schools"

    def ready(self):
        from . import (
            security,  # noqa: F401 - connects the sign-in failure counter
            sso,  # noqa: F401 - remembers which district account signed in
        )
