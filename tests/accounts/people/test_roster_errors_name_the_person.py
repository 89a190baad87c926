"""A roster that cannot be imported says, for each line, whom it is about and which field
is wrong: an administrator fixing a spreadsheet of hundreds of rows finds the person, not
only a line number to count to."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User

pytestmark = pytest.mark.django_db


def import_roster(client, school, text):
    upload = SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")
    return client.post("/people/import/", {"school": school.pk, "roster": upload})


def test_each_error_names_the_person_and_the_field(client_for, school_admin, school):
    response = import_roster(
        client_for(school_admin),
        school,
        "name,email,role\n"
        "Ada Lovelace,ada@example.org,teacher\n"
        "Alan Turing,not-an-address,coach\n"
        "Grace Hopper,grace.h@example.org,principal\n"
        ",nameless@example.org,teacher\n"
        "Katherine Johnson,katherine@example.org\n"
        "Dorothy Vaughan,ada@example.org,teacher\n",
    )
    assert response.status_code == 200
    page = response.text
    assert "Line 3 (Alan Turing): the e-mail “not-an-address” is not a valid address." in page
    assert (
        "Line 4 (Grace Hopper): the role “principal” is not one of coach, teacher, "
        "school administrator." in page
    )
    assert "Line 5 (nameless@example.org): the name is empty." in page
    assert "Line 6 (Katherine Johnson): expected 3 columns (name, e-mail, role), found 2." in page
    assert "Line 7 (Dorothy Vaughan): the e-mail ada@example.org already appears on line 2." in page
    assert not User.objects.filter(email="ada@example.org").exists()


def test_a_name_that_cannot_be_shown_is_found_by_its_e_mail(client_for, school_admin, school):
    response = import_roster(
        client_for(school_admin), school, "Alan\x00Turing,alan@example.org,coach\n"
    )
    assert (
        "Line 1 (alan@example.org): in the name, remove the invisible or control characters"
        in response.text
    )
