from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from reports.wall import grants


class Command(BaseCommand):
    help = (
        "Create or update the PostgreSQL role that administrator reports connect as "
        "(REPORTS_DATABASE_URL). It may read only the columns reports need: never an "
        "observation, a reflection, a goal's words or any note."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", default="tandem_reports")
        parser.add_argument("--password", help="Password for the role (needed unless trusted).")

    @transaction.atomic
    def handle(self, *args, role, password, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The reports role is a PostgreSQL role; this database is not.")
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {quote(role)} LOGIN")
            if password:
                # A utility statement takes no bound parameter: the password is quoted here.
                alter = f"ALTER ROLE {quote(role)} PASSWORD %s"
                cursor.execute(connection.ops.compose_sql(alter, [password]))
            cursor.execute(
                f"GRANT CONNECT ON DATABASE {quote(connection.settings_dict['NAME'])} "
                f"TO {quote(role)}"
            )
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quote(role)}")
            # Start from nothing, so a column dropped from the wall loses its grant too.
            cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quote(role)}")
            for table, columns in grants():
                cursor.execute(
                    f"GRANT SELECT ({', '.join(map(quote, columns))}) ON {quote(table)} "
                    f"TO {quote(role)}"
                )
        self.stdout.write(
            self.style.SUCCESS(f"Role {role} may read {len(grants())} tables, column by column.")
        )
