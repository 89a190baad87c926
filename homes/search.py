"""Search what is yours: a coach's notes, feedback, meetings and next steps, a teacher's own
records, found through the very selectors the pages read them with.

Every kind of record starts from its `*_visible_to(user)` selector, so a record the person
cannot open on its page is never a result, never counted and never hinted at: the totals
on the page count the person's own records and nothing else. The kinds are put together in
one query (a UNION), so a page of results costs the same however much anyone has written.
"""

import dataclasses
import datetime
import re
import uuid
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import CharField, F, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from coaching.selectors import (
    coach_notes_visible_to,
    meetings_visible_to,
    next_steps_visible_to,
)
from cycles.selectors import goals_visible_to, reflections_visible_to
from observations.selectors import (
    answers_visible_to,
    notes_visible_to,
    observations_visible_to,
)

# Full-text search with English stemming ("questions" finds "question"); Tandem's pages
# are written in English.
CONFIG = "english"
# A query longer than this is refused by the form; more words than this are not looked for.
MAX_LENGTH = 100
MAX_WORDS = 8

LABELS = {
    "note": _("Lesson note"),
    "feedback": _("Feedback"),
    "answer": _("Answer to feedback"),
    "meeting": _("Meeting"),
    "next_step": _("Next step"),
    "coach_note": _("Coach note"),
    "reflection": _("Reflection"),
    "goal": _("Goal"),
}


@dataclasses.dataclass(frozen=True)
class Terms:
    """What a query asks for: the whole query (for PostgreSQL's websearch syntax), the words
    every result must hold and those it must not (for the plain match elsewhere)."""

    query: str
    wanted: tuple[str, ...]
    unwanted: tuple[str, ...]


