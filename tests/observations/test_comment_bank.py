"""A coach's comment bank: their own phrases for strengths, wonderings and next steps, kept
on a page of their own and offered beside the feedback form. Nobody else ever reads them."""

import pytest

from observations.models import CommentBankPhrase
from tests import factories

pytestmark = pytest.mark.django_db

PHRASE = "Students explained their reasoning to a partner before sharing."


def test_a_coach_keeps_edits_and_deletes_their_phrases(client_for, coach):
    client = client_for(coach)
    page = client.get("/comment-bank/")
    assert page.status_code == 200
    assert "None yet." in page.text
    response = client.post("/comment-bank/", {"kind": "wonderings", "text": f"  {PHRASE} "})
    assert response.status_code == 302
    phrase = CommentBankPhrase.objects.get(coach=coach)
    assert (phrase.kind, phrase.text) == ("wonderings", PHRASE)
    page = client.get("/comment-bank/").text
    assert "Kept in your comment bank." in page
    assert PHRASE in page.split('id="kind-wonderings"')[1].split("</section>")[0]

    edit = f"/comment-bank/{phrase.pk}/edit/"
    assert PHRASE in client.get(edit).text
    client.post(edit, {"kind": "next_steps", "text": "Try a think-pair-share."})
    phrase.refresh_from_db()
    assert (phrase.kind, phrase.text) == ("next_steps", "Try a think-pair-share.")

    response = client.post(f"/comment-bank/{phrase.pk}/delete/")
    assert response["Location"] == "/comment-bank/"
    assert not CommentBankPhrase.objects.exists()
    assert "Deleted from your comment bank." in client.get("/comment-bank/").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "strengths", "text": "   "}, "This field is required."),
        ({"kind": "praise", "text": PHRASE}, "Select a valid choice."),
        ({"kind": "strengths", "text": "x" * 1001}, "under 1,000 characters"),
        ({"kind": "strengths", "text": PHRASE}, "already in your comment bank"),
    ],
)
def test_a_phrase_that_cannot_be_kept_says_why_and_changes_nothing(
    client_for, coach, data, message
):
    factories.CommentBankPhraseFactory(coach=coach, text=PHRASE)
    page = client_for(coach).post("/comment-bank/", data)
    assert page.status_code == 200
    assert message in page.text
    assert CommentBankPhrase.objects.count() == 1


def test_a_refused_edit_leaves_the_phrase_as_it_was(client_for, coach):
    phrase = factories.CommentBankPhraseFactory(coach=coach, text=PHRASE)
    page = client_for(coach).post(f"/comment-bank/{phrase.pk}/edit/", {"kind": "x", "text": ""})
    assert page.status_code == 200
    assert "Select a valid choice." in page.text
    phrase.refresh_from_db()
    assert (phrase.kind, phrase.text) == ("strengths", PHRASE)


def test_the_feedback_form_offers_each_phrase_for_its_own_box(client_for, coach, cycle):
    observation = factories.ObservationFactory(cycle=cycle)
    factories.CommentBankPhraseFactory(coach=coach, kind="next_steps", text=PHRASE)
    factories.CommentBankPhraseFactory(text="Another coach's phrase.")
    page = client_for(coach).get(f"/observations/{observation.pk}/feedback/").text
    assert 'data-insert-into="id_next_steps"' in page
    assert PHRASE in page
    assert "Another coach's phrase." not in page
    assert f'href="/comment-bank/?next=/observations/{observation.pk}/feedback/"' in page


def test_from_the_feedback_form_the_bank_leads_back_to_it(client_for, coach, cycle):
    observation = factories.ObservationFactory(cycle=cycle)
    client = client_for(coach)
    back = f"/observations/{observation.pk}/feedback/"
    assert (
        f'href="{back}">&larr; Back to the feedback'
        in client.get(f"/comment-bank/?next={back}").text
    )
    response = client.post("/comment-bank/", {"kind": "strengths", "text": PHRASE, "next": back})
    assert response["Location"] == f"/comment-bank/?next={back.replace('/', '%2F')}"
    # Anywhere else is not followed.
    page = client.get("/comment-bank/?next=https://example.com/").text
    # (The page's own address, query and all, is only the language switch's way back.)
    assert 'href="https://example.com' not in page
    assert "Back to the feedback" not in page


@pytest.mark.parametrize("persona", ["teacher", "other_coach", "school_admin", "district_admin"])
def test_nobody_else_reads_or_changes_a_coachs_phrase(request, client_for, coach, persona):
    phrase = factories.CommentBankPhraseFactory(coach=coach, text=PHRASE)
    client = client_for(request.getfixturevalue(persona))
    assert PHRASE not in client.get("/comment-bank/").text
    assert client.get(f"/comment-bank/{phrase.pk}/edit/").status_code == 404
    assert (
        client.post(
            f"/comment-bank/{phrase.pk}/edit/", {"kind": "strengths", "text": "x"}
        ).status_code
        == 404
    )
    assert client.post(f"/comment-bank/{phrase.pk}/delete/").status_code == 404
    phrase.refresh_from_db()
    assert phrase.text == PHRASE


def test_the_teacher_never_sees_the_phrases_their_feedback_was_written_with(
    client_for, coach, teacher, cycle
):
    factories.CommentBankPhraseFactory(coach=coach, text=PHRASE)
    shared = factories.ObservationFactory(cycle=cycle, status="shared")
    client = client_for(teacher)
    for url in (f"/observations/{shared.pk}/", "/teacher/", "/my-records/feedback/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert PHRASE not in response.text, url


def test_the_menu_offers_it_to_coaches_only(client_for, coach, teacher):
    assert 'href="/comment-bank/">Comment bank' in client_for(coach).get("/coach/").text
    assert "/comment-bank/" not in client_for(teacher).get("/teacher/").text


def test_a_departed_coachs_phrases_leave_with_them(coach):
    from records.retention import _forget_person

    factories.CommentBankPhraseFactory(coach=coach, text=PHRASE)
    _forget_person(coach)
    assert not CommentBankPhrase.objects.exists()


def test_administrators_are_told_comment_banks_leave_with_their_coach(client_for, school_admin):
    page = client_for(school_admin).get("/data-we-keep/").text
    assert "comment banks of deactivated people" in page
