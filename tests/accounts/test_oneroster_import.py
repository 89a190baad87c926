"""A district's OneRoster 1.2 packages: the first in bulk, then deltas and later bulks."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from accounts.models import (
    District,
    Membership,
    RoleInvitation,
    RosteredPerson,
    RosterImport,
    School,
    Term,
    User,
)
from accounts.oneroster.services import (
    roster_package_apply,
    roster_package_import,
    roster_package_preview,
)
from accounts.services import role_invitation_answer
from coaching.models import PartnershipMember
from outbox.models import OutboxMessage
from tests import factories
from tests.support.oneroster import Roster, small_district

pytestmark = pytest.mark.django_db


def preview(district, roster, actor=None, **zip_options):
    data = roster.zip(**zip_options) if isinstance(roster, Roster) else roster
    return roster_package_preview(
        actor=actor, district=district, upload=io.BytesIO(data), file_name="roster.zip"
    )


def apply(district, roster, actor=None):
    """Preview and apply; returns the plan applied (or refused)."""
    data = roster.zip() if isinstance(roster, Roster) else roster
    record, plan = roster_package_import(
        actor=actor, district=district, upload=io.BytesIO(data), file_name="r.zip", source="command"
    )
    assert not plan.refusals, [str(r) for r in plan.refusals]
    assert record.status == RosterImport.Status.APPLIED
    return plan


def roles_of(email):
    return sorted(
        (m.role, m.place_name, m.from_roster)
        for m in Membership.objects.filter(user__email=email).select_related("school", "district")
    )


@pytest.fixture
def riverside(district):
    """The district and its first bulk package, applied."""
    apply(district, small_district())
    return district


def test_a_preview_changes_nothing(district, district_admin):
    before = {m: m.objects.count() for m in (User, Membership, School, Term)}
    record, plan = preview(district, small_district(), district_admin)
    assert record.status == "previewed"
    assert plan.counts()["people_add"] == 5
    assert {m: m.objects.count() for m in (User, Membership, School, Term)} == before
    district.refresh_from_db()
    assert district.sourced_id == ""


def test_the_first_bulk_package_brings_the_district_its_schools_terms_and_staff(district):
    plan = apply(district, small_district())
    district.refresh_from_db()
    assert district.sourced_id == "d-1"
    assert sorted(School.objects.filter(district=district).values_list("sourced_id", "name")) == [
        ("s-elem", "Riverside Elementary"),
        ("s-mid", "Hillcrest Middle School"),
    ]
    # The school year is divided into semesters: those are the terms, which tile the year.
    assert list(Term.objects.filter(district=district).values_list("sourced_id", "name")) == [
        ("t-fall", "Fall 2026"),
        ("t-spring", "Spring 2027"),
    ]
    assert roles_of("alan@riverside.example") == [
        ("teacher", "Hillcrest Middle School", True),
        ("teacher", "Riverside Elementary", True),
    ]
    assert roles_of("kat@riverside.example") == [("school_admin", "Riverside Elementary", True)]
    assert roles_of("dorothy@riverside.example") == [("district_admin", "Riverside Unified", True)]
    # The counselor holds no role Tandem keeps: not made at all.
    assert not User.objects.filter(email="mary@riverside.example").exists()
    assert plan.passed_over == 8


def test_rostered_people_are_active_with_no_password_and_get_no_mail(district, mailoutbox):
    apply(district, small_district())
    ada = User.objects.get(email="ada@riverside.example")
    assert ada.is_active
    assert ada.full_name == "Ada Lovelace"
    assert not ada.has_usable_password()
    assert RosteredPerson.objects.get(user=ada).sourced_id == "u-ada"
    assert mailoutbox == []


def test_the_same_package_applied_twice_changes_nothing(riverside):
    record, plan = preview(riverside, small_district())
    assert plan.changes() == 0
    assert not plan.refusals
    before = list(Membership.objects.values_list("id", "user_id", "role", "school_id"))
    roster_package_apply(actor=None, record=record)
    assert list(Membership.objects.values_list("id", "user_id", "role", "school_id")) == before


def test_a_delta_changes_names_adds_and_ends_roles_and_deactivates(riverside):
    delta = (
        Roster(mode="delta")
        .user("u-ada", "Ada", "King", "ada@riverside.example")
        .user("u-grace", "Grace", "Hopper", "grace.hopper@riverside.example", status="tobedeleted")
        .user("u-new", "Edsger", "Dijkstra", "edsger@riverside.example")
        .role("r-2", "u-alan", "teacher", "s-elem", status="tobedeleted")
        .role("r-11", "u-new", "teacher", "s-mid")
    )
    plan = apply(riverside, delta)
    assert User.objects.get(email="ada@riverside.example").full_name == "Ada King"
    assert roles_of("alan@riverside.example") == [("teacher", "Hillcrest Middle School", True)]
    assert roles_of("edsger@riverside.example") == [("teacher", "Hillcrest Middle School", True)]
    grace = User.objects.get(email="grace.hopper@riverside.example")
    assert not grace.is_active
    assert grace.deactivated_at is not None
    assert roles_of(grace.email) == []
    # A delta leaves alone whoever it does not name.
    assert roles_of("kat@riverside.example") == [("school_admin", "Riverside Elementary", True)]
    assert plan.counts()["people_deactivate"] == 1


def test_a_bulk_without_someone_ends_their_roster_roles_and_deactivates_them(riverside, clock):
    ada = User.objects.get(email="ada@riverside.example")
    school = School.objects.get(sourced_id="s-elem")
    partnership = factories.PartnershipFactory(school=school, teachers=[ada])
    roster = small_district()
    roster.users = [u for u in roster.users if u["sourcedId"] != "u-ada"]
    roster.roles = [r for r in roster.roles if r["userSourcedId"] != "u-ada"]
    apply(riverside, roster)
    ada.refresh_from_db()
    assert not ada.is_active
    assert User.objects.filter(pk=ada.pk).exists()  # never deleted
    assert roles_of(ada.email) == []
    # Leaving means leaving: out of the partnership from that moment.
    assert PartnershipMember.objects.get(partnership=partnership, teacher=ada).left_at is not None


def test_a_roster_never_ends_a_role_given_in_tandem(riverside):
    alan = User.objects.get(email="alan@riverside.example")
    school = School.objects.get(sourced_id="s-mid")
    factories.coach_at(school, user=alan)
    roster = small_district()
    roster.roles = [r for r in roster.roles if r["userSourcedId"] != "u-alan"]
    apply(riverside, roster)
    assert roles_of(alan.email) == [("coach", "Hillcrest Middle School", False)]


def test_a_role_given_in_tandem_and_by_the_roster_stays_tandems(district, school):
    ada = factories.teacher_at(school, user__email="ada@riverside.example")
    roster = small_district()
    apply(district, roster)
    assert roles_of(ada.email) == [("teacher", "Riverside Elementary", False)]
    roster.roles = [r for r in roster.roles if r["userSourcedId"] != "u-ada"]
    apply(district, roster)
    assert roles_of(ada.email) == [("teacher", "Riverside Elementary", False)]


def test_an_existing_school_and_person_of_the_district_are_recognised(district, school, teacher):
    roster = small_district()
    roster.users[0]["email"] = "Daniel@Example.org"  # the teacher persona, in other capitals
    plan = apply(district, roster)
    school.refresh_from_db()
    assert school.sourced_id == "s-elem"
    # Matched by its name, whose sourcedId is only recorded: not a school that changes.
    assert (plan.counts()["schools_record"], plan.counts()["schools_change"]) == (1, 0)
    assert plan.counts()["people_match"] == 1
    assert RosteredPerson.objects.get(user=teacher).sourced_id == "u-ada"
    teacher.refresh_from_db()
    assert teacher.full_name == "Ada Lovelace"  # the roster's name wins


def without_asked(rows):
    return [{k: v for k, v in row.items() if k != "ask"} for row in rows]


def test_someone_of_another_district_is_asked_never_attached(district):
    """As person_invite asks: the role is theirs once they accept, and until then nothing
    of their account is attached, nor shown."""
    elsewhere = factories.teacher_at(
        factories.SchoolFactory(), user__email="ada@riverside.example", user__full_name="A. L."
    )
    plan = apply(district, small_district())
    assert {"sourced_id": "u-ada", "name": "Ada Lovelace", "email": "ada@riverside.example"} in (
        without_asked(plan.people_add)
    )
    assert not RosteredPerson.objects.filter(user=elsewhere).exists()
    assert roles_of(elsewhere.email) == [("teacher", elsewhere.memberships.get().place_name, False)]
    invitation = RoleInvitation.objects.get(user=elsewhere)
    assert (invitation.status, invitation.role, invitation.school.sourced_id) == (
        "pending",
        "teacher",
        "s-elem",
    )
    assert (invitation.from_roster, invitation.invited_by, invitation.name_typed) == (
        True,
        None,
        "Ada Lovelace",
    )
    [mail] = OutboxMessage.objects.filter(recipient=elsewhere.email)
    assert mail.subject == "Riverside Unified invites you to Riverside Elementary on Tandem"
    # Asked once: the same package again changes nothing, and sends nothing.
    _, again = preview(district, small_district())
    assert again.changes() == 0


def test_an_address_used_elsewhere_previews_exactly_as_a_new_one(district):
    _, new = preview(district, small_district())
    factories.teacher_at(factories.SchoolFactory(), user__email="ada@riverside.example")
    _, known = preview(district, small_district())
    assert (known.refusals, known.counts()) == (new.refusals, new.counts())
    assert without_asked(known.people_add) == new.people_add
    assert without_asked(known.roles_add) == new.roles_add


def test_a_role_the_roster_asked_is_the_rosters_once_accepted(district):
    elsewhere = factories.teacher_at(factories.SchoolFactory(), user__email="ada@riverside.example")
    apply(district, small_district())
    role_invitation_answer(
        actor=elsewhere, invitation=RoleInvitation.objects.get(user=elsewhere), accept=True
    )
    assert ("teacher", "Riverside Elementary", True) in roles_of(elsewhere.email)
    # Working here now: recognised by the next package, whose roles it keeps up to date.
    roster = small_district()
    plan = apply(district, roster)
    assert [row["sourced_id"] for row in plan.people_match] == ["u-ada"]
    roster.roles = [r for r in roster.roles if r["userSourcedId"] != "u-ada"]
    apply(district, roster)
    assert ("teacher", "Riverside Elementary", True) not in roles_of(elsewhere.email)
    elsewhere.refresh_from_db()
    assert elsewhere.is_active  # their other district's role keeps the account open


def test_someone_who_declined_is_not_asked_again(district):
    elsewhere = factories.teacher_at(factories.SchoolFactory(), user__email="ada@riverside.example")
    apply(district, small_district())
    role_invitation_answer(
        actor=elsewhere, invitation=RoleInvitation.objects.get(user=elsewhere), accept=False
    )
    sent = OutboxMessage.objects.count()
    assert apply(district, small_district()).changes() == 0
    assert OutboxMessage.objects.count() == sent


def test_an_uploader_asks_in_their_own_name(district, district_admin):
    elsewhere = factories.teacher_at(factories.SchoolFactory(), user__email="ada@riverside.example")
    record, _ = preview(district, small_district(), district_admin)
    assert roster_package_apply(actor=district_admin, record=record).applied
    assert RoleInvitation.objects.get(user=elsewhere).invited_by == district_admin


def test_a_roster_never_changes_an_address_whether_the_new_one_is_free_or_taken(riverside):
    """Whoever holds an address can reset the password of the account it signs in to; and
    a taken address must read as a free one does."""
    factories.teacher_at(factories.SchoolFactory(), user__email="taken@elsewhere.example")
    previews = []
    for address in ("free@riverside.example", "taken@elsewhere.example"):
        roster = small_district()
        roster.users[0]["email"] = address
        record, plan = preview(riverside, roster)
        assert (record.status, plan.changes()) == ("previewed", 0)
        previews.append([{**row, "email": ""} for row in plan.addresses])
        roster_package_apply(actor=None, record=record)
        assert User.objects.filter(email="ada@riverside.example").exists()
    assert (
        previews[0]
        == previews[1]
        == [{"who": "Ada Lovelace", "was": "ada@riverside.example", "email": ""}]
    )


def test_another_districts_package_is_refused_at_its_district_row_alone(riverside):
    """Nothing of it is compared with Tandem, nor shown: not its people's addresses, nor
    the problems of its other rows."""
    elsewhere = factories.teacher_at(factories.SchoolFactory())
    roster = small_district()
    roster.orgs[0]["sourcedId"] = "d-other"
    roster.users[0]["email"] = elsewhere.email
    roster.users[1]["email"] = "not an address"
    roster.role("r-99", "u-ada", "teacher", "s-nowhere")
    record, plan = preview(riverside, roster)
    assert [(r.file, r.line, r.column, r.value) for r in plan.refusals] == [
        ("orgs.csv", 2, "sourcedId", "d-other")
    ]
    assert record.refusals == [plan.refusals[0].as_dict()]


def test_a_first_package_naming_a_known_district_is_refused_at_that_row_alone(riverside):
    roster = small_district()
    roster.users[1]["email"] = "not an address"
    _, plan = preview(factories.DistrictFactory(), roster)
    assert [(r.line, r.message) for r in plan.refusals] == [
        (2, "Another district in Tandem has this sourcedId.")
    ]


def test_two_districts_cannot_share_a_sourced_id(riverside):
    _, plan = preview(factories.DistrictFactory(), small_district())
    assert "Another district in Tandem has this sourcedId" in plan.refusals[0].message


def test_an_administrator_the_roster_made_a_principal_cannot_be_their_schools_coach(district):
    school = factories.SchoolFactory(district=district, name="Riverside Elementary")
    factories.coach_at(school, user__email="kat@riverside.example")
    _, plan = preview(district, small_district())
    assert [(r.file, r.line, r.column) for r in plan.refusals] == [("roles.csv", 6, "role")]
    assert "can never coach at their own school" in plan.refusals[0].message


def test_a_person_the_roster_deactivated_comes_back_with_it(riverside):
    roster = small_district()
    without = small_district()
    without.users = [u for u in without.users if u["sourcedId"] != "u-ada"]
    apply(riverside, without)
    assert not User.objects.get(email="ada@riverside.example").is_active
    apply(riverside, roster)
    ada = User.objects.get(email="ada@riverside.example")
    assert ada.is_active
    assert roles_of(ada.email) == [("teacher", "Riverside Elementary", True)]


def test_someone_an_administrator_deactivated_stays_deactivated(riverside):
    User.objects.filter(email="ada@riverside.example").update(is_active=False)
    plan = apply(riverside, small_district())
    assert plan.counts()["people_reactivate"] == 0
    assert not User.objects.get(email="ada@riverside.example").is_active


def test_a_disabled_user_is_deactivated_and_keeps_their_roles(riverside):
    roster = small_district()
    roster.users[0]["enabledUser"] = "false"
    apply(riverside, roster)
    ada = User.objects.get(email="ada@riverside.example")
    assert not ada.is_active
    assert roles_of(ada.email) == [("teacher", "Riverside Elementary", True)]


def test_roles_not_yet_begun_or_already_ended_are_not_given(district):
    roster = small_district()
    roster.roles[0]["beginDate"] = "2027-01-04"  # after the frozen today
    roster.roles[1]["endDate"] = "2026-10-01"
    apply(district, roster)
    assert roles_of("ada@riverside.example") == []
    assert roles_of("alan@riverside.example") == [("teacher", "Hillcrest Middle School", True)]


def test_a_school_renamed_in_the_sis_is_renamed_in_tandem(riverside):
    roster = small_district()
    roster.orgs[1]["name"] = "Riverside Primary"
    plan = apply(riverside, roster)
    assert School.objects.get(sourced_id="s-elem").name == "Riverside Primary"
    assert plan.counts()["schools_change"] == 1


def test_a_package_that_would_end_its_uploaders_role_is_refused(riverside):
    dorothy = User.objects.get(email="dorothy@riverside.example")
    roster = small_district()
    roster.roles = [r for r in roster.roles if r["userSourcedId"] != "u-lead"]
    _, plan = preview(riverside, roster, dorothy)
    assert [r.message for r in plan.refusals] == [
        "This package would end your own district administrator role."
    ]
    # roles.csv leaves her role out: no line to name, but the file, column and value.
    assert [(r.file, r.line, r.column, r.value) for r in plan.refusals] == [
        ("roles.csv", None, "userSourcedId", "u-lead")
    ]


@pytest.mark.parametrize("source", ["folder", "command"])
def test_no_package_leaves_the_district_without_an_active_district_administrator(riverside, source):
    roster = small_district()
    roster.users[4]["enabledUser"] = "false"  # Dorothy, the one district administrator
    record, plan = roster_package_import(
        actor=None,
        district=riverside,
        upload=io.BytesIO(roster.zip()),
        file_name="p.zip",
        source=source,
    )
    assert record.status == "refused"
    assert [(r.file, r.line, r.column, r.value) for r in plan.refusals] == [
        ("users.csv", 6, "enabledUser", "false")
    ]
    assert "no active district administrator" in plan.refusals[0].message
    assert User.objects.get(email="dorothy@riverside.example").is_active


def test_a_package_may_hand_the_district_to_a_new_administrator(riverside):
    roster = small_district()
    roster.users[4]["enabledUser"] = "false"
    roster.user("u-new", "Edsger", "Dijkstra", "edsger@riverside.example")
    roster.role("r-11", "u-new", "districtAdministrator", "d-1")
    apply(riverside, roster)
    assert not User.objects.get(email="dorothy@riverside.example").is_active
    assert roles_of("edsger@riverside.example") == [("district_admin", "Riverside Unified", True)]


def test_a_bulk_leaving_out_someone_with_a_role_given_in_tandem_keeps_their_account(riverside):
    """Only their roster roles end: a roster never ends a role given in Tandem, and so
    never closes the account that holds one."""
    alan = User.objects.get(email="alan@riverside.example")
    factories.coach_at(School.objects.get(sourced_id="s-mid"), user=alan)
    roster = small_district()
    roster.users = [u for u in roster.users if u["sourcedId"] != "u-alan"]
    roster.roles = [r for r in roster.roles if r["userSourcedId"] != "u-alan"]
    plan = apply(riverside, roster)
    alan.refresh_from_db()
    assert alan.is_active
    assert plan.counts()["people_deactivate"] == 0
    assert roles_of(alan.email) == [("coach", "Hillcrest Middle School", False)]


def test_a_coach_the_roster_makes_a_teacher_at_their_school_is_told_about_coaches(district):
    school = factories.SchoolFactory(district=district, name="Riverside Elementary")
    factories.coach_at(school, user__email="ada@riverside.example", user__full_name="Ada L")
    _, plan = preview(district, small_district())
    [refusal] = plan.refusals
    assert (refusal.file, refusal.line, refusal.column) == ("roles.csv", 2, "role")
    assert refusal.message.startswith(
        "Ada L coaches at Riverside Elementary: a roster does not make a coach a teacher"
    )
    assert "administrator" not in refusal.message


def test_what_changed_since_the_preview_is_shown_again_before_anything_applies(
    district, district_admin
):
    record, _ = preview(district, small_district(), district_admin)
    School.objects.create(district=district, name="Riverside Elementary", time_zone="UTC")
    factories.teacher_at(
        School.objects.get(name="Riverside Elementary"), user__email="ada@riverside.example"
    )
    result = roster_package_apply(actor=district_admin, record=record)
    assert not result.applied
    assert not User.objects.filter(email="alan@riverside.example").exists()
    record.refresh_from_db()
    assert record.status == "previewed"
    assert record.summary["counts"]["people_match"] == 1
    assert roster_package_apply(actor=district_admin, record=record).applied


def test_an_expired_preview_is_not_applied(district, district_admin, clock):
    record, _ = preview(district, small_district(), district_admin)
    clock.shift(datetime.timedelta(hours=2))
    with pytest.raises(ValidationError, match="expired"):
        roster_package_apply(actor=district_admin, record=record)
    assert not User.objects.filter(email="ada@riverside.example").exists()


def test_only_the_uploader_applies_a_preview(district, district_admin):
    record, _ = preview(district, small_district(), district_admin)
    other = factories.district_admin_of(district)
    with pytest.raises(ValidationError, match="Only whoever uploaded"):
        roster_package_apply(actor=other, record=record)


def test_an_applied_package_is_applied_once(district, district_admin):
    record, _ = preview(district, small_district(), district_admin)
    assert roster_package_apply(actor=district_admin, record=record).applied
    with pytest.raises(ValidationError, match="already applied"):
        roster_package_apply(actor=district_admin, record=record)


def test_a_school_administrator_cannot_preview_a_package(district, school_admin):
    with pytest.raises(ValidationError):
        preview(district, small_district(), school_admin)


def test_the_first_package_must_name_the_district(district):
    roster = small_district(mode="delta")
    roster.orgs = []
    _, plan = preview(district, roster)
    assert "first package must hold orgs.csv" in plan.refusals[0].message


def test_a_school_year_without_terms_is_a_term(district):
    roster = small_district()
    roster.sessions = roster.sessions[:1]
    apply(district, roster)
    assert list(Term.objects.filter(district=district).values_list("name", flat=True)) == [
        "2026-2027"
    ]
    assert District.objects.get(pk=district.pk).sourced_id == "d-1"


def test_a_departed_persons_sourced_id_is_forgotten_with_their_name(riverside, clock):
    from records.retention import purge_expired

    roster = small_district()
    roster.users = [u for u in roster.users if u["sourcedId"] != "u-ada"]
    apply(riverside, roster)
    clock.shift(datetime.timedelta(days=400))
    purge_expired()
    assert not RosteredPerson.objects.filter(sourced_id="u-ada").exists()
    assert RosteredPerson.objects.filter(sourced_id="u-alan").exists()


def test_someone_added_at_the_same_moment_leaves_the_whole_package_unapplied(district, monkeypatch):
    from accounts.oneroster import services

    record, plan = preview(district, small_district())
    # The plan as it was read a moment before someone else made Ada's account.
    monkeypatch.setattr(services, "plan_package", lambda *args, **kwargs: plan)
    factories.UserFactory(email="ada@riverside.example")
    with pytest.raises(ValidationError, match="Someone changed these people"):
        roster_package_apply(actor=None, record=record)
    assert not User.objects.filter(email="alan@riverside.example").exists()
    assert not School.objects.filter(district=district).exists()
