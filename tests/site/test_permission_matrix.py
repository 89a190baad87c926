"""Every URL of the coaching, cycles and observations apps, requested by every persona.

Seeing is scoped (404 for what is not yours, so its existence does not leak); acting on what
you can see but may not change is 403. A new URL fails `test_the_matrix_covers_every_url`
until its row is written here.
"""

import uuid

import pytest

from observations.models import ObservationNote, Tally
from tests.support.urlwalk import all_routes, url_for

PERSONAS = [
    "coach",
    "teacher",
    "colleague",
    "other_coach",
    "school_admin",
    "district_admin",
    "lead",
]
APPS = (
    "accounts:",
    "coaching:",
    "cycles:",
    "observations:",
    "reports:",
    "notifications:",
    "records:",
    "homes:search",
    "video:",
    "growth:",
)

# name: (method, {persona: status}); a persona left out gets 404.
MATRIX = {
    # The teacher's video, which they share with their coach: nobody else, ever. A POST
    # with nothing in it is refused (400) by whoever may send one; the rest never see it.
    "video:list": ("get", {"coach": 200, "teacher": 200, "colleague": 200, "other_coach": 200}),
    "video:add": ("get", {"teacher": 200, "colleague": 200}),
    "video:add_in_cycle": ("get", {"coach": 200, "teacher": 200}),
    "video:upload_start": (
        "post",
        {"coach": 400, "teacher": 400, "colleague": 400, "other_coach": 400},
    ),
    # Its sender alone, asking how much arrived (a POST sends a piece: test_upload.py).
    "video:upload_piece": ("get", {"teacher": 200}),
    "video:upload_finish": ("post", {"teacher": 200}),  # already finished: said again
    "video:detail": ("get", {"coach": 200, "teacher": 200}),
    "video:file": ("get", {"coach": 200, "teacher": 200}),
    "video:poster": ("get", {"coach": 200, "teacher": 200}),
    "video:share": ("get", {"teacher": 200}),
    "video:delete": ("get", {"teacher": 200}),
    "video:comment_add": ("post", {"coach": 302, "teacher": 302}),
    # The coach's comment: taken back by them, or by the teacher whose lesson it is.
    "video:comment_delete": ("post", {"coach": 302, "teacher": 302}),
    "coaching:partnership_list": (
        "get",
        {"coach": 200, "teacher": 200, "colleague": 200, "other_coach": 200},
    ),
    "coaching:partnership_invite": ("get", {"coach": 200, "other_coach": 200}),
    "coaching:partnership_detail": ("get", {"coach": 200, "teacher": 200}),
    "coaching:partnership_accept": ("post", {"coach": 403, "teacher": 403}),
    "coaching:partnership_decline": ("post", {"coach": 403, "teacher": 403}),
    "coaching:partnership_pause": ("post", {"coach": 302, "teacher": 403}),
    "coaching:partnership_resume": ("post", {"coach": 302, "teacher": 403}),
    "coaching:partnership_close": ("post", {"coach": 302, "teacher": 403}),
    # A teacher leaves a team; its coach takes a teacher off it. Asked on a page first.
    "coaching:partnership_remove_teacher": ("get", {"coach": 200, "teacher": 200}),
    "coaching:meeting_schedule": ("get", {"coach": 200, "teacher": 403}),
    "coaching:next_step_add": ("get", {"coach": 200, "teacher": 200}),
    "coaching:coach_notes": ("get", {"coach": 200}),
    "coaching:meeting_detail": ("get", {"coach": 200, "teacher": 200}),
    "coaching:meeting_update": ("get", {"coach": 200, "teacher": 403}),
    "coaching:meeting_hold": ("post", {"coach": 302, "teacher": 403}),
    "coaching:meeting_cancel": ("get", {"coach": 200, "teacher": 403}),
    "coaching:next_step_toggle": ("post", {"coach": 302, "teacher": 302}),
    "coaching:activity_list": ("get", {"coach": 200, "other_coach": 200}),
    "coaching:activity_export": ("get", {"coach": 200, "other_coach": 200}),
    "coaching:activity_log": ("get", {"coach": 200, "other_coach": 200}),
    "coaching:activity_update": ("get", {"coach": 200}),
    "coaching:activity_delete": ("post", {"coach": 302}),
    # The world's cycle is open: the coach is sent back to the partnership, told why.
    "cycles:start": ("get", {"coach": 302, "teacher": 403}),
    "cycles:detail": ("get", {"coach": 200, "teacher": 200}),
    "cycles:advance": ("post", {"coach": 302, "teacher": 403}),
    "cycles:close": ("get", {"coach": 200, "teacher": 403}),
    "cycles:goal": ("get", {"coach": 200, "teacher": 200}),  # either proposes it
    "cycles:goal_accept": ("post", {"coach": 302, "teacher": 302}),  # the other accepts
    # Asked of the teacher alone, once the cycle has closed (the world's is open: told so).
    "cycles:survey": ("get", {"teacher": 302}),
    "cycles:survey_decline": ("post", {"teacher": 302}),
    "cycles:evidence": ("get", {"coach": 200, "teacher": 403}),
    "cycles:progress_add": ("get", {"coach": 200, "teacher": 200}),
    # The coach added the world's point: only whoever added a point corrects it.
    "cycles:progress_edit": ("get", {"coach": 200, "teacher": 403}),
    "cycles:progress_delete": ("get", {"coach": 200, "teacher": 403}),
    "cycles:reflection_write": ("get", {"coach": 200, "teacher": 200}),
    # The teacher's shared reflection: the coach reads it but only its author edits it.
    "cycles:reflection_update": ("get", {"coach": 403, "teacher": 200}),
    "cycles:reflection_delete": ("get", {"coach": 403, "teacher": 200}),
    "cycles:strategy_list": ("get", dict.fromkeys(PERSONAS, 200)),
    "cycles:strategy_detail": ("get", dict.fromkeys(PERSONAS, 200)),
    # A shared observation: its coach and its teacher, nobody else, ever.
    "observations:start": ("get", {"coach": 200, "other_coach": 200}),
    "observations:start_in_cycle": ("get", {"coach": 200, "teacher": 403}),
    "observations:detail": ("get", {"coach": 200, "teacher": 200}),
    "observations:capture": ("get", {"coach": 200, "teacher": 403}),
    "observations:capture_worker": ("get", dict.fromkeys(PERSONAS, 200)),  # code, no data
    "observations:note_add": ("post", {"coach": 302, "teacher": 403}),
    "observations:tally_set": ("post", {"coach": 302, "teacher": 403}),
    # Correcting what was captured: the observer's alone. The lesson here is shared, so
    # an undo of its note is refused (a message on the capture page).
    "observations:note_undo": ("post", {"coach": 302, "teacher": 403}),
    "observations:note_edit": ("get", {"coach": 200, "teacher": 403}),
    "observations:note_delete": ("get", {"coach": 200, "teacher": 403}),
    "observations:tally_edit": ("get", {"coach": 200, "teacher": 403}),
    "observations:tally_delete": ("post", {"coach": 302, "teacher": 403}),
    "observations:feedback": ("get", {"coach": 200, "teacher": 403}),
    # Its GET is the preview of a draft; a shared one sends the coach to the observation.
    "observations:share": ("get", {"coach": 302, "teacher": 403}),
    # Only a draft can be deleted (DRAFT_PAGES); a shared one is nobody's to delete.
    "observations:delete": ("get", {"teacher": 403}),
    "observations:respond": ("post", {"coach": 403, "teacher": 302}),
    "observations:feed_goal": ("post", {"coach": 302, "teacher": 302}),
    # The teacher chooses what is looked for; the coach adds to it. Only the coach observes.
    "observations:look_fors_choose": ("get", {"coach": 200, "teacher": 200}),
    "observations:look_for_add": ("post", {"coach": 302, "teacher": 403}),
    "observations:seats": ("get", {"coach": 200, "teacher": 403}),
    "observations:seat_tap": ("post", {"coach": 302, "teacher": 403}),
    "observations:seat_untap": ("post", {"coach": 302, "teacher": 403}),
    # The look-for library: everyone in the district reads it; the district's own templates
    # are kept by its administrators (a school's by the school's: tests/observations).
    "observations:look_for_library": ("get", dict.fromkeys(PERSONAS, 200)),
    "observations:look_for_template": ("get", dict.fromkeys(PERSONAS, 200)),
    "observations:look_for_template_export": ("get", dict.fromkeys(PERSONAS, 200)),
    "observations:look_for_template_add": ("get", {"school_admin": 200, "district_admin": 200}),
    "observations:look_for_import": ("get", {"school_admin": 200, "district_admin": 200}),
    "observations:look_for_template_edit": ("get", {"district_admin": 200}),
    # Each teacher's own log; people without a teacher role have none.
    "observations:access_log": ("get", {"teacher": 200, "colleague": 200}),
    "observations:my_feedback": ("get", {"teacher": 200, "colleague": 200}),
    # Each coach's own comment bank; a phrase is its coach's alone, 404 to everyone else.
    "observations:comment_bank": ("get", {"coach": 200, "other_coach": 200}),
    "observations:comment_bank_edit": ("get", {"coach": 200}),
    "observations:comment_bank_delete": ("post", {"coach": 302}),
    # Anonymised reports: the school's administrators and its district's.
    "reports:school_report": ("get", {"school_admin": 200, "district_admin": 200}),
    "reports:school_report_csv": ("get", {"school_admin": 200, "district_admin": 200}),
    "reports:district_report": ("get", {"district_admin": 200}),
    "reports:district_report_csv": ("get", {"district_admin": 200}),
    # How the reports protect teachers: for everyone, teachers first.
    "reports:privacy": ("get", dict.fromkeys(PERSONAS, 200)),
    # People and roles; the district's library.
    # Everyone's own reminder choices; an unsubscribe link that is not signed is nobody's.
    "notifications:preferences": ("get", dict.fromkeys(PERSONAS, 200)),
    "notifications:unsubscribe": ("get", {}),
    # Everyone's own calendar address; a new one is asked for on a page first.
    "notifications:calendar_page": ("get", dict.fromkeys(PERSONAS, 200)),
    "notifications:calendar_reset": ("get", dict.fromkeys(PERSONAS, 200)),
    "notifications:calendar": ("get", {}),
    # Everyone's own records to take away; a download is its owner's alone (tests/records).
    "records:mine": ("get", dict.fromkeys(PERSONAS, 200)),
    "records:portfolio": ("get", dict.fromkeys(PERSONAS, 200)),  # each reads their own
    "records:export": ("post", dict.fromkeys(PERSONAS, 302)),
    "records:download": ("get", {}),
    "records:data_we_keep": ("get", {"school_admin": 200, "district_admin": 200}),
    # Search what is yours: coaches and teachers; administrators have none (DESIGN §3).
    "homes:search": ("get", {"coach": 200, "teacher": 200, "colleague": 200, "other_coach": 200}),
    "accounts:people": ("get", {"school_admin": 200, "district_admin": 200}),
    "accounts:invite": ("get", {"school_admin": 200, "district_admin": 200}),
    "accounts:roster_import": ("get", {"school_admin": 200, "district_admin": 200}),
    "accounts:person": ("get", {"school_admin": 200, "district_admin": 200}),
    # The district's OneRoster packages: its administrators alone; the world holds none.
    "accounts:oneroster": ("get", {"district_admin": 200}),
    "accounts:oneroster_detail": ("get", {}),
    "accounts:oneroster_apply": ("post", {}),
    "accounts:oneroster_discard": ("post", {}),
    "accounts:person_active": ("post", {"school_admin": 302, "district_admin": 302}),
    "accounts:role_remove": ("post", {"school_admin": 302, "district_admin": 302}),
    "accounts:person_unlock": ("post", {"school_admin": 302, "district_admin": 302}),
    "accounts:person_welcome": ("post", {"school_admin": 302, "district_admin": 302}),
    "accounts:welcome": ("get", dict.fromkeys(PERSONAS, 200)),  # a bad link says so
    "accounts:invitations": ("get", dict.fromkeys(PERSONAS, 200)),  # each sees their own
    "accounts:invitation_answer": ("post", {}),  # nobody's invitation here
    "accounts:invitation_manage": ("post", {}),  # nor here
    # The coach's own growth: theirs and their lead's (the lead persona supports the coach,
    # not the other coach). Never an administrator's or a teacher's.
    "growth:mine": ("get", {"coach": 200, "other_coach": 200}),
    "growth:start": ("get", {"coach": 200, "other_coach": 200}),
    "growth:goal": ("get", {"coach": 200, "lead": 200}),
    "growth:close": ("post", {"coach": 302, "lead": 403}),
    "growth:reflect": ("get", {"coach": 200, "lead": 403}),
    "growth:meeting": ("get", {"coach": 200, "lead": 200}),
    "growth:step": ("get", {"coach": 200, "lead": 200}),
    "growth:cycle": ("get", {"coach": 200, "lead": 200}),
    "growth:step_toggle": ("post", {"coach": 302, "lead": 302}),
    "growth:step_delete": ("post", {"coach": 302, "lead": 302}),
    # The world's conversation was written by the coach: its author alone takes it back
    # (the lead is told so, with a message).
    "growth:meeting_delete": ("post", {"coach": 302, "lead": 302}),
    "growth:reflection_delete": ("post", {"coach": 302, "lead": 403}),
    "growth:share": ("post", {"coach": 302, "lead": 403}),  # the shared reflection
    "growth:answer": ("get", {"coach": 403, "lead": 200}),
    # The world's support is accepted already: answering it again is refused, with a message.
    "growth:offer_accept": ("post", {"coach": 302}),
    "growth:offer_decline": ("post", {"coach": 302}),
    "growth:support_end": ("post", {"coach": 302, "lead": 302}),
    "growth:lead_home": ("get", {"lead": 200}),
    # The district's list of coaching competencies: its administrators keep it.
    "growth:competencies": ("get", {"district_admin": 200}),
    "growth:competency_add": ("get", {"district_admin": 200}),
    "growth:competency_edit": ("get", {"district_admin": 200}),
    "growth:offer": ("get", {"lead": 200}),
    "growth:coach": ("get", {"lead": 200}),
    "growth:start_for": ("get", {"lead": 200}),
    "cycles:library": ("get", {"district_admin": 200}),
    "cycles:focus_area_add": ("get", {"district_admin": 200}),
    "cycles:focus_area_edit": ("get", {"district_admin": 200}),
    "cycles:strategy_add": ("get", {"district_admin": 200}),
    "cycles:strategy_edit": ("get", {"district_admin": 200}),
}
DRAFT_PAGES = [
    "observations:detail",
    "observations:capture",
    "observations:feedback",
    "observations:share",
    "observations:delete",
]


