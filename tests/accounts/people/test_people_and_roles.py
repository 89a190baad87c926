import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Membership, RoleInvitation, User
from tests import factories
from tests.factories import MembershipFactory, teacher_at

pytestmark = pytest.mark.django_db


def roster(text):
    return SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")


def test_a_roster_with_one_bad_row_imports_nothing_and_says_where(client_for, school_admin, school):
    response = client_for(school_admin).post(
        "/people/import/",
        {
            "school": school.pk,
            "roster": roster(
                "name,email,role\n"
                "Ada Lovelace,ada@example.org,teacher\n"
                "Alan Turing,not-an-address,coach\n"
                "Grace Hopper,grace.h@example.org,principal\n"
            ),
        },
    )
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert (
        "Line 3 (Alan Turing): the e-mail “not-an-address” is not a valid address." in response.text
    )
    assert "Line 4 (Grace Hopper): the role “principal” is not one of" in response.text
    assert not User.objects.filter(email="ada@example.org").exists()


def test_a_good_roster_imports_every_row_and_invites_the_new(
    client_for, school_admin, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(school_admin).post(
            "/people/import/",
            {
                "school": school.pk,
                "roster": roster(
                    "Ada Lovelace,ada@example.org,teacher\nAlan Turing,alan@example.org,coach\n"
                ),
            },
        )
    assert response.url == "/people/"
    # Asked, as by the invitation form: the role is Ada's once she chooses her password.
    assert RoleInvitation.objects.filter(
        school=school, user__email="ada@example.org", role="teacher", status="pending"
    ).exists()
    assert not Membership.objects.filter(user__email="ada@example.org").exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "alan@example.org"]


def test_a_duplicate_address_in_the_file_is_reported(client_for, school_admin, school):
    response = client_for(school_admin).post(
        "/people/import/",
        {"school": school.pk, "roster": roster("A,a@example.org,teacher\nB,a@example.org,coach\n")},
    )
    assert "already appears on line 1" in response.text
    assert not User.objects.filter(email="a@example.org").exists()


def test_an_invited_person_chooses_a_password_through_the_link(
    client, client_for, school_admin, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(school_admin).post(
            "/people/invite/",
            {
                "full_name": "Ada Lovelace",
                "email": "ada@example.org",
                "role": "teacher",
                "school": school.pk,
            },
        )
    client.logout()
    link = re.search(r"https?://[^/]+(/welcome/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert "Welcome to Tandem" in page.text
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "lovely-long-secret", "new_password2": "lovely-long-secret"},
    )
    assert (
        client.post(
            "/accounts/sign-in/", {"username": "ada@example.org", "password": "lovely-long-secret"}
        ).status_code
        == 302
    )
    assert client.get("/")["Location"] == "/teacher/"
    # The link worked once; now it says so.
    client.logout()
    assert "no longer works" in client.get(link, follow=True).text


def test_someone_with_an_account_just_gains_the_role(
    client_for, school_admin, school, other_school
):
    person = teacher_at(other_school)
    client_for(school_admin).post(
        "/people/invite/",
        {"full_name": "x", "email": person.email, "role": "teacher", "school": school.pk},
    )
    assert person.memberships.filter(school=school).exists()
    assert mail.outbox == []


def test_an_administrator_cannot_be_made_a_coach_at_their_school(client_for, school_admin, school):
    response = client_for(school_admin).post(
        f"/people/{school_admin.pk}/", {"role": "coach", "school": school.pk}
    )
    assert "cannot coach there" in response.text
    assert not school_admin.memberships.filter(role="coach").exists()


def test_roles_are_added_and_removed(client_for, school_admin, school, teacher):
    client = client_for(school_admin)
    client.post(f"/people/{teacher.pk}/", {"role": "coach", "school": school.pk})
    coach_role = teacher.memberships.get(role="coach")
    client.post(f"/roles/{coach_role.pk}/remove/")
    assert list(teacher.memberships.values_list("role", flat=True)) == ["teacher"]


def test_an_administrator_cannot_remove_their_own_administrator_role(client_for, school_admin):
    own = school_admin.memberships.get()
    response = client_for(school_admin).post(f"/roles/{own.pk}/remove/", follow=True)
    assert "cannot remove your own administrator role" in response.text
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_account_is_deactivated_and_cannot_sign_in(client, client_for, school_admin, teacher):
    client_for(school_admin).post(f"/people/{teacher.pk}/active/", {"active": "0"})
    teacher.refresh_from_db()
    assert not teacher.is_active


