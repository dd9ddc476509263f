"""Field helpers of the request form: text, number and time inputs with the hints phones need
(``autocomplete``, ``inputmode``), so that the core form reads as a list of questions; and the
Buddhist-Era date-and-time field of the editors' questions."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cctv.thai.dates import BuddhistEraDateField, BuddhistEraDateInput


def text_field(label, *, max_length=100, required=True, help_text="", autocomplete=None, **attrs) -> forms.CharField:
    widget_attrs = {"autocomplete": autocomplete} if autocomplete else {}
    widget_attrs.update(attrs)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=widget_attrs),
    )


def number_field(label, *, min_value, max_value, required=True, help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def time_field(label, *, required=True, help_text="") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class BuddhistEraDateTimeInput(forms.MultiWidget):
    """The core form's Thai date box (with its calendar) beside a time box."""

    def __init__(self, attrs=None):
        time_input = forms.TimeInput(
            attrs={"type": "time", "aria-label": pgettext_lazy("part of a date-and-time question", "Time")},
            format="%H:%M",
        )
        super().__init__((BuddhistEraDateInput(), time_input), attrs)

    def decompress(self, value):
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return [value.date(), value.time()]
        return [value or None, None]


class BuddhistEraDateTimeField(forms.MultiValueField):
    """A day in the Buddhist Era and a time; the answer is an aware Christian-Era datetime."""

    widget = BuddhistEraDateTimeInput

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__((BuddhistEraDateField(), forms.TimeField()), **kwargs)

    def compress(self, data_list):
        if not data_list or all(part is None for part in data_list):
            return None
        day, time = data_list
        if day is None or time is None:
            raise ValidationError(_("Enter both the date and the time."), code="incomplete")
        return timezone.make_aware(datetime.combine(day, time))