def _captured(model, world):
    """A note or tally of the shared lesson, for the pages that correct them. Made here, in
    the test's own transaction, so that no other test of the world finds it."""
    found = model.objects.filter(observation=world.shared).first()
    words = {"text": "A note"} if model is ObservationNote else {"label": "A tally"}
    return found or model.objects.create(observation=world.shared, **words)


def url_of(route, world, observation=None):
    return url_for(
        route,
        partnership=world.partnership.pk,
        meeting=world.meeting.pk,
        next_step=world.teacher_step.pk,
        cycle=world.cycle.pk,
        reflection=world.teacher_shared.pk,
        entry=world.entry.pk,
        strategy=world.strategy.pk,
        observation=(observation or world.shared).pk,
        school=world.partnership.school_id,
        district=world.partnership.school.district_id,
        focus_area=world.cycle.focus_area_id,
        person=world.teacher.pk,
        membership=world.teacher.memberships.get().pk,
        member=world.partnership.members.get(teacher=world.teacher).pk,
        uidb64="MQ",
        invitation="5b1d3c8e-0a4e-4d1e-9d7a-0b5e7f1c2a3d",
        answer="accept",
        token="not-a-token",
        template=world.template.pk,
        point=world.point.pk,
        note=_captured(ObservationNote, world).client_id,
        tally=_captured(Tally, world).client_id,
        phrase=world.phrase.pk,
        video=world.video.pk,
        comment=world.video_comment.pk,
        growth_cycle=world.growth.pk,
        growth_reflection=world.growth_shared.pk,
        growth_step=world.growth_step.pk,
        growth_meeting=world.growth_meeting.pk,
        competency=world.partnership.school.district.competencies.first().pk,
        # Only the module's world has a lead: elsewhere a support nobody has.
        support=world.support.pk if hasattr(world, "support") else uuid.UUID(int=1),
    )


