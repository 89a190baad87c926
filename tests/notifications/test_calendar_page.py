"""The calendar has a page of its own: the whole address, the links a calendar program
opens, and a page that asks before a new address breaks every subscription."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from notifications.models import CalendarFeed

pytestmark = pytest.mark.django_db


def links(page):
    return {
        html.unescape(text): html.unescape(href)
        for href, text in re.findall(r'<a class="btn[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    }


def test_the_menu_names_the_calendar_apart_from_reminders(client_for, teacher):
    page = client_for(teacher).get("/teacher/").text
    assert 'href="/calendar/">Calendar</a>' in page
    assert 'href="/notifications/">Reminders</a>' in page


def test_the_page_shows_the_whole_address_and_the_links_calendars_open(client_for, coach):
    page = client_for(coach).get("/calendar/").text
    token = CalendarFeed.objects.get(user=coach).token
    address = f"http://testserver/calendar/{token}.ics"
    # The whole address as text, not cut off in a field, with a button to copy it.
    assert f'<code id="feed-url">{address}</code>' in page
    assert 'data-copy="feed-url"' in page
    found = links(page)
    assert found["Open in my calendar app"] == f"webcal://testserver/calendar/{token}.ics"
    google = urlsplit(found["Add to Google Calendar"])
    assert google.netloc == "calendar.google.com"
    assert parse_qs(google.query) == {"cid": [f"webcal://testserver/calendar/{token}.ics"]}
    outlook = urlsplit(found["Add to Outlook"])
    assert outlook.netloc == "outlook.office.com"
    assert outlook.path == "/calendar/0/addfromweb"
    assert parse_qs(outlook.query)["url"] == [address]
    personal = urlsplit(
        html.unescape(re.search(r'href="([^"]+)"[^>]*>add it to Outlook.com', page)[1])
    )
    assert personal.netloc == "outlook.live.com"
    assert parse_qs(personal.query)["url"] == [address]


def test_the_reminders_page_no_longer_holds_the_address(client_for, coach):
    page = client_for(coach).get("/notifications/").text
    assert "/calendar/" in page
    assert ".ics" not in page
    assert "Make a new address" not in page


def test_a_new_address_is_asked_for_on_a_page_that_says_what_it_stops(client_for, coach):
    client = client_for(coach)
    page = client.get("/calendar/").text
    before = CalendarFeed.objects.get(user=coach).token
    # From the calendar page, "Make a new address" is a link to a question, not an action.
    assert 'href="/calendar/new-address/">Make a new address' in page
    question = client.get("/calendar/new-address/")
    assert question.status_code == 200
    assert "stops every existing subscription" in question.text
    assert "Keep my address" in question.text
    assert CalendarFeed.objects.get(user=coach).token == before
    response = client.post("/calendar/new-address/")
    assert response["Location"] == "/calendar/"
    after = CalendarFeed.objects.get(user=coach).token
    assert after != before
    page = client.get("/calendar/").text
    assert "Your calendar has a new address" in page
    assert f"/calendar/{after}.ics" in page


def test_the_address_is_the_persons_own(client_for, coach, teacher):
    coach_page = client_for(coach).get("/calendar/").text
    teacher_page = client_for(teacher).get("/calendar/").text
    assert CalendarFeed.objects.get(user=coach).token not in teacher_page
    assert CalendarFeed.objects.get(user=teacher).token not in coach_page
