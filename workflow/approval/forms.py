from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.approval.models import RefusalReason


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
