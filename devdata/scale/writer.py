"""Writing millions of rows in constant memory: COPY on PostgreSQL, bulk_create elsewhere
(SQLite, for small sizes). Rows are tuples of Python values in the order of the fields
named for the table.

Nothing here checks what it writes: the constraints of the database do, at the latest when
`indexes_deferred` puts them back on a full table.
"""

import queue
import threading
from contextlib import contextmanager

from django.db import connection

BATCH = 20_000


def _copy_text(value) -> str:
    """A value as PostgreSQL's COPY text format spells it."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if type(value) is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    return str(value)


class Rows:
    """One table's rows, handed to the writer a batch at a time."""

    def __init__(self, writer, model, fields):
        opts = model._meta
        self.writer = writer
        self.model = model
        self.label = opts.verbose_name_plural
        self.table = opts.db_table
        self.columns = [opts.get_field(name).column for name in fields]
        self.attnames = [opts.get_field(name).attname for name in fields]
        self.count = 0
        self._batch = []

    def add(self, *values) -> None:
        self._batch.append(values)
        self.count += 1
        if len(self._batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self.writer.send(self, self._batch)
            self._batch = []


class Writer:
    """Writes the batches of its tables on the default connection, in its transaction.

    On PostgreSQL a thread of its own sends them with COPY, so that the database takes in
    one batch while Python makes the next; a few batches wait at most, so memory stays flat.
    """

    def __init__(self):
        self.tables = []
        self._error = None
        self._queue = None
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            self._queue = queue.Queue(maxsize=4)
            self._thread = threading.Thread(
                target=self._copy, args=(connection.connection,), daemon=True
            )
            self._thread.start()

    def table(self, model, fields) -> Rows:
        rows = Rows(self, model, fields)
        self.tables.append(rows)
        return rows

    def send(self, rows, batch) -> None:
        self._raise()
        if self._queue is None:
            model, names = rows.model, rows.attnames
            model.objects.bulk_create(model(**dict(zip(names, row, strict=True))) for row in batch)
            return
        names = ", ".join(connection.ops.quote_name(column) for column in rows.columns)
        table = connection.ops.quote_name(rows.table)
        text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in batch)
        self._queue.put((f"COPY {table} ({names}) FROM STDIN", text))

    def flush(self) -> None:
        """Write everything handed over so far; the connection is free again after."""
        for rows in self.tables:
            rows.flush()
        if self._queue is not None:
            self._queue.join()
        self._raise()

    def close(self) -> None:
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()

    def _copy(self, raw):
        while (item := self._queue.get()) is not None:
            try:
                if self._error is None:
                    sql, text = item
                    with raw.cursor() as cursor, cursor.copy(sql) as copy:
                        copy.write(text)
            except Exception as error:  # raised again in the generating thread
                self._error = error
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def _raise(self):
        if self._error is not None:
            raise self._error


@contextmanager
def indexes_deferred(tables):
    """On PostgreSQL, drop the secondary indexes, unique and foreign-key constraints of
    `tables` while they fill, and put them back at the end under their own names.

    One index build over a full table is far cheaper than updating it for every row, and a
    foreign key added to a full table is checked in one join rather than a lookup per row.
    Put back, every constraint is checked again over everything written. The DDL is
    transactional: if loading fails, the indexes come back with the rollback.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
            ORDER BY contype DESC
            """,
            [list(tables)],
        )
        constraints = cursor.fetchall()  # unique ones first: foreign keys may lean on them
        cursor.execute(
            """
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
            FROM pg_index i
            WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = i.indexrelid AND c.contype IN ('u', 'p', 'x')
            )
            """,
            [list(tables)],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        # A table may not change shape while checks of its foreign keys wait for the commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in reversed(constraints):
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
