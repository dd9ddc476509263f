from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

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


class RequestCorrectionForm(WagtailAdminModelForm):
    """The request editor: staff may correct the applicant's contact details, always with a reason (PDPA
    right to rectification); the reason goes to the audit log."""

    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Required when you change the applicant's details, e.g. 'the applicant phoned to correct it'."),
    )

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in self.changed_data if name != "correction_reason"]
        if changed and not (cleaned.get("correction_reason") or "").strip():
            self.add_error("correction_reason", _("Say why the applicant's details are corrected."))
        self.instance._correction = {"fields": changed, "reason": (cleaned.get("correction_reason") or "").strip()}
        return cleaned
