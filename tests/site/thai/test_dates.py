from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cctv.thai.dates import BuddhistEraDateField, format_be_date, parse_be_date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("24/11/2569", date(2026, 11, 24), id="numeric"),
        pytest.param("1/2/2569", date(2026, 2, 1), id="single_digit_day_and_month"),
        pytest.param("๒๔/๑๑/๒๕๖๙", date(2026, 11, 24), id="thai_digits"),
        pytest.param("24-11-2569", date(2026, 11, 24), id="dashes"),
        pytest.param("24.11.2569", date(2026, 11, 24), id="dots"),
        pytest.param("29/02/2567", date(2024, 2, 29), id="leap_day_in_be_2567"),
        pytest.param("31/12/2569", date(2026, 12, 31), id="year_end"),
        pytest.param("01/01/2570", date(2027, 1, 1), id="new_year"),
    ],
)
def test_buddhist_era_dates_are_parsed_to_christian_era(typed, expected):
    assert parse_be_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        pytest.param("29/02/2566", "invalid_date", id="no_leap_day_in_be_2566"),
        pytest.param("31/04/2569", "invalid_date", id="april_has_30_days"),
        pytest.param("2569-11-24", "invalid_date", id="iso_order"),
        pytest.param("tomorrow", "invalid_date", id="words"),
        pytest.param("24/11/2026", "christian_era_year", id="christian_era_year"),
        pytest.param("01/01/1999", "christian_era_year", id="older_christian_era_year"),
    ],
)
def test_bad_dates_are_refused(typed, code):
    with pytest.raises(ValidationError) as raised:
        parse_be_date(typed)
    assert raised.value.code == code


def test_christian_era_hint_gives_the_buddhist_era_year():
    with pytest.raises(ValidationError) as raised:
        parse_be_date("24/11/2026")
    assert "2569" in str(raised.value.messages[0])


@pytest.mark.parametrize(
    ("style", "shown"),
    [("numeric", "24/11/2569"), ("long", "24 พฤศจิกายน 2569"), ("short", "24 พ.ย. 2569")],
)
def test_dates_are_shown_in_the_buddhist_era(style, shown):
    assert format_be_date(date(2026, 11, 24), style) == shown


def test_field_refuses_future_dates_and_accepts_today():
    field = BuddhistEraDateField(max_date_today=True)
    today = timezone.localdate()
    assert field.clean(format_be_date(today)) == today
    with pytest.raises(ValidationError) as raised:
        field.clean(format_be_date(today + timedelta(days=1)))
    assert raised.value.code == "future_date"


def test_field_refuses_dates_older_than_its_limit():
    field = BuddhistEraDateField(min_days_ago=30)
    with pytest.raises(ValidationError) as raised:
        field.clean(format_be_date(timezone.localdate() - timedelta(days=31)))
    assert raised.value.code == "too_old"


def test_field_shows_back_what_was_typed_when_it_is_invalid():
    from django import forms

    class Form(forms.Form):
        when = BuddhistEraDateField()

    form = Form(data={"when": "31/02/2569"})
    assert not form.is_valid()
    assert 'value="31/02/2569"' in str(form["when"])
