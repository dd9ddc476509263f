"""What a citizen submits, as plain values: the form (forms/) builds these and the services store them."""

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date, time

from workflow.constants import AttachmentKind, Channel

# The reprs below show no personal data: these objects end up in tracebacks, error reports and logs.


@dataclass(frozen=True, kw_only=True, repr=False)
class Applicant:
    title: str
    title_other: str
    first_name: str
    last_name: str
    national_id: str
    age: int
    race: str
    nationality: str
    address_house_no: str
    address_village: str
    address_road: str
    address_subdistrict: str
    address_district: str
    address_province: str
    address_postcode: str
    phone: str
    email: str

    def __repr__(self) -> str:
        return "Applicant(<personal data>)"


# The applicant's personal fields, named as on FootageRequest (``national_id`` is its encrypting property):
# the one list that the form, the submission service, the PDPA export and the tests read.
APPLICANT_FIELDS = tuple(f.name for f in fields(Applicant))


@dataclass(frozen=True, kw_only=True)
class Incident:
    request_type_id: int
    file_count: int | None
    station_id: int
    camera_ids: list[int]
    written_on: date
    incident_date: date
    incident_time: time
    incident_time_end: time | None
    reason: str = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class NewAttachment:
    kind: AttachmentKind
    file: "SanitisedFile"
    label: str = ""


@dataclass(frozen=True, kw_only=True)
class Submission:
    applicant: Applicant
    incident: Incident
    signature: "SanitisedFile"
    attachments: list[NewAttachment] = field(default_factory=list)
    extra_answers: dict = field(default_factory=dict, repr=False)
    privacy_policy_revision_id: int | None = None
    notify_by: str = Channel.SMS


# The file kinds accepted from applicants: extension and content type.
KINDS = {
    "pdf": (".pdf", "application/pdf"),
    "jpeg": (".jpg", "image/jpeg"),
    "png": (".png", "image/png"),
}


@dataclass(frozen=True)
class SanitisedFile:
    content: bytes = field(repr=False)
    kind: str
    extension: str
    content_type: str
    size: int
    sha256: str
    original_name: str = field(default="", repr=False)


def sanitised_file(content: bytes, kind: str, original_name: str = "") -> SanitisedFile:
    """A SanitisedFile for content already checked (or made by the service itself)."""
    extension, content_type = KINDS[kind]
    return SanitisedFile(
        content=content,
        kind=kind,
        extension=extension,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=original_name,
    )
