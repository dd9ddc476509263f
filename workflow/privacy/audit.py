"""The auditor's report: who did, decided and saw what, from every record the service keeps.

Sources: Wagtail's audit log (every request action and every edit of pages and snippets), approvers'
decisions, the access log of personal data, and django-simple-history rows of reference data and
settings. Each is filtered in the database and the newest rows are merged by time.
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, PageLogEntry

from cctv.home.models import ServiceSettings
from cctv.spreadsheets import safe_cell
from cctv.stations.models import Camera, Station
from workflow.approval.models import Decision, RefusalReason
from workflow.notifications.models import MessageTemplate
from workflow.privacy.models import AccessLog
from workflow.request.models import RequestType

LIMIT = 500
HISTORY_MODELS = (Station, Camera, RequestType, RefusalReason, MessageTemplate, ServiceSettings)
HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


class AuditFilterForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), required=False)
    user = forms.CharField(label=_("User name"), required=False)
    action = forms.CharField(label=_("Action contains"), required=False)
    date_from = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    date_to = forms.DateField(label=_("To (YYYY-MM-DD)"), required=False)


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    source: str
    action: str
    subject: str
    user: str
    detail: str = ""
    address: str = ""


@dataclass(frozen=True)
class Criteria:
    """The auditor's filters, read once and applied in the database to every source."""

    start: datetime | None
    end: datetime | None
    reference: str
    users: QuerySet | None
    action: str

    @classmethod
    def of(cls, filters: dict) -> "Criteria":
        start, end = filters.get("date_from"), filters.get("date_to")
        tz = timezone.get_current_timezone()
        username = (filters.get("user") or "").strip()
        return cls(
            start=datetime.combine(start, time.min, tz) if isinstance(start, date) else None,
            end=datetime.combine(end, time.max, tz) if isinstance(end, date) else None,
            reference=(filters.get("reference") or "").strip(),
            users=get_user_model().objects.filter(username=username) if username else None,
            action=(filters.get("action") or "").strip(),
        )


def _matching(queryset, criteria: Criteria, *, at: str, reference: str | None, user: str, action):
    """The newest rows of one source that pass the filters. ``at``, ``reference`` and ``user`` name the
    source's time, request-reference and user lookups (``reference`` None: its rows belong to no request,
    so a reference filter leaves none); ``action`` is a field searched for the text, or a function of the
    text giving a ``Q``."""
    if criteria.start:
        queryset = queryset.filter(**{f"{at}__gte": criteria.start})
    if criteria.end:
        queryset = queryset.filter(**{f"{at}__lte": criteria.end})
    if criteria.reference:
        queryset = queryset.filter(**{reference: criteria.reference}) if reference else queryset.none()
    if criteria.users is not None:
        queryset = queryset.filter(**{f"{user}__in": criteria.users})
    if criteria.action:
        queryset = queryset.filter(
            action(criteria.action) if callable(action) else Q(**{f"{action}__icontains": criteria.action})
        )
    return queryset.order_by(f"-{at}")[:LIMIT]


def _history_action(text: str) -> Q:
    # History rows have no action name: the text matches their type (+ ~ -) or the change reason.
    return Q(history_type__icontains=text[:1]) | Q(history_change_reason__icontains=text)


def _username(user) -> str:
    return user.get_username() if user else ""


def _log_rows(criteria: Criteria) -> list[AuditRow]:
    logs = _matching(
        ModelLogEntry.objects.select_related("user", "content_type"),
        criteria,
        at="timestamp",
        reference="label",
        user="user",
        action="action",
    )
    pages = _matching(
        PageLogEntry.objects.select_related("user"),
        criteria,
        at="timestamp",
        reference=None,
        user="user",
        action="action",
    )
    return [
        AuditRow(entry.timestamp, "audit log", entry.action, entry.label, _username(entry.user) or "system")
        for entry in [*logs, *pages]
    ]


def _decision_rows(criteria: Criteria) -> list[AuditRow]:
    decisions = _matching(
        Decision.objects.select_related("request", "user", "reason"),
        criteria,
        at="created_at",
        reference="request__reference",
        user="user",
        action="action",
    )
    return [
        AuditRow(
            decision.created_at,
            "decision",
            decision.action,
            decision.request.reference,
            _username(decision.user),
            " · ".join(str(part) for part in (decision.task_name, decision.reason or "", decision.comment) if part),
        )
        for decision in decisions
    ]


def _access_rows(criteria: Criteria) -> list[AuditRow]:
    accesses = _matching(
        AccessLog.objects.select_related("request", "user"),
        criteria,
        at="at",
        reference="request__reference",
        user="user",
        action="what",
    )
    return [
        AuditRow(
            access.at,
            "access",
            f"view {access.what}",
            access.request.reference,
            _username(access.user),
            str(access.object_id or ""),
            access.ip_address or "",
        )
        for access in accesses
    ]


def _history_rows(criteria: Criteria) -> list[AuditRow]:
    rows = []
    for model in HISTORY_MODELS:
        history = _matching(
            model.history.select_related("history_user"),
            criteria,
            at="history_date",
            reference=None,
            user="history_user",
            action=_history_action,
        )
        rows.extend(
            AuditRow(
                record.history_date,
                "history",
                f"{model._meta.model_name} {HISTORY_TYPES[record.history_type]}",
                str(record.instance),
                _username(record.history_user),
            )
            for record in history
        )
    return rows


def audit_rows(filters: dict) -> list[AuditRow]:
    criteria = Criteria.of(filters)
    rows = [
        *_log_rows(criteria),
        *_decision_rows(criteria),
        *_access_rows(criteria),
        *_history_rows(criteria),
    ]
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows


def write_csv(rows: list[AuditRow], stream) -> None:
    writer = csv.writer(stream)
    writer.writerow(["at", "source", "action", "subject", "user", "detail", "address"])
    for row in rows:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    row.at.isoformat(),
                    row.source,
                    row.action,
                    row.subject,
                    row.user,
                    row.detail,
                    row.address,
                )
            ]
        )
