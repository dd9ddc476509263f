"""The app's models, one import face for Django and for code outside the app.

Each model lives with its domain (request/, approval/, handling/, line/, notifications/, privacy/,
satisfaction/); all keep the app label ``cctv_workflow``, so no table, permission or content type changed when
they moved.
"""

from workflow.approval.models import ApprovalTask, Decision, RefusalReason
from workflow.handling.copies import CopyDownload, DeliveredCopy, Receipt
from workflow.handling.models import (
    Appointment,
    FootagePreservation,
    LegalBasis,
    NoFootageReason,
    PrivacyDecision,
    ReviewFinding,
    ServiceStep,
    StepRecord,
)
from workflow.line.models import LineEvent, LineLink, LineLinkCode
from workflow.notifications.models import MessageTemplate, Notification
from workflow.privacy.models import AccessLog, RequestStatistic
from workflow.request.models import Attachment, FootageRequest, ReferenceCounter, RequestType
from workflow.satisfaction.models import SatisfactionRating

__all__ = [
    "AccessLog",
    "Appointment",
    "ApprovalTask",
    "Attachment",
    "CopyDownload",
    "Decision",
    "DeliveredCopy",
    "FootagePreservation",
    "FootageRequest",
    "LegalBasis",
    "LineEvent",
    "LineLink",
    "LineLinkCode",
    "MessageTemplate",
    "NoFootageReason",
    "Notification",
    "PrivacyDecision",
    "Receipt",
    "ReferenceCounter",
    "RefusalReason",
    "RequestStatistic",
    "RequestType",
    "ReviewFinding",
    "SatisfactionRating",
    "ServiceStep",
    "StepRecord",
]
