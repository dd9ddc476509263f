"""Field helpers of the request form: text, number and time inputs with the hints phones need
(``autocomplete``, ``inputmode``), so that the core form reads as a list of questions."""

from django import forms


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
