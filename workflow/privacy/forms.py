from django import forms
from django.utils.translation import gettext_lazy as _


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
