"""The columns report queries may read, and nothing else: the database role's grants.

On PostgreSQL, `manage.py create_reports_role` grants SELECT on exactly these columns to
the role reports connect as. No observation, reflection, response, goal statement or
note column is here, so no report query could read one even by mistake.
"""

from accounts.models import District, Membership, School, Term, User
from coaching.models import ActivityEntry, Partnership, PartnershipMember
from cycles import models as cycles

from .models import ReleasedFigures, ReportRelease, SealedTerm

ALL = None  # every column of a table that holds no coaching words

READABLE = {
    District: ALL,
    School: ALL,
    Term: ALL,
    Membership: ["id", "user", "role", "school", "district"],
    User: ["id", "full_name"],  # coaches' names head their own rows of logged time
    Partnership: ["id", "school", "coach", "status", "started_on", "ended_on"],
    PartnershipMember: ["id", "partnership", "teacher", "status"],
    cycles.Cycle: ["id", "partnership", "focus_area", "phase", "started_on", "ended_on", "outcome"],
    # A goal's evidence counts for the impact figures: the goal's id and cycle, never its words.
    cycles.Goal: ["id", "cycle"],
    cycles.EvidenceSnapshot: ["id", "goal", "kind", "students_assessed", "students_proficient"],
    cycles.FocusArea: ALL,
    # Teachers' answers about coaching: the answers and their group's school and day, never
    # the comment; who answered into a group (to count different people), never what.
    cycles.SurveyGroup: ["id", "school", "closed_on"],
    cycles.SurveyAnswer: ["id", "group", "useful", "safe", "again"],
    cycles.SurveyReceipt: ["id", "group", "teacher"],
    ActivityEntry: ["id", "coach", "school", "date", "minutes", "kind", "partnership"],
    SealedTerm: ALL,
    ReportRelease: ALL,
    ReleasedFigures: ALL,
}


def grants() -> list[tuple[str, list[str]]]:
    """(table, columns) pairs for the reports role."""
    pairs = []
    for model, names in READABLE.items():
        fields = model._meta.concrete_fields
        if names is not ALL:
            fields = [model._meta.get_field(name) for name in names]
        pairs.append((model._meta.db_table, [field.column for field in fields]))
    return pairs
