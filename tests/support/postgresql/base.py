"""PostgreSQL as Django drives it, but for one thing: after a transactional test (a live
server, a browser, threads racing) the database is emptied with a DELETE of every row
rather than a TRUNCATE of every table. TRUNCATE gives each of some sixty tables new files,
which costs the server about two seconds at commit, after every such test; a DELETE of the
few rows a test made costs milliseconds. config/settings/test.py picks this backend."""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: the order does not matter.
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
