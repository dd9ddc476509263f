from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


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
