"""Everything about a teacher, as a ZIP they keep: a printable portfolio, JSON and CSV.

It is read through the teacher's own places in partnerships (accepted; closed partnerships
too), so it works after a partnership closes and after the teacher has left the school. It
holds what the teacher can read in Tandem about themselves: partnerships, cycles, goals and
progress, observations of their lessons shared with them with the feedback and their own
answers, their own reflections, meetings and next steps. Never a colleague's answer or
private reflection, the coach's own notes, or a draft.

It is written one cycle at a time to files on disk and zipped from there, so memory stays
flat however long the teacher's history.
"""

import csv
import datetime
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts.models import Membership
from coaching.models import PartnershipMember
from coaching.selectors import (
    meetings_while_in,
    next_steps_while_in,
    partnerships_taken_part_in,
)
from core.spreadsheets import spreadsheet_safe
from cycles.charts import progress_chart
from cycles.models import Cycle, EvidenceSnapshot
from cycles.selectors import (
    cycles_taken_part_in,
    progress_while_in_each,
    reflections_written_by_each,
)
from observations.seats import summary
from observations.selectors import observations_shared_with_in_each
from video.models import video_storage
from video.selectors import videos_owned_in_each

# Each table's headings, for the person who opens it in a spreadsheet: in their language. The
# files keep their English names, and records.json its English keys, for programs.
CSV_FILES = {
    "partnerships.csv": [
        # Translators: "records table column" is a heading of a table of a teacher's records,
        # opened in a spreadsheet; lower case, as in English.
        pgettext_lazy("records table column", "partnership id"),
        pgettext_lazy("records table column", "coach"),
        pgettext_lazy("records table column", "teachers"),
        pgettext_lazy("records table column", "school"),
        pgettext_lazy("records table column", "status"),
        pgettext_lazy("records table column", "started"),
        pgettext_lazy("records table column", "ended"),
    ],
    "cycles.csv": [
        pgettext_lazy("records table column", "cycle id"),
        pgettext_lazy("records table column", "partnership id"),
        pgettext_lazy("records table column", "title"),
        pgettext_lazy("records table column", "focus area"),
        pgettext_lazy("records table column", "phase"),
        pgettext_lazy("records table column", "started"),
        pgettext_lazy("records table column", "ended"),
        pgettext_lazy("records table column", "outcome"),
        pgettext_lazy("records table column", "summary"),
        pgettext_lazy("records table column", "goal"),
        pgettext_lazy("records table column", "measure"),
        pgettext_lazy("records table column", "unit"),
        pgettext_lazy("records table column", "baseline"),
        pgettext_lazy("records table column", "target"),
        pgettext_lazy("records table column", "target date"),
        pgettext_lazy("records table column", "strategy"),
        pgettext_lazy("records table column", "learning targets"),
    ],
    "evidence.csv": [
        pgettext_lazy("records table column", "cycle id"),
        pgettext_lazy("records table column", "assessment"),
        pgettext_lazy("records table column", "date"),
        pgettext_lazy("records table column", "students assessed"),
        pgettext_lazy("records table column", "students proficient"),
    ],
    "progress.csv": [
        pgettext_lazy("records table column", "cycle id"),
        pgettext_lazy("records table column", "date"),
        pgettext_lazy("records table column", "value"),
        pgettext_lazy("records table column", "unit"),
        pgettext_lazy("records table column", "source"),
        pgettext_lazy("records table column", "note"),
    ],
    "observations.csv": [
        pgettext_lazy("records table column", "observation id"),
        pgettext_lazy("records table column", "cycle id"),
        pgettext_lazy("records table column", "when"),
        pgettext_lazy("records table column", "observer"),
        pgettext_lazy("records table column", "lesson"),
        pgettext_lazy("records table column", "strengths"),
        pgettext_lazy("records table column", "wonderings"),
        pgettext_lazy("records table column", "next steps"),
        pgettext_lazy("records table column", "shared"),
        pgettext_lazy("records table column", "my answer"),
        pgettext_lazy("records table column", "answered"),
    ],
    "observation_notes.csv": [
        pgettext_lazy("records table column", "observation id"),
        pgettext_lazy("records table column", "time"),
        pgettext_lazy("records table column", "note"),
        pgettext_lazy("records table column", "look-for"),
    ],
    "tallies.csv": [
        pgettext_lazy("records table column", "observation id"),
        pgettext_lazy("records table column", "what was counted"),
        pgettext_lazy("records table column", "count"),
    ],
    "look_fors.csv": [
        pgettext_lazy("records table column", "observation id"),
        pgettext_lazy("records table column", "look-for"),
        pgettext_lazy("records table column", "chosen by"),
        pgettext_lazy("records table column", "counted"),
    ],
    "seat_taps.csv": [
        pgettext_lazy("records table column", "observation id"),
        pgettext_lazy("records table column", "class"),
        pgettext_lazy("records table column", "row"),
        pgettext_lazy("records table column", "seat"),
        pgettext_lazy("records table column", "kind"),
        pgettext_lazy("records table column", "time"),
    ],
    "reflections.csv": [
        pgettext_lazy("records table column", "cycle id"),
        pgettext_lazy("records table column", "written"),
        pgettext_lazy("records table column", "prompt"),
        pgettext_lazy("records table column", "text"),
        pgettext_lazy("records table column", "shared with"),
    ],
    "meetings.csv": [
        pgettext_lazy("records table column", "partnership id"),
        pgettext_lazy("records table column", "when"),
        pgettext_lazy("records table column", "kind"),
        pgettext_lazy("records table column", "minutes"),
        pgettext_lazy("records table column", "agenda"),
        pgettext_lazy("records table column", "notes"),
        pgettext_lazy("records table column", "held"),
    ],
    "next_steps.csv": [
        pgettext_lazy("records table column", "partnership id"),
        pgettext_lazy("records table column", "step"),
        pgettext_lazy("records table column", "whose"),
        pgettext_lazy("records table column", "due"),
        pgettext_lazy("records table column", "done"),
    ],
    "videos.csv": [
        pgettext_lazy("records table column", "cycle id"),
        pgettext_lazy("records table column", "video id"),
        pgettext_lazy("records table column", "title"),
        pgettext_lazy("records table column", "recorded"),
        pgettext_lazy("records table column", "recorded by"),
        pgettext_lazy("records table column", "length (seconds)"),
        pgettext_lazy("records table column", "sound only"),
        pgettext_lazy("records table column", "shared with"),
        pgettext_lazy("records table column", "clip from (seconds)"),
        pgettext_lazy("records table column", "clip to (seconds)"),
        pgettext_lazy("records table column", "file"),
    ],
    "video_comments.csv": [
        pgettext_lazy("records table column", "video id"),
        pgettext_lazy("records table column", "moment (seconds)"),
        pgettext_lazy("records table column", "by"),
        pgettext_lazy("records table column", "kind"),
        pgettext_lazy("records table column", "look-for"),
        pgettext_lazy("records table column", "wait time (seconds)"),
        pgettext_lazy("records table column", "comment"),
    ],
}


