from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records kept and taken away")

    def ready(self):
        from accounts.backends import let_closed_accounts_sign_in_when
        from coaching.selectors import took_part_in_a_partnership

        from . import receivers  # noqa: F401

        # A teacher who leaves the school may still sign in to take their records away.
        let_closed_accounts_sign_in_when(took_part_in_a_partnership)
