"""Sentry events leave the machine without personal data."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from cctv.error_reporting import init_sentry, scrub
from tests.factories import national_id


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def transport():
    capturing = CapturingTransport()
    init_sentry(dsn="https://public@127.0.0.1/1", transport=capturing)
    yield capturing
    sentry_sdk.init()  # no DSN: reporting off again for the other tests


PERSON = {"national_id": national_id(), "phone": "0812345678", "first_name": "สมชาย", "email": "somchai@example.com"}


def fail_with_personal_data(person):
    # Values arrive at run time, as in a real request; Sentry captures these local variables.
    national_id_number, phone, first_name = person["national_id"], person["phone"], person["first_name"]
    raise ValueError(f"could not process {national_id_number} for {phone} {person['email']} ({len(first_name)})")


def test_event_carries_no_national_id_phone_name_or_email(transport):
    try:
        fail_with_personal_data(dict(PERSON))
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()
    assert transport.envelopes, "the event must have been captured"
    payload = "".join(
        item.payload.get_bytes().decode("utf-8", "replace") for env in transport.envelopes for item in env.items
    )
    assert "could not process" in payload  # the message itself is kept
    for secret in PERSON.values():
        assert secret not in payload, secret
        assert json.dumps(secret)[1:-1] not in payload, secret


def test_request_data_is_scrubbed_by_key():
    event = {"request": {"data": {"national_id": "x", "first_name": "y", "station": "3"}}}
    assert scrub(event)["request"]["data"] == {"national_id": "[Filtered]", "first_name": "[Filtered]", "station": "3"}


def test_every_personal_field_of_a_request_is_scrubbed_by_key():
    # cctv.error_reporting imports no app, so its list is its own: held here to the applicant's fields.
    from workflow.request.submission import APPLICANT_FIELDS

    personal = {*APPLICANT_FIELDS, "signature", "reason", "extra_answers", "public_message"}
    event = {"request": {"data": dict.fromkeys(personal, "x")}}
    assert scrub(event)["request"]["data"] == dict.fromkeys(personal, "[Filtered]")


def payload_of(transport) -> str:
    return "".join(
        item.payload.get_bytes().decode("utf-8", "replace") for env in transport.envelopes for item in env.items
    )


def assert_absent(payload: str, values) -> None:
    for value in values:
        assert value not in payload, value
        assert json.dumps(value)[1:-1] not in payload, value


def deliver_status_link(submission, token, download_token):
    """A worker's delivery as it was when an event carried the status link: the locals hold the applicant, the
    submission and the SMS text with the link's key; the log lines name the person."""
    import logging

    logger = logging.getLogger("workflow.notifications.delivery")
    applicant = submission.applicant
    sms_text = f"คำร้องของท่านได้รับแล้ว ดูสถานะที่ https://cctv.example.go.th/status/{token}/"
    download_url = f"https://cctv.example.go.th/copies/{download_token}/"
    logger.info("Sending the status link to %s %s", applicant.first_name, applicant.last_name)
    logger.info("Submission %r", submission)
    logger.warning(f"SMS to {applicant.phone} for {applicant.first_name}: {sms_text}")  # pre-formatted, as found
    logger.error("Gateway refused the message for %s (%s)", applicant.first_name, "CCTV-2569-000042")
    sentry_sdk.set_context("sms", {"to": applicant.phone, "text": sms_text, "download": download_url})
    sentry_sdk.set_extra("recipient", f"{applicant.first_name} {applicant.last_name}")
    raise RuntimeError(f"gateway refused: {sms_text}")


def test_event_of_a_worker_carries_no_applicant_submission_or_link_key(transport, db, stations, request_types):
    import secrets
    from dataclasses import replace

    from tests.factories import submission as make_submission

    submission = make_submission(station=stations[0], request_type=request_types["view"])
    applicant = replace(submission.applicant, email="somsak.jaidee@example.com", address_road="ถนนพหลโยธิน")
    submission = replace(submission, applicant=applicant, extra_answers={"licence_plate": "กข 1234"})
    token, download_token = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    try:
        deliver_status_link(submission, token, download_token)
    except RuntimeError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()
    payload = payload_of(transport)
    assert "deliver_status_link" in payload and "gateway refused" in payload  # the event is there, and useful
    assert "Sending the status link to" in payload and "CCTV-2569-000042" in payload
    traces = [env.headers["trace"] for env in transport.envelopes if "trace" in env.headers]
    assert traces and all("[Filtered]" not in json.dumps(trace) for trace in traces)  # Sentry's own, left as is
    personal = [
        applicant.first_name,
        applicant.last_name,
        applicant.national_id,
        applicant.phone,
        "081-234-5678",
        applicant.email,
        applicant.address_road,
        applicant.address_subdistrict,
        applicant.address_district,
        applicant.address_province,
        submission.incident.reason,
        "กข 1234",
    ]
    assert_absent(payload, [*personal, token, token[:12], download_token, download_token[:12]])


def test_submission_and_applicant_reprs_show_no_personal_data(stations, request_types, db):
    from tests.factories import submission as make_submission

    submission = make_submission(station=stations[0], request_type=request_types["view"])
    shown = repr(submission)
    assert "Applicant(" in shown and "Incident(" in shown
    for value in (submission.applicant.first_name, submission.applicant.national_id, submission.incident.reason):
        assert value not in shown
    assert "content=" not in shown  # the files' bytes (an ID-card copy) are not shown either


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Applicant(first_name='Somchai', age=40)", "Applicant(first_name=", "Somchai"),
        ("<QueryDict: {'last_name': ['Jaidee'], 'station': ['3']}>", "'station': ['3']", "Jaidee"),
        ('{"api_key": "abc123", "page": 2}', '"page": 2', "abc123"),
        ("password=hunter2&next=/admin/", "next=/admin/", "hunter2"),
        ("see https://x.example/status/AbCdEfGhIjKlMnOpQrStUvWxYz012345/ now", "/status/", "AbCdEfGh"),
        ("link /copies/AbCdEfGhIjKlMn", "/copies/", "AbCdEfGh"),  # cut short by Sentry's truncation
        ("ส่งถึง นาย สมชาย ใจดี แล้ว", "[Filtered]", "สมชาย"),
    ],
)
def test_strings_are_scrubbed_by_name_pattern_and_script(text, kept, gone):
    scrubbed = scrub({"value": text})["value"]
    assert kept in scrubbed and gone not in scrubbed


def test_variables_named_like_keys_are_scrubbed_and_sentry_ids_are_kept():
    frame_vars = {"download_token": "x", "secret": "y", "i": 3}
    event = {
        "event_id": "0123456789abcdef0123456789abcdef",
        "contexts": {"trace": {"trace_id": "0123456789abcdef0123456789abcdef", "span_id": "0123456789abcdef"}},
        "exception": {"values": [{"stacktrace": {"frames": [{"vars": frame_vars}]}}]},
    }
    scrubbed = scrub(event)
    assert scrubbed["event_id"] == event["event_id"] and scrubbed["contexts"] == event["contexts"]
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"] == {
        "download_token": "[Filtered]",
        "secret": "[Filtered]",
        "i": 3,
    }
