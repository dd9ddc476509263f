"""The request form's files: those that pass their checks are kept (``staging``) when another field fails,
so that a citizen never uploads a file twice, and each becomes an attachment of the request.

A kept file is only described (its name, from the signed token) while the form is shown again; its content is
read back from staging when the submission is checked, that is after the throttle and the proof of work."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from forms import staging
from forms.uploads import SanitisedFileField, SanitisedMultipleFileField
from workflow.constants import AttachmentKind
from workflow.request.submission import SanitisedFile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A hidden field "<name>_kept" carries the staging token of the files kept for field <name>.
KEPT_SUFFIX = "_kept"
# Part headers and boundaries of a multipart body, on top of the files and the text fields.
MULTIPART_MARGIN = 64 * 1024

# Core file fields and the attachment kind each becomes.
CORE_FILE_FIELDS = {
    "id_card": AttachmentKind.ID_CARD,
    "police_report": AttachmentKind.POLICE_REPORT,
    "other_documents": AttachmentKind.OTHER,
}

NOT_KEPT_MESSAGE = _("This file could not be kept for you. Please choose it again before you send the form.")


class KeptFilesMixin:
    """For a ``forms.Form`` with sanitised file fields; ``REQUIRED_FILES`` names the core fields that need a
    file, and an editor's file field says so in ``editor_required``."""

    REQUIRED_FILES: tuple[str, ...] = ()
    # Filled by forms.forms.build_request_form_class: clean name -> editor's label.
    extra_field_labels: dict[str, str] = {}

    @classmethod
    def max_body_bytes(cls) -> int:
        """The largest body a submission of this form can need: every file field at its limit, the text fields
        at Django's limit for them (DATA_UPLOAD_MAX_MEMORY_SIZE) and the multipart framing."""
        total = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MULTIPART_MARGIN
        for field in cls.base_fields.values():
            if isinstance(field, SanitisedMultipleFileField):
                total += field.max_files * field.max_bytes
            elif isinstance(field, SanitisedFileField):
                total += field.max_bytes
        return total

    @property
    def file_field_names(self) -> list[str]:
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, SanitisedFileField | SanitisedMultipleFileField)
        ]

    def prepare_file_fields(self) -> None:
        """Marks required files (checked in clean, where kept files count) and describes what was kept."""
        for name in self.file_field_names:
            field = self.fields[name]
            field.show_required = name in self.REQUIRED_FILES or getattr(field, "editor_required", False)
            field.widget.attrs.update(
                {
                    "data-max-bytes": MAX_UPLOAD_BYTES,
                    "data-too-large-message": _("This file is larger than %(mb)d MB. Choose a smaller file.")
                    % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                }
            )
        self.kept: dict[str, list[SanitisedFile | staging.StagedFile]] = {}
        self.kept_tokens: dict[str, str] = {}
        # Fields whose valid files could not be kept (a staging quota, a storage failure).
        self.not_kept: list[str] = []
        # Set by the view when the files of this POST were never received (the proof of work did not pass).
        self.files_not_received = False
        if self.is_bound:
            for name in self.file_field_names:
                token = self.data.get(f"{name}{KEPT_SUFFIX}", "")
                files = staging.describe(token)
                if files:
                    self.kept[name] = files
                    self.kept_tokens[name] = token

    def clean_files(self, cleaned: dict) -> None:
        for name in self.file_field_names:
            field = self.fields[name]
            new = cleaned.get(name)
            new_files = [] if not new else (new if isinstance(new, list) else [new])
            if name in self.errors:
                continue
            if new_files:
                # A fresh upload replaces what was kept for this field; the kept copy goes at once, or nothing
                # would remove it before the staging purge (a day), whatever becomes of the submission or erasure.
                self.kept[name] = new_files
                staging.discard(self.kept_tokens.pop(name, ""))
            elif name in self.kept_tokens:
                loaded = staging.load(self.kept_tokens[name])
                if loaded:
                    self.kept[name] = loaded
                else:  # removed since the form was shown
                    self.kept.pop(name)
                    self.kept_tokens.pop(name)
            files = self.kept.get(name, [])
            if field.show_required and not files:
                self.add_error(name, field.error_messages["required"])
            cleaned[name] = files

    def keep_valid_files(self, *, client: str | None) -> None:
        """After a failed submit: put every valid, not yet kept upload in staging, within the quotas."""
        for name, files in list(self.kept.items()):
            if files and name not in self.kept_tokens:
                try:
                    self.kept_tokens[name] = staging.stage(files, client=client)
                except staging.NotKept:
                    del self.kept[name]
                    self.not_kept.append(name)
                    self.add_error(name, NOT_KEPT_MESSAGE)

    def discard_kept_files(self) -> None:
        for token in self.kept_tokens.values():
            staging.discard(token)

    def attachments(self) -> list[tuple[str, str, SanitisedFile]]:
        """(kind, label, file) for every file to store with the request."""
        items = []
        for name in self.file_field_names:
            kind = CORE_FILE_FIELDS.get(name, AttachmentKind.EXTRA)
            label = self.extra_field_labels.get(name, "")
            items.extend((kind, label, f) for f in self.cleaned_data.get(name, []))
        return items
