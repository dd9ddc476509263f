"""The citizen's status lookup: ID number together with the reference or the phone number."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cctv.thai.ids import clean_national_id, clean_thai_phone, normalise_digits
from forms import altcha
from forms.uploads import SanitisedMultipleFileField
from workflow.request.models import FootageRequest


class StatusLookupForm(forms.Form):
    national_id = forms.CharField(
        label=_("National ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reference_or_phone = forms.CharField(
        label=_("Reference number or phone number"),
        max_length=30,
        help_text=_("The reference on your confirmation (e.g. CCTV-2569-000042) or the phone number you gave."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        altcha.add_field(self)

    def clean_national_id(self):
        return clean_national_id(self.cleaned_data["national_id"])

    def find(self) -> str | None:
        """One query whatever the input, so a wrong combination and a missing request look the same."""
        second = normalise_digits(self.cleaned_data["reference_or_phone"]).strip().upper()
        match = Q(reference=second)
        try:
            match |= Q(phone=clean_thai_phone(second))
        except ValidationError:
            pass
        return (
            FootageRequest.objects.of_person(self.cleaned_data["national_id"])
            .filter(match)
            .order_by("-submitted_at")
            .values_list("token", flat=True)
            .first()
        )


class ResubmitForm(forms.Form):
    """The applicant's answer to a request for more information."""

    note = forms.CharField(
        label=_("Your answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Explain what you corrected or added."),
    )
    documents = SanitisedMultipleFileField(label=_("Documents to add"), required=False, max_files=5)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
