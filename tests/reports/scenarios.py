"""Records that give a report something to count, shared by the report tests."""

import datetime

from tests import factories


def closed_cycle(school, area_name="Instruction", outcome="met", teacher=None):
    """A cycle closed five days ago, with a teacher of its own unless one is given."""
    partnership = factories.PartnershipFactory(
        school=school, teachers=[teacher] if teacher else None
    )
    today = school.today()
    cycle = factories.CycleFactory(
        partnership=partnership,
        phase="closed",
        outcome=outcome,
        started_on=today - datetime.timedelta(days=40),
        ended_on=today - datetime.timedelta(days=5),
    )
    cycle.focus_area = cycle.focus_area.district.focus_areas.get(name=area_name)
    cycle.save()
    return cycle
