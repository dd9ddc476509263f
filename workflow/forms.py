from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RefusalReason


class RequestInformationForm(forms.Form):
    comment = forms.CharField(
        label=_("What the applicant must add or correct"),
        widget=forms.Textarea({"rows": 3}),
        help_text=_("The applicant sees this text on the status page."),
    )


class DeclineForm(forms.Form):
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=RefusalReason.objects.filter(active=True))
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea({"rows": 3}))


class StaffCancelForm(forms.Form):
    comment = forms.CharField(label=_("Why is the request cancelled?"), widget=forms.Textarea({"rows": 3}))


class DataSubjectForm(forms.Form):
    national_id = forms.CharField(label=_("National ID number"), max_length=20)
    reason = forms.CharField(
        label=_("Reason for erasure (required to erase)"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("For example: the person's written request of 1 March 2570 under PDPA section 33."),
    )

    def clean_national_id(self):
        from forms.thai_ids import clean_national_id

        return clean_national_id(self.cleaned_data["national_id"])
