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
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, PageLogEntry

from cctv.home.models import ServiceSettings
from cctv.spreadsheets import safe_cell
from cctv.stations.models import Camera, Station
from cctv.thai.dates import BuddhistEraDateField
from workflow.approval.models import Decision, RefusalReason
from workflow.notifications.models import MessageTemplate
from workflow.privacy import audit_changes
from workflow.privacy.models import AccessLog
from workflow.request.models import RequestType

LIMIT = 500
HISTORY_MODELS = (Station, Camera, RequestType, RefusalReason, MessageTemplate, ServiceSettings)
HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
SOURCE_LABELS = {
    "audit log": pgettext_lazy("audit source", "Audit log"),
    "decision": pgettext_lazy("audit source", "Approval decision"),
    "access": pgettext_lazy("audit source", "Access to personal data"),
    "history": pgettext_lazy("audit source", "Change history"),
}


class AuditFilterForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), required=False)
    user = forms.CharField(label=_("User name"), required=False)
    action = forms.CharField(label=_("Action contains"), required=False)
    # Dates as the public form takes them: day/month/Buddhist-Era year (a Christian-Era year is refused).
    date_from = BuddhistEraDateField(label=_("From (dd/mm/yyyy BE)"), required=False)
    date_to = BuddhistEraDateField(label=_("To (dd/mm/yyyy BE)"), required=False)


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    source: str
    action: str
    subject: str
    user: str
    detail: str = ""
    address: str = ""
    code: str = ""  # the action as recorded (``action`` is its label)

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, self.source))


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


def _labelled(values_labels, text: str) -> list[str]:
    """The values whose label, in the language in use, contains the text."""
    return [value for value, label in values_labels if text.casefold() in str(label).casefold()]


def _choice_action(model, name: str):
    """The filter's text against a choice field: its stored value, or the label the report shows."""
    choices = model._meta.get_field(name).flatchoices
    return lambda text: Q(**{f"{name}__icontains": text}) | Q(**{f"{name}__in": _labelled(choices, text)})


def _log_action(text: str) -> Q:
    return Q(action__icontains=text) | Q(action__in=audit_changes.codes_labelled(text))


def _history_action(model):
    def action(text: str) -> Q:
        # History rows have no action name: the text matches their type (+ ~ -, or its label), the kind of
        # thing changed, or the change reason.
        if _labelled([("", model._meta.verbose_name)], text):
            return Q()
        return (
            Q(history_type__icontains=text[:1])
            | Q(history_type__in=_labelled(HISTORY_TYPES.items(), text))
            | Q(history_change_reason__icontains=text)
        )

    return action


def _username(user) -> str:
    return user.get_username() if user else ""


def _no_account() -> str:
    # Rows without a user: the service itself, or the applicant through the status link.
    return pgettext("audit user", "system or the applicant")


def _log_rows(criteria: Criteria) -> list[AuditRow]:
    logs = _matching(
        ModelLogEntry.objects.select_related("user", "content_type"),
        criteria,
        at="timestamp",
        reference="label",
        user="user",
        action=_log_action,
    )
    pages = _matching(
        PageLogEntry.objects.select_related("user"),
        criteria,
        at="timestamp",
        reference=None,
        user="user",
        action=_log_action,
    )
    rows = []
    for entry in [*logs, *pages]:
        label = audit_changes.action_label(entry.action)
        # The registry's message says more than the label for some codes (who cancelled, what access changed).
        message = str(entry.message) if entry.formatter else ""
        rows.append(
            AuditRow(
                entry.timestamp,
                "audit log",
                label,
                entry.label,
                _username(entry.user) or _no_account(),
                "" if message == label else message,
                code=entry.action,
            )
        )
    return rows


def _decision_rows(criteria: Criteria) -> list[AuditRow]:
    decisions = _matching(
        Decision.objects.select_related("request", "user", "reason"),
        criteria,
        at="created_at",
        reference="request__reference",
        user="user",
        action=_choice_action(Decision, "action"),
    )
    return [
        AuditRow(
            decision.created_at,
            "decision",
            decision.get_action_display(),
            decision.request.reference,
            _username(decision.user),
            " · ".join(str(part) for part in (decision.task_name, decision.reason or "", decision.comment) if part),
            code=decision.action,
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
        action=_choice_action(AccessLog, "what"),
    )
    return [
        AuditRow(
            access.at,
            "access",
            gettext("Opened: %(what)s") % {"what": access.get_what_display()},
            access.request.reference,
            _username(access.user) or _no_account(),
            f"#{access.object_id}" if access.object_id else "",
            access.ip_address or "",
            code=f"view {access.what}",
        )
        for access in accesses
    ]


def _history_rows(criteria: Criteria) -> list[AuditRow]:
    rows = []
    for model in HISTORY_MODELS:
        history = list(
            _matching(
                model.history.select_related("history_user").annotate(
                    previous_id=audit_changes.previous_row_id(model.history.model)
                ),
                criteria,
                at="history_date",
                reference=None,
                user="history_user",
                action=_history_action(model),
            )
        )
        changes = audit_changes.changes_of(model, history)
        rows.extend(
            AuditRow(
                record.history_date,
                "history",
                gettext("%(thing)s: %(change)s")
                % {"thing": model._meta.verbose_name, "change": HISTORY_TYPES[record.history_type]},
                str(record.instance),
                _username(record.history_user),
                " · ".join(part for part in (changes.get(record.history_id, ""), record.history_change_reason) if part),
                code=f"{model._meta.model_name} {record.history_type}",
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