def count_steps(teacher) -> int:
    """The steps of an export, for its progress: each cycle, then the rest."""
    return cycles_taken_part_in(teacher).count() + 1


@dataclass
class CycleRecords:
    cycle: Cycle
    goal: object
    evidence: list
    progress: list
    observations: list
    reflections: list
    videos: list
    chart: object


def records_of_cycle(teacher, cycle) -> CycleRecords:
    return records_of_cycles(teacher, [cycle], with_videos=True)[0]


def records_of_cycles(teacher, cycles, *, with_videos=False) -> list[CycleRecords]:
    """The records of each cycle from `cycles_taken_part_in`, in a fixed handful of queries
    however many: the export asks one cycle at a time (its memory stays flat), the
    portfolio page all of them at once (its cost stays flat)."""
    cycles = list(cycles)
    progress = progress_while_in_each(cycles)
    observations = observations_shared_with_in_each(teacher, cycles)
    reflections = reflections_written_by_each(teacher, cycles)
    # The export lists the teacher's videos; the portfolio page, for reading, does not.
    videos = videos_owned_in_each(teacher, cycles) if with_videos else {}
    goals = [goal for cycle in cycles if (goal := getattr(cycle, "goal", None))]
    evidence = {goal.pk: [] for goal in goals}
    for snapshot in EvidenceSnapshot.objects.filter(goal__in=goals).order_by("kind"):
        evidence[snapshot.goal_id].append(snapshot)
    found = []
    for cycle in cycles:
        goal = getattr(cycle, "goal", None)
        for o in observations[cycle.pk]:
            seat_map = getattr(o, "seat_map", None)
            # Who spoke, in words, for the portfolio's page.
            o.seat_summary = _seat_map(seat_map, o)["summary"] if seat_map else ""
        found.append(
            CycleRecords(
                cycle=cycle,
                goal=goal,
                evidence=evidence[goal.pk] if goal else [],
                progress=progress[cycle.pk],
                observations=observations[cycle.pk],
                reflections=reflections[cycle.pk],
                videos=videos.get(cycle.pk, []),
                chart=(
                    progress_chart(goal, progress[cycle.pk]) if goal and goal.chartable else None
                ),
            )
        )
    return found


