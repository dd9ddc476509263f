"""The citizen's status lookup: the ID number together with the phone number given in the request.

The reference is no second factor: it is printed on receipts and numbered in order (``CCTV-2569-000042``), so
with a known ID number a few hundred guesses would open a status page. The phone number is not in order and is
not on the receipt.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cctv.thai.ids import clean_national_id, clean_thai_phone
from forms import altcha
from forms.uploads import SanitisedMultipleFileField
from workflow.request.models import FootageRequest

# The most requests the list shows: a person with more calls the office.
MAX_LISTED = 50


class StatusLookupForm(forms.Form):
    national_id = forms.CharField(
        label=_("National ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        help_text=_("The phone number you gave in the request, e.g. 081-234-5678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        altcha.add_field(self)

    def clean_national_id(self):
        return clean_national_id(self.cleaned_data["national_id"])

    def clean_phone(self):
        return clean_thai_phone(self.cleaned_data["phone"])

    def find(self, *, site) -> list[FootageRequest]:
        """The person's requests made with this phone number at this site's organisation, newest first: one query
        whatever the input, and nothing for a wrong combination exactly as for a missing request."""
        return list(
            FootageRequest.objects.of_person(self.cleaned_data["national_id"])
            .filter(phone=self.cleaned_data["phone"], organisation__site=site)
            .select_related("request_type")
            .only(
                "token", "reference", "submitted_at", "public_status", "request_type__name_th", "request_type__name_en"
            )
            .order_by("-submitted_at", "-pk")[:MAX_LISTED]
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
