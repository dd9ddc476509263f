"""A request's public history (the status page's ประวัติ) and the exchanges of "more information" staff see.

Reads only, from the append-only records: the approvers' decisions (what was asked, which step passed, a decline
or a staff cancel), the applicant's answers (``extra_answers["_resubmissions"]``) with the documents uploaded
then, the audit log (the applicant's cancel, the approval, no footage, appointments chosen, copies) and the viewing
appointments offered. Never a staff member's name: a step is named by the step.

A constant number of queries whatever the length of the history, and only where lifecycle says there can be
something to read: none for a pending request (every decision moves it on), the decisions for an open one, the
audit log once it has ended; the documents only when the applicant answered, the appointments only when offered.

The decisions and the appointments belong to the layers above (approval, handling); they are read through the
request's reverse relations, never imported, so this layer stays below them.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from wagtail.models import ModelLogEntry

from workflow import lifecycle, log_actions
from workflow.constants import DecisionAction
from workflow.lifecycle import History, PublicStatus
from workflow.request.models import Attachment, FootageRequest

RESUBMISSIONS_KEY = "_resubmissions"

# Ties of one instant keep the order of the request's life (the first approval is "received", then "passed").
_RANK = {kind: rank for rank, kind in enumerate(History)}

# The audit codes the history reads, and what each says.
_LOGGED = {
    log_actions.CANCELLED_BY_APPLICANT: History.CANCELLED_BY_CITIZEN,
    log_actions.REQUEST_APPROVED: History.APPROVED,
    log_actions.NO_FOOTAGE: History.NO_FOOTAGE,
    log_actions.APPOINTMENT_OFFERED: History.APPOINTMENT_OFFERED,
    log_actions.APPOINTMENT_CHOSEN: History.APPOINTMENT_CHOSEN,
    log_actions.COPY_HANDED_OVER: History.COPY_HANDED_OVER,
}
_DOWNLOAD = "download"  # DeliveredCopy.Delivery.DOWNLOAD, as the copy's log entry records it

_BY_DECISION = {
    DecisionAction.APPROVE: History.STEP_PASSED,
    DecisionAction.REQUEST_INFO: History.MORE_INFO_REQUESTED,
    DecisionAction.DECLINE: History.DECLINED,
    DecisionAction.CANCEL: History.CANCELLED_BY_STAFF,
}
# The decisions that take a pending request up (lifecycle: both lead from PENDING to RECEIVED).
_TAKES_UP = (DecisionAction.APPROVE, DecisionAction.REQUEST_INFO)


@dataclass(frozen=True)
class Entry:
    kind: History
    at: datetime
    step: str = ""  # the approval step's name
    text: str = ""  # what staff asked, or the applicant's answer
    documents: tuple = ()  # the attachments the applicant added with an answer
    appointment_at: datetime | None = None
    place: str = ""

    @property
    def label(self) -> str | Promise:
        return lifecycle.history_label(self.kind, step=self.step)

    @property
    def sort_key(self) -> tuple:
        return (self.at, _RANK[self.kind])


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry] = field(default_factory=list)

    @property
    def ended_by(self) -> lifecycle.Event | None:
        """The event that closed the request, for the status page's wording (``lifecycle.display``)."""
        closing = [entry for entry in self.entries if entry.kind in lifecycle.CLOSING]
        return lifecycle.Event(closing[-1].kind.value) if closing else None


@dataclass(frozen=True)
class Answer:
    at: datetime
    note: str


@dataclass(frozen=True)
class Exchange:
    """One request for more information and the applicant's answer to it (None while staff wait)."""

    asked_at: datetime
    step: str
    question: str
    answer: Answer | None
    documents: tuple  # attachments uploaded with the answer


def answers(footage_request: FootageRequest) -> list[Answer]:
    """The applicant's answers in order, from the request row (no query)."""
    stored = (footage_request.extra_answers or {}).get(RESUBMISSIONS_KEY) or []
    result = []
    for item in stored:
        at = parse_datetime(str(item.get("at", ""))) if isinstance(item, dict) else None
        if at is not None:
            result.append(Answer(at=at, note=str(item.get("note", ""))))
    return sorted(result, key=lambda answer: answer.at)


