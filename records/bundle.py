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

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.exports import spreadsheet_safe
from coaching.models import Partnership, PartnershipMember
from cycles.charts import progress_chart
from cycles.models import Cycle, Reflection
from observations.models import ChosenLookFor, Observation, ObservationResponse
from observations.seats import summary

CSV_FILES = {
    "partnerships.csv": [
        "partnership id", "coach", "teachers", "school", "status", "started", "ended",
    ],
    "cycles.csv": [
        "cycle id", "partnership id", "title", "focus area", "phase", "started", "ended",
        "outcome", "summary", "goal", "measure", "unit", "baseline", "target", "target date",
        "strategy", "learning targets",
    ],
    "evidence.csv": ["cycle id", "assessment", "date", "students assessed", "students proficient"],
    "progress.csv": ["cycle id", "date", "value", "unit", "source", "note"],
    "observations.csv": [
        "observation id", "cycle id", "when", "observer", "lesson", "strengths", "wonderings",
        "next steps", "shared", "my answer", "answered",
    ],
    "observation_notes.csv": ["observation id", "time", "note", "look-for"],
    "tallies.csv": ["observation id", "what was counted", "count"],
    "look_fors.csv": ["observation id", "look-for", "chosen by", "counted"],
    "seat_taps.csv": ["observation id", "class", "row", "seat", "kind", "time"],
    "reflections.csv": ["cycle id", "written", "prompt", "text", "shared with"],
    "meetings.csv": [
        "partnership id", "when", "kind", "minutes", "agenda", "notes", "held",
    ],
    "next_steps.csv": ["partnership id", "step", "whose", "due", "done"],
}  # fmt: skip


def partnerships_of(teacher):
    """The partnerships the teacher joined, closed ones included, wherever they are now."""
    joined = PartnershipMember.objects.filter(
        teacher=teacher, status=PartnershipMember.Status.ACCEPTED
    )
    return (
        Partnership.objects.filter(pk__in=joined.values("partnership_id"))
        .select_related("coach", "school")
        .prefetch_related(
            Prefetch("members", queryset=PartnershipMember.objects.select_related("teacher"))
        )
        .order_by("created_at")
    )


def cycles_of(teacher):
    return (
        Cycle.objects.filter(partnership__in=partnerships_of(teacher).values("pk"))
        .select_related("focus_area", "goal__strategy", "partnership__school")
        .order_by("started_on", "created_at")
    )


def count_steps(teacher) -> int:
    """The steps of an export, for its progress: each cycle, then the rest."""
    return cycles_of(teacher).count() + 1


@dataclass
class CycleRecords:
    cycle: Cycle
    goal: object
    evidence: list
    progress: list
    observations: list
    reflections: list
    chart: object


def records_of_cycle(teacher, cycle) -> CycleRecords:
    goal = getattr(cycle, "goal", None)
    evidence = list(goal.evidence.order_by("kind")) if goal else []
    progress = list(goal.progress.order_by("recorded_on", "created_at")) if goal else []
    observations = list(
        Observation.objects.filter(cycle=cycle, status=Observation.Status.SHARED, teachers=teacher)
        .exclude(observer=teacher)
        .select_related("observer", "seat_map")
        .prefetch_related(
            "notes",
            "tallies",
            "seat_taps",
            Prefetch("look_fors", queryset=ChosenLookFor.objects.select_related("chosen_by")),
            # The teacher's own answer only: a colleague observed in the same lesson answers
            # for themselves.
            Prefetch(
                "responses",
                queryset=ObservationResponse.objects.filter(teacher=teacher),
                to_attr="my_responses",
            ),
        )
        .order_by("observed_at")
    )
    reflections = list(
        Reflection.objects.filter(cycle=cycle, author=teacher).order_by("created_at")
    )
    return CycleRecords(
        cycle=cycle,
        goal=goal,
        evidence=evidence,
        progress=progress,
        observations=observations,
        reflections=reflections,
        chart=progress_chart(goal, progress) if goal else None,
    )


def _chooser(look_for) -> str:
    return "the coach" if look_for.by_coach else look_for.chosen_by.full_name


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


def _local(moment, zone):
    return timezone.localtime(moment, zone).isoformat() if moment else ""


def _day(day):
    return day.isoformat() if day else ""


def _number(value):
    return str(value) if value is not None else ""


