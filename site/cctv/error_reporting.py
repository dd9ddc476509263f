"""Sentry with personal data and keys scrubbed before anything leaves the machine.

Every event (and transaction) goes through ``scrub`` as a whole: stack-frame variables, exception values, the log
message and its arguments, breadcrumbs, extra, contexts and the request. Production settings load this module
before any app, so it imports none of them. What is filtered:

- by name (a dict key, a variable, a field in a repr such as ``Applicant(first_name='…')`` or
  ``{'phone': ['…']}``): the applicant's fields and the request's free text (SENSITIVE_KEYS), and anything named
  like a key or a secret (token, secret, password, key, cookie, session, …);
- in any string: ID numbers, Thai phone numbers, e-mail addresses, the key of a status or download link
  (``/status/<token>/``, ``/copies/<token>/``) even when Sentry cut it short, and Thai text: in this service Thai
  in an error is what a citizen or staff member typed (names, addresses, comments) or a translation, which the
  code shows anyway;
- in log messages (events and breadcrumbs): every argument but numbers and reference numbers, so that
  ``logger.info("sent to %s", name)`` keeps its words and loses the name.

The dataclasses a submission travels in (workflow/request/submission.py) also have reprs without personal data.
"""

import re
from collections.abc import Mapping

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from cctv.organisations.naming import REFERENCE

FILTERED = "[Filtered]"
# 13-digit national IDs (with or without separators), Thai phone numbers, e-mail addresses.
_PATTERNS = [
    re.compile(r"\b\d[\s-]?\d{4}[\s-]?\d{5}[\s-]?\d{2}[\s-]?\d\b"),
    re.compile(r"(?:\+66|\b0)\d{1,2}[\s-]?\d{3}[\s-]?\d{3,4}\b"),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
]
# A status or download link's key (32 URL-safe characters, forms/urls.py), whole or truncated by Sentry.
_LINK_KEY = re.compile(r"(/(?:status|copies)/)[A-Za-z0-9_-]+")
# Runs of Thai script, with the spaces and dots between words of a name or an address.
_THAI = re.compile(r"[\u0e00-\u0e7f]+(?:[\s.]+[\u0e00-\u0e7f]+)*")
_SECRET_NAME = re.compile(
    r"token|secret|passw|pwd|(?:^|_)keys?$|^key_|apikey|authori[sz]ation|cookie|csrf|session|dsn|credential", re.I
)
# ``name='value'``, ``'name': 'value'``, ``"name": ["value", …]`` and ``name=value`` inside a repr.
_NAMED_VALUE = re.compile(
    r"""(?P<lead>['"]?(?<!\w)(?P<name>\w+)['"]?\s*(?::|=)\s*)"""
    r"""(?P<value>\[[^\]]*\]?|'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^,;&)}\]\s>{\['":=]+)"""
)
# A reference number (CCTV-2569-000042): what logs name a request by.
_REFERENCE = REFERENCE
# Keys whose values are always personal data, wherever they appear. Production settings load this module
# before any app, so it imports none and keeps its own list: tests/site/test_error_reporting.py holds it to
# the applicant's fields (workflow.request.submission.APPLICANT_FIELDS) and the request's free text.
SENSITIVE_KEYS = {
    "title",
    "first_name",
    "last_name",
    "national_id",
    "phone",
    "email",
    "address_house_no",
    "address_village",
    "address_road",
    "address_subdistrict",
    "address_district",
    "address_province",
    "address_postcode",
    "race",
    "nationality",
    "age",
    "signature",
    "reason",
    "extra_answers",
    "public_message",
    "title_other",
    "reference_or_phone",
    "token",
    "comment",
    "note",
    "text",
    "to",
}
# Sentry's own fields whose values are identifiers, not data: never rewritten (public_key is the DSN's, which the
# trace header of the envelope must carry as it is).
_SDK_FIELDS = {"event_id", "trace_id", "span_id", "parent_span_id", "timestamp", "start_timestamp", "public_key"}


def _sensitive(name) -> bool:
    name = str(name)
    return name.lower() in SENSITIVE_KEYS or bool(_SECRET_NAME.search(name))


def _named_value(match: re.Match) -> str:
    return f"{match['lead']}{FILTERED}" if _sensitive(match["name"]) else match[0]


def scrub_text(value: str) -> str:
    value = _NAMED_VALUE.sub(_named_value, value)
    for pattern in _PATTERNS:
        value = pattern.sub(FILTERED, value)
    value = _LINK_KEY.sub(rf"\1{FILTERED}", value)
    return _THAI.sub(FILTERED, value)


def scrub(value):
    if isinstance(value, Mapping):
        return {
            key: item if key in _SDK_FIELDS else FILTERED if _sensitive(key) else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def log_argument(value):
    """What of a log message's argument may be shown: numbers and reference numbers."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and _REFERENCE.fullmatch(value):
        return value
    return FILTERED


def _formatted(message, args) -> str:
    message = str(message)
    if not args:
        return message
    try:
        return message % args
    except (TypeError, ValueError, KeyError):
        return message


def _log_args(args):
    if isinstance(args, Mapping):
        return {key: log_argument(item) for key, item in args.items()}
    if isinstance(args, list | tuple):
        return tuple(log_argument(item) for item in args)
    return log_argument(args)


def before_send(event, hint):
    entry = event.get("logentry")
    if isinstance(entry, Mapping) and entry.get("params"):
        params = _log_args(entry["params"])
        args = params if isinstance(params, Mapping) else tuple(params)
        event["logentry"] = {**entry, "params": params, "formatted": _formatted(entry.get("message", ""), args)}
    return scrub(event)


def before_breadcrumb(crumb, hint):
    record = (hint or {}).get("log_record")
    if record is not None and record.args:
        crumb = {**crumb, "message": _formatted(record.msg, _log_args(record.args))}
    return scrub(crumb)


def init_sentry(*, dsn: str, transport=None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        before_send=before_send,
        before_send_transaction=before_send,
        before_breadcrumb=before_breadcrumb,
        include_local_variables=True,
        transport=transport,
    )