def exchanges(*, footage_request: FootageRequest, decisions, attachments) -> list[Exchange]:
    """Each question staff asked with the answer that followed it and the documents uploaded with that answer.

    ``decisions`` and ``attachments`` are the request's rows (prefetched on the staff view). resubmit_request saves
    the documents before it stamps the answer, so an answer's documents are those uploaded after the question and
    up to the answer."""
    asked = sorted(
        (decision for decision in decisions if decision.action == DecisionAction.REQUEST_INFO),
        key=lambda decision: (decision.created_at, decision.pk),
    )
    given = answers(footage_request)
    result = []
    for index, question in enumerate(asked):
        until = asked[index + 1].created_at if index + 1 < len(asked) else None
        answer = next(
            (item for item in given if item.at > question.created_at and (until is None or item.at <= until)), None
        )
        documents = ()
        if answer is not None:
            documents = tuple(
                attachment for attachment in attachments if question.created_at < attachment.uploaded_at <= answer.at
            )
        result.append(
            Exchange(
                asked_at=question.created_at,
                step=question.task_name,
                question=question.comment,
                answer=answer,
                documents=documents,
            )
        )
    return result


def _log_entries(footage_request: FootageRequest) -> list[tuple[str, datetime, dict]]:
    return list(
        ModelLogEntry.objects.filter(
            content_type_id=footage_request.get_base_content_type().pk,
            object_id=str(footage_request.pk),
            action__in=list(_LOGGED),
        )
        .order_by("timestamp", "pk")
        .values_list("action", "timestamp", "data")
    )


def public_timeline(footage_request: FootageRequest) -> Timeline:
    """Everything the citizen may know of the request's life, oldest first, each event once."""
    entries = [Entry(kind=History.SUBMITTED, at=footage_request.submitted_at)]
    status = footage_request.public_status
    if status == PublicStatus.PENDING:
        return Timeline(entries)

    decisions = list(
        footage_request.decisions.only("pk", "action", "task_name", "comment", "created_at", "request_id").order_by(
            "created_at", "pk"
        )
    )
    taken_up = next((decision for decision in decisions if decision.action in _TAKES_UP), None)
    if taken_up is not None:
        entries.append(Entry(kind=History.RECEIVED, at=taken_up.created_at))
    for decision in decisions:
        kind = _BY_DECISION.get(decision.action)
        if kind is None:
            continue
        entries.append(
            Entry(
                kind=kind,
                at=decision.created_at,
                step=decision.task_name if kind == History.STEP_PASSED else "",
                text=decision.comment if kind == History.MORE_INFO_REQUESTED else "",
            )
        )

    given = answers(footage_request)
    if given:
        attachments = list(
            Attachment.objects.filter(request_id=footage_request.pk).only("pk", "uploaded_at", "request_id")
        )
        paired = {
            exchange.answer: exchange.documents
            for exchange in exchanges(footage_request=footage_request, decisions=decisions, attachments=attachments)
            if exchange.answer is not None
        }
        entries.extend(
            Entry(kind=History.RESUBMITTED, at=answer.at, text=answer.note, documents=paired.get(answer, ()))
            for answer in given
        )

    if lifecycle.is_final(status):
        entries.extend(_from_the_log(footage_request))
    return Timeline(sorted(entries, key=lambda entry: entry.sort_key))


def _from_the_log(footage_request: FootageRequest) -> list[Entry]:
    logged = _log_entries(footage_request)
    entries = []
    appointments = []
    if any(_LOGGED[action] in (History.APPOINTMENT_OFFERED, History.APPOINTMENT_CHOSEN) for action, _at, _d in logged):
        appointments = list(
            footage_request.appointments.only("pk", "request_id", "starts_at", "place", "status", "created_at")
        )
    chosen = next(
        (item for item in appointments if item.status == lifecycle.AppointmentStatus.CHOSEN),
        None,
    )
    for action, at, data in logged:
        kind = _LOGGED[action]
        if kind == History.APPOINTMENT_OFFERED:
            continue  # each offer from its own row below, with its time
        if kind == History.COPY_HANDED_OVER and (data or {}).get("delivery") == _DOWNLOAD:
            kind = History.COPY_READY
        if kind == History.APPOINTMENT_CHOSEN:
            entries.append(
                Entry(
                    kind=kind,
                    at=at,
                    appointment_at=chosen.starts_at if chosen else None,
                    place=chosen.place if chosen else "",
                )
            )
            continue
        entries.append(Entry(kind=kind, at=at))
    entries.extend(
        Entry(kind=History.APPOINTMENT_OFFERED, at=item.created_at, appointment_at=item.starts_at, place=item.place)
        for item in appointments
    )
    return entries
