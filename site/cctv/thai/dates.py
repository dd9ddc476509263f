"""Buddhist-Era dates (พ.ศ. = ค.ศ. + 543) at the form boundary; the database keeps Christian-Era dates."""

import re
from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cctv.thai.ids import normalise_digits

BE_OFFSET = 543
THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
THAI_WEEKDAYS_SHORT = ("อา.", "จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.")

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
# Years a person might really mean in the Christian Era; BE years in use are 2400 and later.
_CE_YEARS = range(1900, 2400)


def be_year(value: date) -> int:
    return value.year + BE_OFFSET


def parse_be_date(value: str) -> date:
    match = _DATE.match(normalise_digits(value or ""))
    if not match:
        raise ValidationError(_("Enter the date as day/month/Buddhist-Era year, e.g. 16/02/2569."), code="invalid_date")
    day, month, year = (int(part) for part in match.groups())
    if year in _CE_YEARS:
        raise ValidationError(
            _("The year %(year)s looks like a Christian-Era year. Use the Buddhist Era: %(be_year)s."),
            code="christian_era_year",
            params={"year": year, "be_year": year + BE_OFFSET},
        )
    try:
        return date(year - BE_OFFSET, month, day)
    except ValueError:
        raise ValidationError(_("This date does not exist. Check the day and month."), code="invalid_date") from None


def format_be_date(value: date, style: str = "numeric") -> str:
    year = be_year(value)
    if style == "long":
        return f"{value.day} {THAI_MONTHS[value.month - 1]} {year}"
    if style == "short":
        return f"{value.day} {THAI_MONTHS_SHORT[value.month - 1]} {year}"
    return f"{value.day:02d}/{value.month:02d}/{year}"


def format_be_month(value: date | datetime) -> str:
    """A month for a report's row: "พฤศจิกายน 2569" (a time is read in local time, as the month it falls in)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{THAI_MONTHS[value.month - 1]} {be_year(value)}"


def format_be_datetime(value: datetime) -> str:
    """A time for reading: "24 พ.ย. 2569 14:30 น." (local time)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_be_date(local.date(), 'short')} {local:%H:%M} น."


class BuddhistEraDateInput(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "วว/ดด/ปปปป",
            "data-thai-date": "",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        # A date becomes BE text; whatever the citizen typed (even invalid) is shown back unchanged.
        if isinstance(value, date):
            return format_be_date(value)
        return super().format_value(value)


class BuddhistEraDateField(forms.CharField):
    widget = BuddhistEraDateInput

    def __init__(self, *, max_date_today: bool = False, min_days_ago: int | None = None, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.max_date_today = max_date_today
        self.min_days_ago = min_days_ago

    def prepare_value(self, value):
        if callable(value):
            value = value()
        return format_be_date(value) if isinstance(value, date) else value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        return parse_be_date(text)

    def validate(self, value):
        if value is None:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        today = timezone.localdate()
        if self.max_date_today and value > today:
            raise ValidationError(_("The date cannot be in the future."), code="future_date")
        if self.min_days_ago is not None and value < today - timedelta(days=self.min_days_ago):
            raise ValidationError(
                _("The date cannot be more than %(days)s days ago."),
                code="too_old",
                params={"days": self.min_days_ago},
            )

    def run_validators(self, value):
        # CharField's length validators apply to text, not to the parsed date.
        return
