"""Date and time typed by staff in the Buddhist Era ("24/11/2569 14:30"), as the citizens' forms take dates; the
database keeps aware Christian-Era datetimes. A browser's datetime-local input would show the Christian Era."""

import re
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cctv.thai.dates import format_be_date, parse_be_date
from cctv.thai.ids import normalise_digits

# Staff type times to the minute: a time in the current minute is not "in the future".
TYPING_GRACE = timedelta(minutes=1)
_DATETIME = re.compile(r"^\s*(\S+?)\s*(?:,|\s)\s*(?:เวลา\s*)?(\d{1,2})\s*[:.]\s*(\d{2})\s*(?:น\.?)?\s*$")


def format_be_input(value: datetime) -> str:
    """The text an input shows for a stored time: "24/11/2569 14:30" (local time)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_be_date(local.date())} {local:%H:%M}"


def parse_be_datetime(text: str) -> datetime:
    match = _DATETIME.match(normalise_digits(text or ""))
    if not match:
        raise ValidationError(
            _("Enter the date and time as day/month/Buddhist-Era year hour:minute, e.g. 24/11/2569 14:30."),
            code="invalid_datetime",
        )
    day = parse_be_date(match.group(1))
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise ValidationError(_("This time does not exist. Use 00:00 to 23:59."), code="invalid_time")
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class BuddhistEraDateTimeInput(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "placeholder": "วว/ดด/ปปปป ชช:นน", "data-be-datetime": ""}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        # A stored time becomes BE text; whatever staff typed (even invalid) is shown back unchanged.
        if isinstance(value, datetime):
            return format_be_input(value)
        return super().format_value(value)


class BuddhistEraDateTimeField(forms.Field):
    widget = BuddhistEraDateTimeInput

    def prepare_value(self, value):
        if callable(value):
            value = value()
        return format_be_input(value) if isinstance(value, datetime) else value

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        if isinstance(text, datetime):
            return text
        return parse_be_datetime(text)
