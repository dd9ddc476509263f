"""The staff's forms for handling a request; each is bound to one request and offers only its cameras."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cctv.stations.models import Camera
from workflow.handling.appointments import MAX_TIMES
from workflow.handling.fields import BuddhistEraDateTimeField
from workflow.handling.models import (
    DeliveredCopy,
    LegalBasis,
    NoFootageReason,
    PrivacyDecision,
    Receipt,
    ServiceStep,
    StepRecord,
)
from workflow.request.cameras import cameras_of_station


class TimeInput(forms.TimeInput):
    input_type = "time"


def _when(label, **kwargs):
    return BuddhistEraDateTimeField(label=label, **kwargs)


class RequestBoundForm(forms.Form):
    def __init__(self, *args, footage_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.footage_request = footage_request
        cameras = cameras_of_station(footage_request.station_id)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is Camera:
                field.queryset = cameras


def _steps():
    return ServiceStep.objects.filter(active=True, approval=False)


class StepRecordForm(RequestBoundForm):
    """Work done earlier, with its times typed (the start and stop buttons time work as it is done)."""

    step = forms.ModelChoiceField(label=_("Step"), queryset=_steps())
    camera = forms.ModelChoiceField(label=_("Camera"), queryset=Camera.objects.none(), required=False)
    started_at = _when(_("Started"))
    ended_at = _when(_("Ended"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=StepRecord.Outcome.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StartStepForm(RequestBoundForm):
    step = forms.ModelChoiceField(label=_("Step"), queryset=_steps())
    camera = forms.ModelChoiceField(label=_("Camera"), queryset=Camera.objects.none(), required=False)


class StopStepForm(RequestBoundForm):
    """Stops work under way: now, or at the time typed when the stop was forgotten."""

    record = forms.ModelChoiceField(
        queryset=StepRecord.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This work has already been stopped.")},
    )
    ended_at = _when(_("Ended at"), required=False, help_text=_("Only if the work ended earlier: empty means now."))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=StepRecord.Outcome.choices, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, footage_request, **kwargs):
        super().__init__(*args, footage_request=footage_request, **kwargs)
        self.fields["record"].queryset = footage_request.step_records.filter(ended_at__isnull=True)


class PreserveForm(RequestBoundForm):
    cameras = forms.ModelMultipleChoiceField(
        label=_("Cameras"), queryset=Camera.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    clip_from = _when(_("Clip from"))
    clip_to = _when(_("Clip to"))
    kept_at = forms.CharField(
        label=_("Kept at"), max_length=200, help_text=_("Where the locked export is, e.g. 'NVR-2 locked export 14'.")
    )

    def __init__(self, *args, footage_request, **kwargs):
        super().__init__(*args, footage_request=footage_request, **kwargs)
        self.fields["cameras"].initial = [camera.pk for camera in footage_request.cameras.all()]


class NoFootageForm(RequestBoundForm):
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=NoFootageReason.objects.filter(active=True))
    note = forms.CharField(
        label=_("Note for the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the status page. No names of other people."),
    )


class FindingForm(RequestBoundForm):
    camera = forms.ModelChoiceField(label=_("Camera"), queryset=Camera.objects.none(), required=False)
    found_from = forms.TimeField(label=_("Found from"), widget=TimeInput())
    found_to = forms.TimeField(label=_("Found to"), widget=TimeInput())
    description = forms.CharField(label=_("What the footage shows"), widget=forms.Textarea(attrs={"rows": 4}))
    third_parties_identifiable = forms.BooleanField(
        label=_("Other people can be identified"),
        required=False,
        help_text=_("Faces, number plates or anything else that identifies someone other than the applicant."),
    )


class PrivacyForm(RequestBoundForm):
    release = forms.ChoiceField(label=_("Release"), choices=PrivacyDecision.Release.choices, widget=forms.RadioSelect)
    legal_basis = forms.ModelChoiceField(label=_("Legal basis"), queryset=LegalBasis.objects.filter(active=True))
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 4}))


class AppointmentForm(RequestBoundForm):
    """Several times in one offer: the applicant gets one message with all of them and picks one."""

    place = forms.CharField(label=_("Place"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_TIMES + 1):
            self.fields[f"starts_at_{number}"] = _when(
                _("Time %(number)s") % {"number": number},
                required=number == 1,
                help_text=_("Day/month/Buddhist-Era year hour:minute, e.g. 24/11/2569 14:30.") if number == 1 else "",
            )
        self.order_fields([f"starts_at_{number}" for number in range(1, MAX_TIMES + 1)])

    def clean(self):
        data = super().clean()
        times = [data[name] for name in self.fields if name.startswith("starts_at_") and data.get(name)]
        if len(set(times)) < len(times):
            raise forms.ValidationError(_("The same time is given twice."))
        # The service takes the times as one list.
        return {"times": times, "place": data.get("place", "")}


class CopyForm(RequestBoundForm):
    file_name = forms.CharField(label=_("File name"), max_length=255)
    duration_seconds = forms.IntegerField(label=_("Length (seconds)"), min_value=1)
    delivery = forms.ChoiceField(
        label=_("Delivered as"), choices=DeliveredCopy.Delivery.choices, widget=forms.RadioSelect
    )
    upload = forms.FileField(
        label=_("The file"),
        required=False,
        help_text=_("Needed for a download link. For a copy on the applicant's device, the hash is enough."),
    )
    sha256 = forms.CharField(
        label=_("SHA-256 from the export software"),
        required=False,
        max_length=64,
        help_text=_("Leave empty when you choose the file: the hash is computed from it."),
    )
    size_bytes = forms.IntegerField(label=_("Size (bytes)"), required=False, min_value=1)
    device_note = forms.CharField(label=_("The applicant's device"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if not data.get("upload") and not data.get("sha256"):
            self.add_error("sha256", _("Choose the file or paste its SHA-256."))
        if not data.get("upload") and not data.get("size_bytes"):
            self.add_error("size_bytes", _("Give the size, or choose the file."))
        return data


class ReceiptForm(RequestBoundForm):
    copies = forms.ModelMultipleChoiceField(
        label=_("Files handed over"), queryset=DeliveredCopy.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, footage_request, **kwargs):
        super().__init__(*args, footage_request=footage_request, **kwargs)
        self.fields["copies"].queryset = footage_request.copies.all()
        self.fields["copies"].initial = [
            copy.pk for copy in footage_request.copies.exclude(receipts__kind=Receipt.Kind.HANDOVER)
        ]