def test_someone_with_roles_elsewhere_is_not_deactivated_from_here(
    client_for, school_admin, teacher, other_school
):
    MembershipFactory(user=teacher, role="teacher", school=other_school)
    response = client_for(school_admin).post(
        f"/people/{teacher.pk}/active/", {"active": "0"}, follow=True
    )
    assert "also has roles elsewhere" in response.text
    teacher.refresh_from_db()
    assert teacher.is_active


def test_people_of_another_school_answer_404(client_for, school_admin, other_school):
    stranger = teacher_at(other_school)
    client = client_for(school_admin)
    assert client.get(f"/people/{stranger.pk}/").status_code == 404
    assert client.post(f"/roles/{stranger.memberships.get().pk}/remove/").status_code == 404
    assert stranger.full_name not in client.get("/people/").text


def test_the_people_list_searches_and_paginates(client_for, school_admin, school):
    for n in range(31):
        teacher_at(school, user__full_name=f"Teacher {n:02d}")
    client = client_for(school_admin)
    assert "Page 1 of 2" in client.get("/people/").text
    assert "Teacher 07" in client.get("/people/?q=Teacher 07").text


def test_a_district_administrator_keeps_the_library(client_for, district_admin, school_admin):
    client = client_for(district_admin)
    client.post(
        "/library/strategies/new/", {"title": "Wait time", "description": "Pause.", "checklist": ""}
    )
    client.post("/library/focus-areas/new/", {"name": "Literacy", "position": 5})
    page = client.get("/library/").text
    assert "Wait time" in page
    assert "Literacy" in page
    assert client_for(school_admin).get("/library/").status_code == 404


def test_a_district_administrator_appoints_another(client_for, district_admin, school, district):
    person = teacher_at(school)
    client = client_for(district_admin)
    client.post(f"/people/{person.pk}/", {"role": "district_admin", "school": school.pk})
    assert person.memberships.filter(role="district_admin", district=district).exists()
    assert "District administrator · Riverside Unified" in client.get(f"/people/{person.pk}/").text


def test_a_school_administrator_cannot_appoint_a_district_administrator(
    client_for, school_admin, school, teacher
):
    response = client_for(school_admin).post(
        f"/people/{teacher.pk}/", {"role": "district_admin", "school": school.pk}
    )
    assert "Select a valid choice" in response.text
    assert not teacher.memberships.filter(role="district_admin").exists()


def test_a_coach_of_the_district_cannot_become_its_administrator(
    client_for, district_admin, coach, school
):
    response = client_for(district_admin).post(
        f"/people/{coach.pk}/", {"role": "district_admin", "school": school.pk}
    )
    assert "can never coach in their own district" in response.text
    assert not coach.memberships.filter(role="district_admin").exists()


def test_a_district_administrator_cannot_remove_their_own_role(client_for, district_admin):
    own = district_admin.memberships.get()
    response = client_for(district_admin).post(f"/roles/{own.pk}/remove/", follow=True)
    assert "cannot remove your own administrator role" in response.text
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_administrator_sends_a_fresh_welcome_link_once(
    client_for, school_admin, school, django_capture_on_commit_callbacks
):
    invited = teacher_at(school, user__email="new@example.org", user__full_name="New Person")
    invited.set_unusable_password()
    invited.save()
    client = client_for(school_admin)
    assert "Send the welcome e-mail again" in client.get(f"/people/{invited.pk}/").text
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/people/{invited.pk}/welcome/", follow=True)
        client.post(f"/people/{invited.pk}/welcome/")  # a double click
    assert "A new welcome link is on its way to new@example.org." in first.text
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert "/welcome/" in mail.outbox[0].body


def test_no_welcome_is_sent_to_someone_with_a_password(client_for, school_admin, teacher):
    response = client_for(school_admin).post(f"/people/{teacher.pk}/welcome/", follow=True)
    assert "has already chosen a password" in response.text
    assert mail.outbox == []


@pytest.fixture
def stranger():
    """An administrator in another district, with a name of her own."""
    elsewhere = factories.SchoolFactory(name="Lakeside High")
    return factories.school_admin_at(
        elsewhere, user__full_name="Olu Adeyemi", user__email="olu@lakeside.example.org"
    )


def invite(client, school, email, name="Whoever You Are", role="teacher"):
    return client.post(
        "/people/invite/",
        {"full_name": name, "email": email, "role": role, "school": school.pk},
        follow=True,
    )