def _chooser(look_for) -> str:
    # Translators: who chose a look-for, in the teacher's records: the coach, or the teacher's name.
    return _("the coach") if look_for.by_coach else look_for.chosen_by.full_name


def _yes(yes: bool, no: str = "") -> str:
    """A table's cell for a yes-or-no, in the reader's words."""
    # Translators: a cell of a table of the teacher's records, opened in a spreadsheet.
    return pgettext("records table cell", "yes") if yes else no


def _shared_with(video) -> str:
    """Who the teacher shares a video with, in words, for its table's cell."""
    if video.share_with_coach and video.share_with_team:
        # Translators: who a lesson video is shared with, in a table of the teacher's records.
        return pgettext("records table cell", "coach and team")
    if video.share_with_coach:
        return pgettext("records table cell", "coach")
    if video.share_with_team:
        return pgettext("records table cell", "team")
    return ""


def _seat_map(seat_map, observation) -> dict:
    """Who spoke, by seat: positions and counts only, as Tandem keeps them."""
    by_seat = {}
    for tap in observation.seat_taps.all():
        by_seat[(tap.row, tap.column)] = by_seat.get((tap.row, tap.column), 0) + 1
    return {
        "class": seat_map.name,
        "rows": seat_map.rows,
        "columns": seat_map.columns,
        "summary": summary(seat_map.seat_count, by_seat),
        "taps_by_seat": [
            {"row": r + 1, "seat": c + 1, "times": n} for (r, c), n in sorted(by_seat.items())
        ],
    }


# records.json: each field has one JSON type, and what is absent is null, never "" (the
# tables write null as an empty cell). docs/records.schema.json says it all, and goes into the
# ZIP beside the file; VERSION rises when a field changes its meaning or type.
VERSION = 1
SCHEMA = "records.schema.json"
SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / SCHEMA


def _local(moment, zone):
    """An instant in the school's time, with its offset (ISO 8601)."""
    return timezone.localtime(moment, zone).isoformat() if moment else None


def _day(day):
    return day.isoformat() if day else None


def _number(value):
    """A decimal as a JSON number: two places, well inside what a double holds exactly."""
    return float(value) if value is not None else None


def _text(value):
    return value or None


def _home_zone(teacher, partnerships):
    """Where the export's own moment is told: the school the person teaches (or works) at,
    else the school of their latest partnership (they may have left), else the site's zone."""
    places = teacher.memberships.filter(school__isnull=False).select_related("school")
    places = sorted(places, key=lambda m: m.role != Membership.Role.TEACHER)
    if places:
        return places[0].school.zone
    if partnerships:
        return partnerships[-1].school.zone
    return timezone.get_default_timezone()