ROUTES = {name: route for name, route in all_routes() if name.startswith(APPS)}


# Every test here only reads the world and the personas: they are built once for the module
# (`world_once`, tests/conftest.py) rather than for each of its seven hundred tests.
@pytest.fixture
def world(world_once, db):
    return world_once.world


def _persona(name):
    @pytest.fixture(name=name)
    def persona(world_once, db):
        return world_once.people[name]

    return persona


coach, teacher, colleague, other_coach, school_admin, district_admin, lead = map(_persona, PERSONAS)


def test_the_matrix_covers_every_url():
    assert set(ROUTES) == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_status_the_matrix_says(request, client_for, world, persona, name):
    method, statuses = MATRIX[name]
    client = client_for(request.getfixturevalue(persona))
    response = getattr(client, method)(url_of(ROUTES[name], world))
    assert response.status_code == statuses.get(persona, 404)


@pytest.mark.parametrize(
    "name",
    sorted(
        set(MATRIX) - {"accounts:welcome", "notifications:unsubscribe", "notifications:calendar"}
    ),
)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name):
    method, _ = MATRIX[name]
    response = getattr(client, method)(url_of(ROUTES[name], world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("name", sorted(n for n, (method, _) in MATRIX.items() if method == "post"))
def test_one_tap_actions_refuse_a_plain_get(client_for, coach, world, name):
    assert client_for(coach).get(url_of(ROUTES[name], world)).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", DRAFT_PAGES)
def test_a_draft_observation_is_the_coachs_alone(request, client_for, world, persona, name):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(url_of(ROUTES[name], world, observation=world.draft))
    assert response.status_code == (200 if persona == "coach" else 404)


@pytest.mark.parametrize("persona", ["coach", "teacher", "school_admin"])
def test_no_page_with_coaching_words_or_people_stays_in_a_browser_cache(
    request, client_for, world, persona
):
    """Shared feedback, notes, reflections, report figures and CSV downloads are gone from
    a shared computer once its person signs out or closes the browser."""
    client = client_for(request.getfixturevalue(persona))
    seen = 0
    for name, (method, statuses) in MATRIX.items():
        if method != "get" or statuses.get(persona) != 200:
            continue
        response = client.get(url_of(ROUTES[name], world))
        if name == "observations:capture_worker":
            continue  # code, no data: revalidated on every visit
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control, f"{name}: {response['Cache-Control']}"
        seen += 1
    assert seen > 5
