"""The request form: the seed's fields, fixed in code, plus the questions editors add.

Choices come from ``FormOptions`` (cached reference data), so building and rendering the form costs no
query. Files that pass their checks are kept (``staging``) when another field fails, and the drawn
signature travels back in its hidden field: a citizen never re-types, re-draws or re-uploads.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cctv.thai.dates import BuddhistEraDateField, format_be_date
from cctv.thai.ids import clean_national_id, clean_thai_phone
from forms import altcha, staging
from forms.selectors import FormOptions
from forms.uploads import SanitisedFileField, SanitisedMultipleFileField, sanitise_signature
from forms.widgets import AttrsRadioSelect, AttrsSelect, AttrsSelectMultiple
from workflow.constants import AttachmentKind, Title
from workflow.request.submission import SanitisedFile

WRITTEN_ON_MAX_DAYS_AGO = 30
MAX_FILE_COUNT = 50
MAX_OTHER_DOCUMENTS = 5
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
KEPT_SUFFIX = "_kept"

# Core file fields and the attachment kind each becomes.
CORE_FILE_FIELDS = {
    "id_card": AttachmentKind.ID_CARD,
    "police_report": AttachmentKind.POLICE_REPORT,
    "other_documents": AttachmentKind.OTHER,
}


def _text(label, *, max_length=100, required=True, help_text="", autocomplete=None, **attrs):
    widget_attrs = {"autocomplete": autocomplete} if autocomplete else {}
    widget_attrs.update(attrs)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=widget_attrs),
    )


class CoreRequestForm(forms.Form):
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
        (_("Contact"), ("phone", "email")),
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
    title = forms.ChoiceField(label=_("Title"), choices=[("", "—"), *Title.choices])
    title_other = _text(_("Other title"), max_length=50, required=False, help_text=_("Only if you chose “Other”."))
    first_name = _text(_("First name"), autocomplete="given-name")
    last_name = _text(_("Last name"), autocomplete="family-name")
    national_id = forms.CharField(
        label=_("National ID number"),
        max_length=20,
        help_text=_("13 digits. Used to check the result of your request later."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    age = forms.IntegerField(
        label=_("Age"), min_value=1, max_value=120, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    race = _text(_("Race"), max_length=50, required=False, help_text=_("Optional."))
    nationality = _text(_("Nationality"), max_length=50)
    address_house_no = _text(_("House number"), max_length=50)
    address_village = _text(_("Village / Moo"), required=False)
    address_road = _text(_("Road / Soi"), required=False)
    address_subdistrict = _text(_("Sub-district"))
    address_district = _text(_("District"))
    address_province = _text(_("Province"), autocomplete="address-level1")
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
    request_type = forms.TypedChoiceField(label=_("Purpose"), coerce=int, widget=AttrsRadioSelect)
    file_count = forms.IntegerField(
        label=_("Number of files requested"),
        min_value=1,
        max_value=MAX_FILE_COUNT,
        required=False,
        help_text=_("For example, enter 2 if you need two files."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
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
    incident_time = forms.TimeField(
        label=_("Time (approximate)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    incident_time_end = forms.TimeField(
        label=_("Until (approximate)"),
        required=False,
        help_text=_("Optional. The end of the period to look at."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
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
        self.fields["cameras"].choices = [(c.id, f"{c.code} {c.name}") for s in options.stations for c in s.cameras]
        self.fields["cameras"].widget.option_attrs = {
            str(c.id): {"data-station": c.station_id} for s in options.stations for c in s.cameras
        }
        today_be = format_be_date(timezone.localdate())
        for name in ("written_on", "incident_date"):
            self.fields[name].widget.attrs["data-max"] = today_be
        for name in self.file_field_names:
            field = self.fields[name]
            field.show_required = name in self.REQUIRED_FILES or getattr(field, "editor_required", False)
            self.fields[name].widget.attrs.update(
                {
                    "data-max-bytes": MAX_UPLOAD_BYTES,
                    "data-too-large-message": _("This file is larger than %(mb)d MB. Choose a smaller file.")
                    % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                }
            )
        if options.policy:
            self.fields["consent"].label = options.policy.consent_label
        if not options.collect_race:
            del self.fields["race"]
        self.kept: dict[str, list[SanitisedFile]] = {}
        self.kept_tokens: dict[str, str] = {}
        if self.is_bound:
            for name in self.file_field_names:
                token = self.data.get(f"{name}{KEPT_SUFFIX}", "")
                files = staging.load(token)
                if files:
                    self.kept[name] = files
                    self.kept_tokens[name] = token

    @property
    def file_field_names(self) -> list[str]:
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, SanitisedFileField | SanitisedMultipleFileField)
        ]

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
        if cleaned.get("title") == Title.OTHER and not cleaned.get("title_other"):
            self.add_error("title_other", _("Enter your title."))
        station = self.options.station(cleaned.get("station") or 0)
        if station and cleaned.get("cameras"):
            station_cameras = {c.id for c in station.cameras}
            if not set(cleaned["cameras"]) <= station_cameras:
                self.add_error("cameras", _("Choose cameras of the station you chose."))
        start, end = cleaned.get("incident_time"), cleaned.get("incident_time_end")
        if start and end and end <= start:
            self.add_error("incident_time_end", _("The end time must be after the start time."))
        incident, written = cleaned.get("incident_date"), cleaned.get("written_on")
        if incident and written and incident > written:
            self.add_error("incident_date", _("The incident cannot be after the date of writing."))
        self._clean_files(cleaned)
        return cleaned

    def _clean_files(self, cleaned):
        for name in self.file_field_names:
            field = self.fields[name]
            new = cleaned.get(name)
            new_files = [] if not new else (new if isinstance(new, list) else [new])
            if name in self.errors:
                continue
            if new_files:
                # A fresh upload replaces what was kept for this field.
                self.kept[name] = new_files
                self.kept_tokens.pop(name, None)
            files = self.kept.get(name, [])
            if field.show_required and not files:
                self.add_error(name, field.error_messages["required"])
            cleaned[name] = files

    def keep_valid_files(self) -> None:
        """After a failed submit: put every valid, not yet kept upload in staging."""
        for name, files in self.kept.items():
            if files and name not in self.kept_tokens:
                self.kept_tokens[name] = staging.stage(files)

    def discard_kept_files(self) -> None:
        for token in self.kept_tokens.values():
            staging.discard(token)

    def sections(self):
        for title, names in self.SECTIONS:
            yield title, [self[name] for name in names if name in self.fields]

    def extra_bound_fields(self):
        return [self[name] for name in self.extra_field_labels if name in self.fields]

    # Filled by build_request_form_class: clean name -> editor's label.
    extra_field_labels: dict[str, str] = {}

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

    def attachments(self) -> list[tuple[str, str, SanitisedFile]]:
        """(kind, label, file) for every file to store with the request."""
        items = []
        for name in self.file_field_names:
            kind = CORE_FILE_FIELDS.get(name, AttachmentKind.EXTRA)
            label = self.extra_field_labels.get(name, "")
            items.extend((kind, label, f) for f in self.cleaned_data.get(name, []))
        return items


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
