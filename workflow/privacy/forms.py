from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

_CONFIRMATION_SALT = "cctv.privacy.erasure"
# How long a confirmation page may be left open before its button erases nothing.
CONFIRMATION_MAX_AGE = 30 * 60


class DataSubjectForm(forms.Form):
    national_id = forms.CharField(label=_("National ID number"), max_length=20)
    reason = forms.CharField(
        label=_("Reason for erasure (required to erase)"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("For example: the person's written request of 1 March 2570 under PDPA section 33."),
    )

    def clean_national_id(self):
        from cctv.thai.ids import clean_national_id

        return clean_national_id(self.cleaned_data["national_id"])


def confirmation_token(ids) -> str:
    """Names the requests a confirmation page listed; only those may be erased with its button."""
    return signing.dumps(sorted(ids), salt=_CONFIRMATION_SALT)


class ErasureConfirmationForm(DataSubjectForm):
    """The confirmation page's form: the person, the reason and the requests listed, all as the page showed them."""

    national_id = forms.CharField(max_length=20, widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.HiddenInput)
    confirmation = forms.CharField(widget=forms.HiddenInput)

    def clean_confirmation(self) -> frozenset[int]:
        try:
            ids = signing.loads(
                self.cleaned_data["confirmation"], salt=_CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This confirmation has expired. Find the person's requests again."), code="expired"
            ) from None
        if not isinstance(ids, list) or not all(isinstance(pk, int) for pk in ids):
            raise forms.ValidationError(_("This confirmation has expired. Find the person's requests again."))
        return frozenset(ids)
