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
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, PageLogEntry

from cctv.home.models import ServiceSettings
from cctv.stations.models import Camera, Station
from workflow.approval.models import Decision, RefusalReason
from workflow.notifications.models import MessageTemplate
from workflow.privacy.models import AccessLog
from workflow.request.models import RequestType

LIMIT = 500
HISTORY_MODELS = (Station, Camera, RequestType, RefusalReason, MessageTemplate, ServiceSettings)
HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def _day_bounds(filters: dict) -> tuple[datetime | None, datetime | None]:
    start, end = filters.get("date_from"), filters.get("date_to")
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tz) if isinstance(start, date) else None,
        datetime.combine(end, time.max, tz) if isinstance(end, date) else None,
    )


def _dates(queryset, field: str, filters: dict):
    start, end = _day_bounds(filters)
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


def _username(user) -> str:
    return user.get_username() if user else ""


def audit_rows(filters: dict) -> list[AuditRow]:
    reference = (filters.get("reference") or "").strip()
    username = (filters.get("user") or "").strip()
    action = (filters.get("action") or "").strip()
    users = get_user_model().objects.filter(username=username) if username else None
    rows: list[AuditRow] = []

    logs = _dates(ModelLogEntry.objects.select_related("user", "content_type"), "timestamp", filters)
    pages = _dates(PageLogEntry.objects.select_related("user"), "timestamp", filters)
    if reference:
        logs = logs.filter(label=reference)
        pages = pages.none()
    if users is not None:
        logs, pages = logs.filter(user__in=users), pages.filter(user__in=users)
    if action:
        logs, pages = logs.filter(action__icontains=action), pages.filter(action__icontains=action)
    for entry in [*logs.order_by("-timestamp")[:LIMIT], *pages.order_by("-timestamp")[:LIMIT]]:
        rows.append(
            AuditRow(entry.timestamp, "audit log", entry.action, entry.label, _username(entry.user) or "system")
        )

    decisions = _dates(Decision.objects.select_related("request", "user", "reason"), "created_at", filters)
    if reference:
        decisions = decisions.filter(request__reference=reference)
    if users is not None:
        decisions = decisions.filter(user__in=users)
    if action:
        decisions = decisions.filter(action__icontains=action)
    for decision in decisions.order_by("-created_at")[:LIMIT]:
        detail = " · ".join(str(part) for part in (decision.task_name, decision.reason or "", decision.comment) if part)
        rows.append(
            AuditRow(
                decision.created_at,
                "decision",
                decision.action,
                decision.request.reference,
                _username(decision.user),
                detail,
            )
        )

    accesses = _dates(AccessLog.objects.select_related("request", "user"), "at", filters)
    if reference:
        accesses = accesses.filter(request__reference=reference)
    if users is not None:
        accesses = accesses.filter(user__in=users)
    if action:
        accesses = accesses.filter(what__icontains=action)
    for access in accesses.order_by("-at")[:LIMIT]:
        rows.append(
            AuditRow(
                access.at,
                "access",
                f"view {access.what}",
                access.request.reference,
                _username(access.user),
                str(access.object_id or ""),
                access.ip_address or "",
            )
        )

    if not reference:
        for model in HISTORY_MODELS:
            history = _dates(model.history.select_related("history_user"), "history_date", filters)
            if users is not None:
                history = history.filter(history_user__in=users)
            if action:
                history = history.filter(
                    Q(history_type__icontains=action[:1]) | Q(history_change_reason__icontains=action)
                )
            for record in history.order_by("-history_date")[:LIMIT]:
                rows.append(
                    AuditRow(
                        record.history_date,
                        "history",
                        f"{model._meta.model_name} {HISTORY_TYPES[record.history_type]}",
                        str(record.instance),
                        _username(record.history_user),
                    )
                )
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows


def safe_cell(value) -> str:
    """A spreadsheet never runs a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
