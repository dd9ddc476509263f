"""The service settings' admin form: the SMS account's key and secret are write-only.

They are form fields, not model fields: what is typed is sealed into the model (ServiceSettings.set_sms_account)
and never rendered back, so the edit page cannot show a stored secret; blank keeps what is stored.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

KEEP_HELP = _("Stored encrypted and never shown again. Leave blank to keep the stored one.")


def _write_only(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=KEEP_HELP,
    )


class ServiceSettingsForm(WagtailAdminModelForm):
    sms_api_key = _write_only(_("SMS account API key (ThaiBulkSMS)"))
    sms_api_secret = _write_only(_("SMS account API secret (ThaiBulkSMS)"))
    sms_account_remove = forms.BooleanField(
        label=_("Remove this organisation's SMS account"),
        required=False,
        help_text=_("Messages then go through the installation's SMS account."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.has_sms_account:
            status = _("An SMS account of this organisation is stored.")
        else:
            status = _("No SMS account of this organisation is stored: the installation's account is used.")
        self.fields["sms_api_key"].help_text = f"{status} {KEEP_HELP}"

    def clean(self):
        cleaned = super().clean()
        key, secret = cleaned.get("sms_api_key"), cleaned.get("sms_api_secret")
        if cleaned.get("sms_account_remove"):
            if key or secret:
                self.add_error("sms_account_remove", _("Either remove the SMS account or enter a new one, not both."))
            return cleaned
        if not self.instance.has_sms_account and bool(key) != bool(secret):
            self.add_error("sms_api_secret" if key else "sms_api_key", _("Enter both the API key and the secret."))
        has_account = self.instance.has_sms_account or (key and secret)
        if has_account and not cleaned.get("sms_sender"):
            # The installation's sender name is registered with the installation's account, not this one.
            self.add_error("sms_sender", _("With an SMS account of its own, the organisation needs its sender name."))
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=False)
        if self.cleaned_data.get("sms_account_remove"):
            instance.clear_sms_account()
        else:
            instance.set_sms_account(
                api_key=self.cleaned_data.get("sms_api_key", ""), api_secret=self.cleaned_data.get("sms_api_secret", "")
            )
        if commit:
            instance.save()
            self.save_m2m()
        return instance
