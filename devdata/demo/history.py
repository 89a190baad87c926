"""When the demo's records happened.

The demo does what its people would do through the services, so every rule a service keeps
(the minutes a held meeting logs, the access log, a lesson's note count, the flags on a
coach's home) has one code path. A service stamps the moment it runs, though, and the
demo's story spans past weeks: the history puts each record back at the moment it happened
in the story, in one bulk update per model and set of fields, once the acts are done.

Counters that follow from those moments (a partnership's last activity) are worked out
again from the rows afterwards (`devdata.recount`).
"""

from collections import defaultdict

from django.db import models


class History:
    def __init__(self):
        # model -> the fields moved -> {pk: their moments}
        self._moved: dict[type[models.Model], dict[tuple[str, ...], dict]] = defaultdict(
            lambda: defaultdict(dict)
        )

    def backdate(self, record: models.Model, **moments) -> None:
        """Say when `record` really happened; written by `write`. The record in hand shows
        its moments at once, for the acts that follow to be placed after them."""
        for name, value in moments.items():
            setattr(record, name, value)
        self._moved[type(record)][tuple(sorted(moments))][record.pk] = moments

    def backdate_at_once(self, record: models.Model, **moments) -> None:
        """For a moment the next service checks against: a cycle's start bounds the dates
        of its goal, evidence and progress."""
        for name, value in moments.items():
            setattr(record, name, value)
        type(record)._default_manager.filter(pk=record.pk).update(**moments)

    def write(self) -> None:
        for model, by_fields in self._moved.items():
            for fields, moved in by_fields.items():
                # Rows of their moments alone: whatever a service changed on the record
                # since (a phase, a status) stays as the service wrote it.
                rows = [model(pk=pk, **moments) for pk, moments in moved.items()]
                model._default_manager.bulk_update(rows, fields, batch_size=500)
        self._moved.clear()