def terms_of(query: str) -> Terms:
    """Read a query as a search box is read: words, "a quoted phrase", -left out."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        term = (phrase or word).strip().strip('"')
        if not term or term.casefold() == "or":
            continue
        if word.startswith("-") and len(term) > 1:
            unwanted.append(term[1:])
        elif term != "-":
            wanted.append(term)
    return Terms(query.strip(), tuple(wanted[:MAX_WORDS]), tuple(unwanted[:MAX_WORDS]))


def matching(records: QuerySet, fields: Iterable[str], terms: Terms) -> QuerySet:
    """The one place that decides how text is matched: PostgreSQL's full-text search with
    its websearch syntax on PostgreSQL, a plain case-insensitive containment elsewhere
    (SQLite, for development and the fast tests), each word in any of the fields."""
    fields = list(fields)
    if connections[records.db].vendor == "postgresql":
        return records.annotate(search_vector=SearchVector(*fields, config=CONFIG)).filter(
            search_vector=SearchQuery(terms.query, search_type="websearch", config=CONFIG)
        )
    for word in terms.wanted:
        anywhere = Q()
        for field in fields:
            anywhere |= Q(**{f"{field}__icontains": word})
        records = records.filter(anywhere)
    for word in terms.unwanted:
        for field in fields:
            records = records.exclude(**{f"{field}__icontains": word})
    return records


def _joined(*fields: str) -> Concat:
    parts: list = []
    for field in fields:
        parts += [F(field), Value("\n")]
    return Concat(*parts[:-1], output_field=TextField())


def _as_rows(records: QuerySet, kind: str, *, body, when: str, target: str) -> QuerySet:
    """One kind of record in the shape every kind shares, for the UNION."""
    return (
        records.order_by()
        .annotate(
            found_kind=Value(kind, output_field=CharField()),
            found_ref=Cast("pk", output_field=CharField()),
            found_target=F(target),
            found_body=body,
            found_when=F(when),
        )
        .values_list("found_kind", "found_ref", "found_target", "found_body", "found_when")
    )


def results_for(user: User, terms: Terms) -> QuerySet:
    """Every record of the person's own that matches, newest first, as rows of (kind, ref,
    target, body, when): what the results page needs to show and link each one."""
    text = TextField()
    kinds = [
        _as_rows(
            matching(notes_visible_to(user), ["text"], terms),
            "note",
            body=F("text"),
            when="noted_at",
            target="observation_id",
        ),
        _as_rows(
            matching(
                observations_visible_to(user),
                ["strengths", "wonderings", "next_steps", "subject"],
                terms,
            ),
            "feedback",
            body=_joined("strengths", "wonderings", "next_steps"),
            when="observed_at",
            target="pk",
        ),
        _as_rows(
            matching(answers_visible_to(user), ["text"], terms),
            "answer",
            body=Cast("text", text),
            when="acknowledged_at",
            target="observation_id",
        ),
        _as_rows(
            matching(meetings_visible_to(user), ["agenda", "notes"], terms),
            "meeting",
            body=_joined("agenda", "notes"),
            when="starts_at",
            target="pk",
        ),
        _as_rows(
            matching(next_steps_visible_to(user), ["text"], terms),
            "next_step",
            body=Cast("text", text),
            when="created_at",
            target="partnership_id",
        ),
        _as_rows(
            matching(coach_notes_visible_to(user), ["text"], terms),
            "coach_note",
            body=Cast("text", text),
            when="created_at",
            target="partnership_id",
        ),
        _as_rows(
            matching(reflections_visible_to(user), ["prompt", "text"], terms),
            "reflection",
            body=_joined("prompt", "text"),
            when="created_at",
            target="cycle_id",
        ),
        _as_rows(
            matching(goals_visible_to(user), ["statement", "measure", "learning_targets"], terms),
            "goal",
            body=_joined("statement", "measure", "learning_targets"),
            when="updated_at",
            target="cycle_id",
        ),
    ]
    first, *rest = kinds
    return first.union(*rest, all=True).order_by("-found_when", "found_kind", "found_ref")


@dataclasses.dataclass
class Result:
    kind: str
    label: str
    when: datetime.datetime
    url: str
    before: str
    hit: str
    after: str
    observation: uuid.UUID | None


def _url(kind: str, ref: str, target) -> str:
    if kind in ("note", "feedback", "answer"):
        return reverse("observations:detail", args=[target])
    if kind == "meeting":
        return reverse("coaching:meeting_detail", args=[target])
    if kind == "next_step":
        return reverse("coaching:partnership_detail", args=[target])
    if kind == "coach_note":
        return reverse("coaching:coach_notes", args=[target])
    if kind == "reflection":
        return reverse("cycles:detail", args=[target]) + f"#reflection-{ref}"
    return reverse("cycles:detail", args=[target])


SNIPPET = 90  # characters shown on each side of the first word found


def snippet(body: str, words: Iterable[str]) -> tuple[str, str, str]:
    """Where the text shows the first word looked for: (before, the word, after), cut to a
    line's length. Stemmed matches (PostgreSQL) may hold no word as typed: then its start."""
    body = " ".join((body or "").split())
    folded = body.casefold()
    found = [(folded.find(w.casefold()), w) for w in words if w and w.casefold() in folded]
    if not found:
        end = 2 * SNIPPET
        return body[:end] + ("…" if len(body) > end else ""), "", ""
    at, word = min(found)
    start, end = max(0, at - SNIPPET), at + len(word) + SNIPPET
    before = ("…" if start else "") + body[start:at]
    after = body[at + len(word) : end] + ("…" if end < len(body) else "")
    return before, body[at : at + len(word)], after


def as_results(rows: Iterable[tuple], terms: Terms) -> list[Result]:
    results = []
    for kind, ref, target, body, when in rows:
        before, hit, after = snippet(body, terms.wanted)
        target = target if isinstance(target, uuid.UUID) else uuid.UUID(str(target))
        results.append(
            Result(
                kind=kind,
                label=LABELS[kind],
                when=when,
                url=_url(kind, ref, target),
                before=before,
                hit=hit,
                after=after,
                observation=target if kind in ("note", "feedback", "answer") else None,
            )
        )
    return results
