"""Where the reports' own tables are read: the reports connection, and only for reading.

An administrator's report page reads nothing but a release (`ReportRelease`,
`ReleasedFigures`), and a release is the same for every reader until the next one: it may
come from a streaming replica (REPORTS_DATABASE_URL), a moment behind the primary, which
then serves only the pages people write through. The figures behind a release are read
there too, explicitly (`counts`, `releases`, with `using=settings.REPORTS_DATABASE`).

Everything else, and every write, stays on the default connection: a release is made on
the primary, and a replica refuses writes.
"""

from django.conf import settings
from django.db import connections

REPORTS_APP = "reports"


class ReportsRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label != REPORTS_APP:
            return None
        # Inside a transaction on the primary the reader is about to write from what it
        # reads (release_district numbers its release after the latest one, under a lock):
        # a replica a moment behind would hand it the release before last.
        if connections["default"].in_atomic_block:
            return "default"
        return settings.REPORTS_DATABASE

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The reports connection reads the primary's own rows (a replica, or the same
        # database under a narrower role): a release read there may point at a school.
        same_data = {"default", settings.REPORTS_DATABASE}
        return True if {obj1._state.db, obj2._state.db} <= same_data else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Only the primary has a schema to change; the replica copies it, and the reports
        # role may not create anything.
        return db == "default"
