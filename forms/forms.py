"""The request form: the seed's fields, fixed in code, plus the questions editors add.

Choices come from ``FormOptions`` (cached reference data), so building and rendering the form costs no
query. Files that pass their checks are kept (``forms.kept_files``) when another field fails, and the drawn
signature travels back in its hidden field: a citizen never re-types, re-draws or re-uploads.
"""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cctv.thai.dates import BuddhistEraDateField, format_be_date
from cctv.thai.ids import clean_national_id, clean_thai_phone
from forms import altcha
from forms.fields import number_field, text_field, time_field
from forms.kept_files import KEPT_SUFFIX, KeptFilesMixin
from forms.selectors import FormOptions
from forms.uploads import SanitisedFileField, SanitisedMultipleFileField, sanitise_signature
from forms.widgets import AttrsRadioSelect, AttrsSelect, AttrsSelectMultiple
from workflow.constants import Channel, Title
from workflow.request.cameras import check_cameras_at_station

WRITTEN_ON_MAX_DAYS_AGO = 30
MAX_FILE_COUNT = 50
MAX_OTHER_DOCUMENTS = 5


class CoreRequestForm(KeptFilesMixin, forms.Form):
    # Sections, in the order the template renders them.
    SECTIONS = (
        (
            _("Applicant"),
            (
                "written_on",
                "title",
                "title_other",
                "first_name",
                "last_name",
                "national_id",
                "age",
                "race",
                "nationality",
            ),
        ),
        (
            _("Current address"),
            (
                "address_house_no",
                "address_village",
                "address_road",
                "address_subdistrict",
                "address_district",
                "address_province",
                "address_postcode",
            ),
        ),
        (_("Contact"), ("phone", "email", "notify_by")),
        (_("What you ask for"), ("request_type", "file_count")),
        (
            _("The incident"),
            ("station", "cameras", "incident_date", "incident_time", "incident_time_end", "reason"),
        ),
        (_("Supporting documents"), ("id_card", "police_report", "other_documents")),
    )

    written_on = BuddhistEraDateField(
        label=_("Date of writing"),
        max_date_today=True,
        min_days_ago=WRITTEN_ON_MAX_DAYS_AGO,
        help_text=_("Day/month/Buddhist-Era year, e.g. 16/02/2569."),
    )
    title = forms.ChoiceField(label=pgettext_lazy("person title", "Title"), choices=[("", "—"), *Title.choices])
    title_other = text_field(_("Other title"), max_length=50, required=False, help_text=_("Only if you chose “Other”."))
    first_name = text_field(_("First name"), autocomplete="given-name")
    last_name = text_field(_("Last name"), autocomplete="family-name")
    national_id = forms.CharField(
        label=_("National ID number"),
        max_length=20,
        help_text=_("13 digits. Used to check the result of your request later."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    age = number_field(_("Age"), min_value=1, max_value=120)
    race = text_field(_("Race"), max_length=50, required=False, help_text=_("Optional."))
    nationality = text_field(_("Nationality"), max_length=50)
    address_house_no = text_field(_("House number"), max_length=50)
    address_village = text_field(_("Village / Moo"), required=False)
    address_road = text_field(_("Road / Soi"), required=False)
    address_subdistrict = text_field(_("Sub-district"))
    address_district = text_field(_("District"))
    address_province = text_field(_("Province"), autocomplete="address-level1")
    address_postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^[0-9]{5}$",
        error_messages={"invalid": _("Enter the 5-digit postcode.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 5}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        help_text=_("So that staff can call you about the request."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional. We send the status of your request here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify_by = forms.ChoiceField(
        label=_("How should we tell you about your request?"),
        choices=[(c, c.label) for c in (Channel.SMS, Channel.LINE, Channel.EMAIL)],
        initial=Channel.SMS,
        required=False,  # a form page loaded before this field existed still sends: empty is SMS
        help_text=_("For LINE, you link LINE on the page shown after sending; until then we send SMS."),
        widget=AttrsRadioSelect,
    )
    request_type = forms.TypedChoiceField(label=_("Purpose"), coerce=int, widget=AttrsRadioSelect)
    file_count = number_field(
        _("Number of files requested"),
        min_value=1,
        max_value=MAX_FILE_COUNT,
        required=False,
        help_text=_("For example, enter 2 if you need two files."),
    )
    station = forms.TypedChoiceField(
        label=_("Where it happened"),
        coerce=int,
        help_text=_("The stations where our cameras are installed."),
        widget=AttrsSelect(attrs={"data-station-select": ""}),
    )
    cameras = forms.TypedMultipleChoiceField(
        label=_("Cameras"),
        coerce=int,
        required=False,
        help_text=_("Optional. Leave empty if you do not know which camera."),
        widget=AttrsSelectMultiple(attrs={"data-camera-select": ""}),
    )
    incident_date = BuddhistEraDateField(label=_("Date of incident"), max_date_today=True)
    incident_date.widget.attrs["data-incident-date"] = ""
    incident_time = time_field(_("Time (approximate)"))
    incident_time_end = time_field(
        _("Until (approximate)"), required=False, help_text=_("Optional. The end of the period to look at.")
    )
    reason = forms.CharField(
        label=_("Reason / need"),
        max_length=2000,
        help_text=_("For example: to find a lost item."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    id_card = SanitisedFileField(label=_("Copy of national ID card"), required=False)
    police_report = SanitisedFileField(label=_("Copy of police report"), required=False)
    other_documents = SanitisedMultipleFileField(
        label=_("Other documents (if any)"), required=False, max_files=MAX_OTHER_DOCUMENTS
    )
    consent = forms.BooleanField(label=_("I have read and accept the privacy policy."))
    signature = forms.CharField(
        label=_("Applicant's signature"),
        widget=forms.HiddenInput(attrs={"data-signature-input": ""}),
        error_messages={"required": _("Please sign in the box.")},
    )

    # Files the citizen must give; enforced in clean() so that a kept file counts.
    REQUIRED_FILES = ("id_card",)

    @classmethod
    def reserved_names(cls) -> frozenset[str]:
        names = set(cls.base_fields)
        names |= {f"{name}{KEPT_SUFFIX}" for name in names}
        names |= {"csrfmiddlewaretoken", "signature_colour", "consent", altcha.FIELD_NAME}
        return frozenset(names)

    def __init__(self, *args, options: FormOptions, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.options = options
        altcha.add_field(self)
        self.fields["written_on"].initial = timezone.localdate
        self.fields["nationality"].initial = _("Thai")
        self.fields["request_type"].choices = [(t.id, t.name) for t in options.request_types]
        self.fields["request_type"].widget.option_attrs = {
            str(t.id): {"data-needs-file-count": ""} for t in options.request_types if t.needs_file_count
        }
        self.fields["station"].choices = [("", _("— choose a station —"))] + [
            (s.id, f"{s.name} ({s.district})" if s.district else s.name) for s in options.stations
        ]
        self.fields["station"].widget.option_attrs = {
            str(s.id): {"data-retention-days": s.retention_days} for s in options.stations
        }
        self.cameras_by_id = {c.id: c for s in options.stations for c in s.cameras}
        # Where each camera looks, beside its code and name, so that a citizen can tell the cameras apart.
        self.fields["cameras"].choices = [
            (c.id, f"{c.code} {c.name} · {c.position}" if c.position else f"{c.code} {c.name}")
            for c in self.cameras_by_id.values()
        ]
        self.fields["cameras"].widget.option_attrs = {
            str(c.id): {"data-station": c.station_id} for c in self.cameras_by_id.values()
        }
        today_be = format_be_date(timezone.localdate())
        for name in ("written_on", "incident_date"):
            self.fields[name].widget.attrs["data-max"] = today_be
        if options.policy:
            self.fields["consent"].label = options.policy.consent_label
        if not options.collect_race:
            del self.fields["race"]
        if not options.offers_line:
            self.fields["notify_by"].choices = [c for c in self.fields["notify_by"].choices if c[0] != Channel.LINE]
            self.fields["notify_by"].help_text = ""
        self.prepare_file_fields()

    def clean_national_id(self):
        return clean_national_id(self.cleaned_data["national_id"])

    def clean_phone(self):
        return clean_thai_phone(self.cleaned_data["phone"])

    def clean_signature(self):
        return sanitise_signature(self.cleaned_data["signature"])

    def clean(self):
        cleaned = super().clean()
        request_type = self.options.request_type(cleaned.get("request_type") or 0)
        if request_type and request_type.needs_file_count and not cleaned.get("file_count"):
            self.add_error("file_count", _("Enter how many files you need."))
        if request_type and not request_type.needs_file_count:
            cleaned["file_count"] = None
        if cleaned.get("notify_by") == Channel.EMAIL and not cleaned.get("email"):
            self.add_error("email", _("Enter your e-mail, or choose another way to be told."))
        if cleaned.get("title") == Title.OTHER and not cleaned.get("title_other"):
            self.add_error("title_other", _("Enter your title."))
        station = self.options.station(cleaned.get("station") or 0)
        if station:
            try:
                check_cameras_at_station(
                    station_id=station.id,
                    cameras=[self.cameras_by_id[pk] for pk in cleaned.get("cameras") or ()],
                    message=_("Choose cameras of the station you chose."),
                )
            except ValidationError as error:
                self.add_error(None, error)
        start, end = cleaned.get("incident_time"), cleaned.get("incident_time_end")
        if start and end and end <= start:
            self.add_error("incident_time_end", _("The end time must be after the start time."))
        incident, written = cleaned.get("incident_date"), cleaned.get("written_on")
        if incident and written and incident > written:
            self.add_error("incident_date", _("The incident cannot be after the date of writing."))
        self.clean_files(cleaned)
        return cleaned

    def sections(self):
        for title, names in self.SECTIONS:
            yield title, [self[name] for name in names if name in self.fields]

    def extra_bound_fields(self):
        return [self[name] for name in self.extra_field_labels if name in self.fields]

    def extra_answers(self) -> dict[str, dict[str, str]]:
        answers = {}
        for name, label in self.extra_field_labels.items():
            if name in self.file_field_names:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            answers[name] = {"label": label, "value": "" if value is None else str(value)}
        return answers


def build_request_form_class(extra_fields) -> type[CoreRequestForm]:
    """The core form plus the editor's questions. An editor field whose name collides with a core field
    is dropped here too (the admin already refuses it), so it can never replace a validated core field."""
    from forms.models import RequestFormBuilder

    builder = RequestFormBuilder(extra_fields)
    reserved = CoreRequestForm.reserved_names()
    attrs = {}
    labels = {}
    for field_model, (name, form_field) in zip(extra_fields, builder.formfields.items(), strict=True):
        if name in reserved:
            continue
        if isinstance(form_field, SanitisedFileField):
            # Requiredness of files is checked in clean(), after kept files are counted.
            form_field.editor_required = form_field.required
            form_field.required = False
        attrs[name] = form_field
        labels[name] = field_model.label
    attrs["extra_field_labels"] = labels
    return type("RequestForm", (CoreRequestForm,), attrs)


def retention_warning_days(options: FormOptions, station_id: int | None, incident_date) -> int | None:
    """The station's retention in days when the incident is older than it (footage may be gone)."""
    station = options.station(station_id or 0)
    if not station or not incident_date:
        return None
    if timezone.localdate() - incident_date > timedelta(days=station.retention_days):
        return station.retention_days
    return None


__all__ = ["CoreRequestForm", "build_request_form_class", "retention_warning_days"]
