"""The forms of the approver's actions (Wagtail's workflow action modal).

Wagtail's modal (``collect_action_data``) sends a form's ``cleaned_data`` back to the page as JSON, and the edit
view passes that JSON to the task's ``on_action``: every cleaned value must be JSON-safe. The refusal reason is
therefore cleaned to its pk; the service resolves it again (an editor may retire a reason meanwhile).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.approval.models import RefusalReason


class RequestInformationForm(forms.Form):
    comment = forms.CharField(
        label=_("What the applicant must add or correct"),
        widget=forms.Textarea({"rows": 3}),
        help_text=_("The applicant sees this text on the status page."),
    )


class ReasonField(forms.ModelChoiceField):
    """A choice of the active reasons whose cleaned value is the reason's pk, not the row."""

    def clean(self, value):
        reason = super().clean(value)
        return reason.pk if reason is not None else None


class DeclineForm(forms.Form):
    reason = ReasonField(label=_("Reason"), queryset=RefusalReason.objects.filter(active=True))
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea({"rows": 3}))


class StaffCancelForm(forms.Form):
    comment = forms.CharField(label=_("Why is the request cancelled?"), widget=forms.Textarea({"rows": 3}))