class Bundle:
    """The files of one export, written one record at a time into a folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.with_videos = False
        # (name in the ZIP, name in the video store) of each lesson video file asked for.
        self.video_files: list[tuple[str, str]] = []
        self.csv_files = {}
        self.writers = {}
        for name, header in CSV_FILES.items():
            handle = open(folder / name, "w", newline="", encoding="utf-8-sig")  # noqa: SIM115
            self.csv_files[name] = handle
            self.writers[name] = csv.writer(handle)
            self.writers[name].writerow([str(heading) for heading in header])
        self.json = open(folder / "records.json", "w", encoding="utf-8")  # noqa: SIM115
        self.portfolio = open(folder / "portfolio.html", "w", encoding="utf-8")  # noqa: SIM115

    def row(self, name, *cells):
        self.writers[name].writerow([spreadsheet_safe(cell) for cell in cells])

    def close(self):
        for handle in [*self.csv_files.values(), self.json, self.portfolio]:
            handle.close()


def write_partnership(bundle: Bundle, teacher, partnership) -> tuple[dict, list, list]:
    zone = partnership.school.zone
    teachers = [
        m.teacher.full_name
        for m in partnership.members.all()
        if m.status == PartnershipMember.Status.ACCEPTED
    ]
    bundle.row(
        "partnerships.csv",
        partnership.pk,
        partnership.coach.full_name,
        "; ".join(teachers),
        partnership.school.name,
        partnership.get_status_display(),
        _day(partnership.started_on),
        _day(partnership.ended_on),
    )
    meetings = meetings_while_in(partnership)
    steps = next_steps_while_in(partnership)
    for m in meetings:
        bundle.row(
            "meetings.csv",
            partnership.pk,
            _local(m.starts_at, zone),
            m.get_kind_display(),
            m.duration_minutes,
            m.agenda,
            m.notes,
            _yes(bool(m.held_at), pgettext("records table cell", "no")),
        )
    for s in steps:
        bundle.row(
            "next_steps.csv",
            partnership.pk,
            s.text,
            s.get_owner_display(),
            _day(s.due_on),
            _local(s.done_at, zone),
        )
    return (
        {
            "id": str(partnership.pk),
            "coach": partnership.coach.full_name,
            "teachers": teachers,
            "title": _text(partnership.title),
            "school": partnership.school.name,
            "status": partnership.status,
            "agreement": _text(partnership.agreement),
            "started": _day(partnership.started_on),
            "ended": _day(partnership.ended_on),
            "meetings": [
                {
                    "when": _local(m.starts_at, zone),
                    "kind": m.kind,
                    "minutes": m.duration_minutes,
                    "agenda": _text(m.agenda),
                    "notes": _text(m.notes),
                    "held": bool(m.held_at),
                }
                for m in meetings
            ],
            "next_steps": [
                {
                    "step": s.text,
                    "whose": s.owner,
                    "due": _day(s.due_on),
                    "done": _local(s.done_at, zone),
                }
                for s in steps
            ],
        },
        meetings,
        steps,
    )


def write_cycle(bundle: Bundle, records: CycleRecords) -> dict:
    cycle, goal = records.cycle, records.goal
    zone = cycle.partnership.school.zone
    bundle.row(
        "cycles.csv",
        cycle.pk,
        cycle.partnership_id,
        cycle.title,
        str(cycle.focus_area),
        cycle.get_phase_display(),
        _day(cycle.started_on),
        _day(cycle.ended_on),
        cycle.get_outcome_display(),
        cycle.summary,
        goal.statement if goal else "",
        goal.measure if goal else "",
        goal.unit if goal else "",
        goal.baseline if goal else "",
        goal.target if goal else "",
        _day(goal.target_date) if goal else "",
        str(goal.strategy) if goal and goal.strategy else "",
        goal.learning_targets if goal else "",
    )
    for e in records.evidence:
        bundle.row(
            "evidence.csv",
            cycle.pk,
            e.get_kind_display(),
            _day(e.taken_on),
            e.students_assessed,
            e.students_proficient,
        )
    for p in records.progress:
        bundle.row(
            "progress.csv",
            cycle.pk,
            _day(p.recorded_on),
            p.value,
            goal.unit,
            p.get_source_display(),
            p.note,
        )
    observations = []
    for o in records.observations:
        answer = o.my_responses[0] if o.my_responses else None
        bundle.row(
            "observations.csv",
            o.pk,
            cycle.pk,
            _local(o.observed_at, zone),
            o.observer.full_name,
            o.lesson,
            o.strengths,
            o.wonderings,
            o.next_steps,
            _local(o.shared_at, zone),
            answer.text if answer else "",
            _local(answer.acknowledged_at, zone) if answer else "",
        )
        look_fors = {f.pk: f for f in o.look_fors.all()}
        for n in o.notes.all():
            tag = look_fors.get(n.look_for_id)
            bundle.row(
                "observation_notes.csv",
                o.pk,
                _local(n.noted_at, zone),
                n.text,
                tag.description if tag else "",
            )
        for t in o.tallies.all():
            bundle.row("tallies.csv", o.pk, t.label, t.count)
        for f in look_fors.values():
            bundle.row("look_fors.csv", o.pk, f.description, _chooser(f), _yes(f.counted))
        seat_map = getattr(o, "seat_map", None)
        seats = _seat_map(seat_map, o) if seat_map else None
        for tap in o.seat_taps.all() if seat_map else ():
            bundle.row(
                "seat_taps.csv",
                o.pk,
                seat_map.name,
                tap.row + 1,
                tap.column + 1,
                tap.get_kind_display(),
                _local(tap.tapped_at, zone),
            )
        observations.append(
            {
                "id": str(o.pk),
                "when": _local(o.observed_at, zone),
                "observer": o.observer.full_name,
                "lesson": _text(o.lesson),
                "look_fors": [
                    {"look_for": f.description, "chosen_by": _chooser(f), "counted": f.counted}
                    for f in look_fors.values()
                ],
                "notes": [
                    {
                        "time": _local(n.noted_at, zone),
                        "note": n.text,
                        "look_for": look_fors[n.look_for_id].description
                        if n.look_for_id in look_fors
                        else None,
                    }
                    for n in o.notes.all()
                ],
                "seat_map": seats,
                "tallies": [{"what": t.label, "count": t.count} for t in o.tallies.all()],
                "feedback": {
                    "strengths": _text(o.strengths),
                    "wonderings": _text(o.wonderings),
                    "next_steps": _text(o.next_steps),
                },
                "shared": _local(o.shared_at, zone),
                "my_answer": {
                    "text": _text(answer.text),
                    "when": _local(answer.acknowledged_at, zone),
                }
                if answer
                else None,
            }
        )
    for r in records.reflections:
        bundle.row(
            "reflections.csv",
            cycle.pk,
            _local(r.created_at, zone),
            _(r.prompt) if r.prompt else "",
            r.text,
            r.get_visibility_display(),
        )
    videos = [_video(bundle, cycle, v, zone) for v in records.videos]
    return {
        "id": str(cycle.pk),
        "title": cycle.title,
        "focus_area": cycle.focus_area.name,
        "phase": cycle.phase,
        "started": _day(cycle.started_on),
        "ended": _day(cycle.ended_on),
        "outcome": _text(cycle.outcome),
        "summary": _text(cycle.summary),
        "goal": {
            "statement": goal.statement,
            # Words (model fields' verbose names), which JSON takes as strings.
            "peers": [str(quality) for quality in goal.peers_checked],
            "measure": goal.measure,
            "unit": goal.unit,
            "baseline": _number(goal.baseline),
            "target": _number(goal.target),
            "target_date": _day(goal.target_date),
            "strategy": goal.strategy.title if goal.strategy else None,
            "learning_targets": goal.learning_target_items,
            "evidence": [
                {
                    "assessment": e.kind,
                    "date": _day(e.taken_on),
                    "students_assessed": e.students_assessed,
                    "students_proficient": e.students_proficient,
                }
                for e in records.evidence
            ],
            "progress": [
                {
                    "date": _day(p.recorded_on),
                    "value": _number(p.value),
                    "source": p.source,
                    "note": _text(p.note),
                }
                for p in records.progress
            ],
        }
        if goal
        else None,
        "observations": observations,
        "my_reflections": [
            {
                "written": _local(r.created_at, zone),
                "prompt": _text(r.prompt),
                "text": r.text,
                "visibility": r.visibility,
            }
            for r in records.reflections
        ],
        "my_videos": videos,
    }


def _video_file_name(video) -> str:
    return f"videos/{video.created_at:%Y-%m-%d}-{video.pk}.mp4"


def _video(bundle: "Bundle", cycle, video, zone) -> dict:
    shared = [
        who
        for who, yes in (("coach", video.share_with_coach), ("team", video.share_with_team))
        if yes
    ]
    file = _video_file_name(video) if bundle.with_videos else None
    if file:
        bundle.video_files.append((file, video.file))
    bundle.row(
        "videos.csv",
        cycle.pk,
        video.pk,
        video.title,
        _local(video.created_at, zone),
        video.added_by.full_name,
        round(video.duration or 0),
        _yes(not video.has_video),
        _shared_with(video),
        video.clip_start if video.clip_start is not None else "",
        video.clip_end if video.clip_end is not None else "",
        file or "",
    )
    comments = []
    for c in video.comments.all():
        waited = c.wait_time
        look_for = c.look_for.description if c.look_for else None
        bundle.row(
            "video_comments.csv",
            video.pk,
            c.moment,
            c.author.full_name,
            c.get_kind_display(),
            look_for or "",
            "" if waited is None else waited,
            c.text,
        )
        comments.append(
            {
                "moment": c.moment,
                "by": c.author.full_name,
                "kind": c.kind,
                "look_for": look_for,
                "wait_time": waited,
                "text": _text(c.text),
            }
        )
    return {
        "id": str(video.pk),
        "title": video.title,
        "recorded": _local(video.created_at, zone),
        "recorded_by": video.added_by.full_name,
        "seconds": _number(video.duration),
        "sound_only": not video.has_video,
        "shared_with": shared,
        "clip": [video.clip_start, video.clip_end] if video.clip_start is not None else None,
        "talk": video.talk,
        "file": file,
        "comments": comments,
    }


def build(
    teacher, *, made_at: datetime.datetime, on_progress=lambda done: None, with_videos=False
) -> Path:
    """Write the teacher's ZIP to a temporary file and return its path; `on_progress(n)` is
    called after each cycle. The caller moves the file where it is kept and removes it."""
    folder = Path(tempfile.mkdtemp(prefix="tandem-export-"))
    bundle = Bundle(folder)
    bundle.with_videos = with_videos
    partnerships = list(partnerships_taken_part_in(teacher))
    cycles = list(cycles_taken_part_in(teacher))
    by_partnership = {p.pk: [c for c in cycles if c.partnership_id == p.pk] for p in partnerships}
    home = _home_zone(teacher, partnerships)
    with timezone.override(home):
        bundle.portfolio.write(
            render_to_string(
                "records/portfolio/start.html",
                {"teacher": teacher, "cycles": cycles, "made_at": made_at},
            )
        )
    bundle.json.write(
        json.dumps(
            {
                "$schema": SCHEMA,
                "version": VERSION,
                "made": _local(made_at, home),
                "person": {"name": teacher.full_name, "email": teacher.email},
            },
            ensure_ascii=False,
        )[:-1]
        + ', "partnerships": ['
    )
    done = 0
    for i, partnership in enumerate(partnerships):
        described, meetings, steps = write_partnership(bundle, teacher, partnership)
        bundle.json.write(
            ("," if i else "") + json.dumps(described, ensure_ascii=False)[:-1] + ', "cycles": ['
        )
        with timezone.override(partnership.school.zone):
            for j, cycle in enumerate(by_partnership[partnership.pk]):
                records = records_of_cycle(teacher, cycle)
                bundle.json.write(
                    ("," if j else "")
                    + json.dumps(write_cycle(bundle, records), ensure_ascii=False)
                )
                bundle.portfolio.write(
                    render_to_string(
                        "records/portfolio/cycle.html",
                        {"records": records, "partnership": partnership, "teacher": teacher},
                    )
                )
                done += 1
                on_progress(done)
            bundle.portfolio.write(
                render_to_string(
                    "records/portfolio/partnership.html",
                    {
                        "partnership": partnership,
                        "meetings": meetings,
                        "steps": steps,
                        "made_at": made_at,
                    },
                )
            )
        bundle.json.write("]}")
    bundle.json.write("]}")
    bundle.portfolio.write(render_to_string("records/portfolio/end.html"))
    bundle.close()
    archive = folder / "bundle.zip"
    top = f"tandem-records-{made_at:%Y-%m-%d}"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(f"{top}/README.txt", render_to_string("records/portfolio/readme.txt"))
        zipped.write(folder / "portfolio.html", f"{top}/portfolio.html")
        zipped.write(folder / "records.json", f"{top}/records.json")
        zipped.write(SCHEMA_FILE, f"{top}/{SCHEMA}")
        for name in CSV_FILES:
            zipped.write(folder / name, f"{top}/csv/{name}")
        # Stored, not compressed (video is compressed already), a block at a time.
        storage = video_storage()
        for name, stored in bundle.video_files:
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=made_at.timetuple()[:6])
            with (
                storage.open(stored, "rb") as source,
                zipped.open(info, "w", force_zip64=True) as out,
            ):
                for block in source.chunks(1024 * 1024):
                    out.write(block)
    for name in [*CSV_FILES, "portfolio.html", "records.json"]:
        (folder / name).unlink()
    return archive