class Bundle:
    """The files of one export, written one record at a time into a folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.csv_files = {}
        self.writers = {}
        for name, header in CSV_FILES.items():
            handle = open(folder / name, "w", newline="", encoding="utf-8-sig")  # noqa: SIM115
            self.csv_files[name] = handle
            self.writers[name] = csv.writer(handle)
            self.writers[name].writerow(header)
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
    meetings = list(partnership.meetings.order_by("starts_at"))
    steps = list(partnership.next_steps.order_by("created_at"))
    for m in meetings:
        bundle.row(
            "meetings.csv",
            partnership.pk,
            _local(m.starts_at, zone),
            m.get_kind_display(),
            m.duration_minutes,
            m.agenda,
            m.notes,
            "yes" if m.held_at else "no",
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
            "title": partnership.title,
            "school": partnership.school.name,
            "status": partnership.status,
            "agreement": partnership.agreement,
            "started": _day(partnership.started_on),
            "ended": _day(partnership.ended_on),
            "meetings": [
                {
                    "when": _local(m.starts_at, zone),
                    "kind": m.kind,
                    "minutes": m.duration_minutes,
                    "agenda": m.agenda,
                    "notes": m.notes,
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
        cycle.focus_area.name,
        cycle.get_phase_display(),
        _day(cycle.started_on),
        _day(cycle.ended_on),
        cycle.get_outcome_display(),
        cycle.summary,
        goal.statement if goal else "",
        goal.measure if goal else "",
        goal.unit if goal else "",
        _number(goal.baseline) if goal else "",
        _number(goal.target) if goal else "",
        _day(goal.target_date) if goal else "",
        goal.strategy.title if goal and goal.strategy else "",
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
            _number(p.value),
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
            bundle.row(
                "look_fors.csv", o.pk, f.description, _chooser(f), "yes" if f.counted else ""
            )
        seat_map = getattr(o, "seat_map", None)
        seats = _seat_map(seat_map, o) if seat_map else None
        o.seat_summary = seats["summary"] if seats else ""  # for the portfolio's page
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
                "lesson": o.lesson,
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
                    "strengths": o.strengths,
                    "wonderings": o.wonderings,
                    "next_steps": o.next_steps,
                },
                "shared": _local(o.shared_at, zone),
                "my_answer": {"text": answer.text, "when": _local(answer.acknowledged_at, zone)}
                if answer
                else None,
            }
        )
    for r in records.reflections:
        bundle.row(
            "reflections.csv",
            cycle.pk,
            _local(r.created_at, zone),
            r.prompt,
            r.text,
            r.get_visibility_display(),
        )
    return {
        "id": str(cycle.pk),
        "title": cycle.title,
        "focus_area": cycle.focus_area.name,
        "phase": cycle.phase,
        "started": _day(cycle.started_on),
        "ended": _day(cycle.ended_on),
        "outcome": cycle.outcome,
        "summary": cycle.summary,
        "goal": {
            "statement": goal.statement,
            "peers": goal.peers_checked,
            "measure": goal.measure,
            "unit": goal.unit,
            "baseline": _number(goal.baseline),
            "target": _number(goal.target),
            "target_date": _day(goal.target_date),
            "strategy": goal.strategy.title if goal.strategy else "",
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
                    "note": p.note,
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
                "prompt": r.prompt,
                "text": r.text,
                "visibility": r.visibility,
            }
            for r in records.reflections
        ],
    }


def build(teacher, *, made_at: datetime.datetime, on_progress=lambda done: None) -> Path:
    """Write the teacher's ZIP to a temporary file and return its path; `on_progress(n)` is
    called after each cycle. The caller moves the file where it is kept and removes it."""
    folder = Path(tempfile.mkdtemp(prefix="tandem-export-"))
    bundle = Bundle(folder)
    partnerships = list(partnerships_of(teacher))
    cycles = list(cycles_of(teacher))
    by_partnership = {p.pk: [c for c in cycles if c.partnership_id == p.pk] for p in partnerships}
    bundle.portfolio.write(
        render_to_string(
            "records/portfolio/start.html",
            {"teacher": teacher, "cycles": cycles, "made_at": made_at},
        )
    )
    bundle.json.write(
        json.dumps(
            {
                "made": made_at.isoformat(),
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
        for name in CSV_FILES:
            zipped.write(folder / name, f"{top}/csv/{name}")
    for name in [*CSV_FILES, "portfolio.html", "records.json"]:
        (folder / name).unlink()
    return archive