def test_inviting_someone_of_another_district_asks_them_and_attaches_nothing(
    client_for, school_admin, school, stranger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(school_admin), school, "Olu@Lakeside.example.org")
    # The inviter sees what they typed, never the account's real name.
    assert "Whoever You Are" in response.text
    assert "Olu Adeyemi" not in response.text
    assert "Olu Adeyemi" not in client_for(school_admin).get("/people/").text
    assert not Membership.objects.filter(user=stranger, school=school).exists()
    assert [m.to for m in mail.outbox] == [["olu@lakeside.example.org"]]
    assert "/invitations/" in mail.outbox[0].body
    # Her role switcher gains nothing she did not accept.
    assert len(client_for(stranger).get("/").wsgi_request.memberships) == 1


def test_the_person_accepts_and_only_then_holds_the_role(
    client_for, school_admin, school, stranger
):
    invite(client_for(school_admin), school, "olu@lakeside.example.org")
    client = client_for(stranger)
    page = client.get("/invitations/").text
    assert "Grace Whitfield" in page
    assert "Riverside Elementary" in page
    invitation = RoleInvitation.objects.get()
    response = client.post(f"/invitations/{invitation.pk}/accept/", follow=True)
    assert "You are now teacher at Riverside Elementary." in response.text
    assert Membership.objects.filter(user=stranger, school=school, role="teacher").exists()
    # Now she is one of the school's people, under her own name.
    assert "Olu Adeyemi" in client_for(school_admin).get("/people/").text


def test_a_declined_invitation_leaves_the_account_alone(client_for, school_admin, school, stranger):
    invite(client_for(school_admin), school, "olu@lakeside.example.org")
    invitation = RoleInvitation.objects.get()
    client_for(stranger).post(f"/invitations/{invitation.pk}/decline/")
    assert not Membership.objects.filter(user=stranger, school=school).exists()
    invitation.refresh_from_db()
    assert invitation.status == "declined"


def test_nobody_else_can_answer_someone_elses_invitation(
    client_for, school_admin, school, stranger, teacher
):
    invite(client_for(school_admin), school, "olu@lakeside.example.org")
    invitation = RoleInvitation.objects.get()
    assert client_for(teacher).post(f"/invitations/{invitation.pk}/accept/").status_code == 404
    assert client_for(school_admin).post(f"/invitations/{invitation.pk}/accept/").status_code == 404


def test_a_roster_asks_people_of_other_districts_too(client_for, school_admin, school, stranger):
    text = "Someone,olu@lakeside.example.org,coach\nNew Person,new@example.org,teacher\n"
    response = client_for(school_admin).post(
        "/people/import/", {"school": school.pk, "roster": roster(text)}, follow=True
    )
    # One count: whether an address is someone's elsewhere is not this district's to learn.
    assert "Roster imported: 2 roles given or offered." in response.text
    assert not Membership.objects.filter(user=stranger, school=school).exists()
    assert RoleInvitation.objects.get(user=stranger).name_typed == "Someone"
    assert RoleInvitation.objects.filter(user__email="new@example.org", school=school).exists()


def test_someone_of_the_same_district_is_given_the_role_directly(
    client_for, school_admin, school, other_coach
):
    invite(client_for(school_admin), school, other_coach.email, role="coach")
    assert Membership.objects.filter(user=other_coach, school=school, role="coach").exists()
    assert not RoleInvitation.objects.exists()


def test_an_invitation_answers_alike_whether_the_address_has_an_account_elsewhere(
    client_for, school_admin, school, stranger, django_capture_on_commit_callbacks
):
    """Whether an address already uses Tandem in another district is that person's to
    tell: the inviter sees one answer, made of what they typed."""
    client = client_for(school_admin)

    def answer(email, name):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/people/invite/",
                {"full_name": name, "email": email, "role": "teacher", "school": school.pk},
                follow=True,
            )
        shown = [str(m).replace(name, "NAME").replace(email, "EMAIL") for m in
                 response.context["messages"]]  # fmt: skip
        return response.redirect_chain, response.status_code, shown

    elsewhere = answer("olu@lakeside.example.org", "Olu Somebody")
    new = answer("ada@example.org", "Ada Lovelace")
    assert elsewhere == new
    assert new[2] == ["NAME (EMAIL) is invited as teacher at Riverside Elementary."]
    # Each address receives its one e-mail: an offer to accept, or a welcome.
    assert [m.to for m in mail.outbox] == [["olu@lakeside.example.org"], ["ada@example.org"]]


