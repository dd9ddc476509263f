"""Sentry with personal data scrubbed before anything leaves the machine."""

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

FILTERED = "[Filtered]"
# 13-digit national IDs (with or without separators), Thai phone numbers, e-mail addresses.
_PATTERNS = [
    re.compile(r"\b\d[\s-]?\d{4}[\s-]?\d{5}[\s-]?\d{2}[\s-]?\d\b"),
    re.compile(r"(?:\+66|\b0)\d{1,2}[\s-]?\d{3}[\s-]?\d{3,4}\b"),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
]
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
}


def scrub(value):
    if isinstance(value, dict):
        return {k: FILTERED if str(k).lower() in SENSITIVE_KEYS else scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        for pattern in _PATTERNS:
            value = pattern.sub(FILTERED, value)
        return value
    return value


def before_send(event, hint):
    return scrub(event)


def init_sentry(*, dsn: str, transport=None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        before_send=before_send,
        include_local_variables=True,
        transport=transport,
    )
