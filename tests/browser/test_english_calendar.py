"""The public form's calendar speaks the page's language: a citizen who switches to English on a phone gets an
English button, English month and weekday names and Christian-Era years (the Buddhist-Era year beside them, as the
site writes English dates); the Thai page keeps Thai months and Buddhist-Era years. The date box takes the BE date
either way, as its help text says. axe-core checks the English page with the calendar open."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cctv.thai.dates import THAI_MONTHS, format_be_date
from tests.browser.citizen_form import one_page
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONTHS = "January February March April May June July August September October November December".split()
THAI = re.compile(r"[\u0e00-\u0e7f]")
SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots to look at, as the working rules ask


def english_heading(day) -> str:
    return f"{MONTHS[day.month - 1]} {day.year} (B.E. {day.year + 543})"


def test_the_calendar_on_the_english_form_is_in_english(live_server, form_page, phone):
    page = phone
    server_errors = []
    page.on("response", lambda response: response.status >= 500 and server_errors.append(response.url))
    page.goto(live_server.url + form_page.url)
    # The Thai page as it was: Thai button, Thai month, Buddhist-Era year.
    assert page.locator(".calendar-toggle").first.inner_text() == "เลือกวันที่"
    page.locator(".calendar-toggle").first.click()
    today = timezone.localdate()
    thai_heading = page.get_by_role("dialog").get_by_role("heading").inner_text()
    assert thai_heading == f"{THAI_MONTHS[today.month - 1]} {today.year + 543}"
    page.keyboard.press("Escape")

    with page.expect_navigation():
        page.get_by_role("button", name="English", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"
    one_page(page)  # the incident date's step at once (the steps themselves: test_stepped_form.py)

    date_input = page.get_by_label(re.compile(r"^\s*Date of incident( \*)?\s*$"))
    toggle = page.locator("[data-field='incident_date'] .calendar-toggle")
    assert toggle.inner_text() == "Choose date"
    assert toggle.get_attribute("aria-label") == "Choose date (calendar)"
    toggle.click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_role("heading").inner_text() == english_heading(today)
    assert dialog.locator("th").all_inner_texts() == ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"]
    day_label = dialog.locator(".calendar__day[tabindex='0']").get_attribute("aria-label")
    assert day_label == f"{today.day} {english_heading(today)}"
    assert dialog.get_by_role("button", name="Next month").is_visible()
    assert dialog.get_by_role("button", name="Close").is_visible()
    assert not THAI.search(dialog.inner_text())
    assert axe_violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "english_calendar.png"), full_page=False)

    dialog.get_by_role("button", name="Previous month").click()
    last_month = today.replace(day=1) - timedelta(days=1)
    assert page.get_by_role("dialog").get_by_role("heading").inner_text() == english_heading(last_month)
    page.get_by_role("dialog").get_by_role("button", name=f"1 {english_heading(last_month)}", exact=True).click()
    # The box takes the date the way the field reads it on every page: day/month/Buddhist-Era year.
    assert date_input.input_value() == format_be_date(last_month.replace(day=1))
    assert page.get_by_role("dialog").count() == 0
    assert page.console_errors == []
    assert server_errors == []