def test_a_second_invitation_answers_alike_whether_the_address_has_an_account_elsewhere(
    client_for, school_admin, school, stranger
):
    client = client_for(school_admin)

    def twice(email, name):
        data = {"full_name": name, "email": email, "role": "teacher", "school": school.pk}
        client.post("/people/invite/", data)
        response = client.post("/people/invite/", data)
        return response.status_code, response.text.count(f"{email} is already invited as teacher")

    assert twice("olu@lakeside.example.org", "Olu Somebody") == (200, 1)
    assert twice("ada@example.org", "Ada Lovelace") == (200, 1)


def test_the_people_list_never_says_an_address_is_used_in_another_district(
    client_for, school_admin, school, stranger
):
    client = client_for(school_admin)
    invite(client, school, "olu@lakeside.example.org")
    page = client.get("/people/").text
    assert "Invited, not answered yet" in page
    assert "another district" not in page


def test_the_list_shows_every_invitation_alike_and_each_can_be_sent_again_or_withdrawn(
    client_for, school_admin, school, stranger, django_capture_on_commit_callbacks
):
    client = client_for(school_admin)
    invite(client, school, "olu@lakeside.example.org")
    invite(client, school, "ada@example.org")
    page = client.get("/people/").text
    section = page[page.index("Invited, not answered yet") : page.index("</section>")]
    lines = re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)
    shapes = {
        re.sub(r"[0-9a-f-]{36}", "ID", line)
        .replace("olu@lakeside.example.org", "EMAIL")
        .replace("ada@example.org", "EMAIL")
        for line in lines
    }
    assert len(lines) == 2
    assert len(shapes) == 1  # the two lines differ only in their address and link
    # Neither is in the table of people until they accept.
    assert "/people/" + str(stranger.pk) + "/" not in page
    offers = {i.user.email: i for i in RoleInvitation.objects.select_related("user")}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for invitation in offers.values():
            response = client.post(f"/people/invited/{invitation.pk}/again/", follow=True)
            assert "The invitation is on its way again." in response.text
    assert sorted(m.to[0] for m in mail.outbox) == sorted(offers)
    response = client.post(f"/people/invited/{offers['ada@example.org'].pk}/withdraw/", follow=True)
    assert "The invitation is withdrawn." in response.text
    assert list(RoleInvitation.objects.values_list("user__email", flat=True)) == [
        "olu@lakeside.example.org"
    ]


def welcome_link(address):
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    return re.search(r"https?://[^/]+(/welcome/\S+)", message.body).group(1)


def test_a_new_person_may_decline_and_the_list_says_so_as_for_anyone(
    client, client_for, school_admin, school, stranger, django_capture_on_commit_callbacks
):
    admin = client_for(school_admin)
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, school, "ada@example.org")
        invite(admin, school, "olu@lakeside.example.org")
    link = welcome_link("ada@example.org")
    client.logout()
    page = client.get(link, follow=True)
    response = client.post(page.redirect_chain[-1][0], {"decline": "1"}, follow=True)
    assert "You declined the invitation" in response.text
    assert "no longer works" in client.get(link, follow=True).text
    olu = RoleInvitation.objects.get(user=stranger)
    client_for(stranger).post(f"/invitations/{olu.pk}/decline/")
    people = client_for(school_admin).get("/people/").text
    assert people.count("<strong>declined") == 2
    assert not Membership.objects.filter(school=school, user__email="ada@example.org").exists()


def test_a_withdrawn_invitation_takes_its_welcome_link_and_unused_account_with_it(
    client, client_for, school_admin, school, django_capture_on_commit_callbacks
):
    admin = client_for(school_admin)
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, school, "pat@example.org")
    link = welcome_link("pat@example.org")
    invitation = RoleInvitation.objects.get()
    admin.post(f"/people/invited/{invitation.pk}/withdraw/")
    client.logout()
    assert "no longer works" in client.get(link, follow=True).text
    assert not User.objects.filter(email="pat@example.org").exists()


def test_a_role_offered_shows_on_the_home_page(client_for, school_admin, school, other_coach):
    from accounts.services import person_invite

    stranger_here = factories.teacher_at(
        factories.SchoolFactory(), user__email="lena@elsewhere.example.net"
    )
    person_invite(
        actor=school_admin,
        school=school,
        email=stranger_here.email,
        full_name="Lena",
        role="teacher",
    )
    home = client_for(stranger_here).get("/teacher/", follow=True).text
    assert "1 role offered to you: see and answer" in home
