"""Timing the manual's steps: start and stop with the server's clock, one piece of work under way per step and
camera, and times typed by hand checked against the request (not before it came, not in the future, the end
after the start)."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cctv.thai.dates import format_be_date
from workflow.handling.estimates import progress
from workflow.handling.fields import BuddhistEraDateTimeField, format_be_input
from workflow.handling.forms import StepRecordForm
from workflow.handling.models import ServiceStep, StepRecord
from workflow.handling.services import record_step, start_step, stop_step
from workflow.handling.views import steps_for
from workflow.request.models import FootageRequest


@pytest.fixture
def setting(chain, stations):
    footage_request = chain["new"]()
    footage_request.cameras.set(stations[0].cameras.all())
    return {
        "request": FootageRequest.objects.get(pk=footage_request.pk),
        "officer": chain["users"]["officer"],
        "documents": ServiceStep.objects.get(code="documents"),
        "review": ServiceStep.objects.get(code="review"),
        "cameras": list(stations[0].cameras.all()),
    }


def test_start_and_stop_record_the_servers_times(setting):
    footage_request, officer, documents = setting["request"], setting["officer"], setting["documents"]
    before = timezone.now()
    record = start_step(footage_request=footage_request, user=officer, step=documents)
    assert record.is_running and before <= record.started_at <= timezone.now()
    assert [(p.name, p.state) for p in progress(footage_request)][1] == ("ตรวจสอบเอกสาร", "current")

    with pytest.raises(ValidationError, match="อยู่ระหว่างดำเนินการ"):
        start_step(footage_request=footage_request, user=officer, step=documents)

    stopped = stop_step(footage_request=footage_request, user=officer, record=record)
    assert not stopped.is_running and stopped.ended_at >= stopped.started_at and stopped.staff == officer
    assert [(p.name, p.state) for p in progress(FootageRequest.objects.get(pk=footage_request.pk))][1] == (
        "ตรวจสอบเอกสาร",
        "done",
    )
    with pytest.raises(ValidationError, match="หยุดไปแล้ว"):
        stop_step(footage_request=footage_request, user=officer, record=record)


def test_a_step_done_per_camera_runs_once_per_camera(setting):
    footage_request, officer, review = setting["request"], setting["officer"], setting["review"]
    first, second = setting["cameras"]
    with pytest.raises(ValidationError) as refused:
        start_step(footage_request=footage_request, user=officer, step=review)
    assert set(refused.value.message_dict) == {"camera"}
    start_step(footage_request=footage_request, user=officer, step=review, camera=first)
    start_step(footage_request=footage_request, user=officer, step=review, camera=second)
    row = next(row for row in steps_for(footage_request) if row["step"] == review)
    assert [(target["camera"], target["running"] is not None) for target in row["targets"]] == [
        (first, True),
        (second, True),
    ]
    assert row["actual"] is None, "work under way has no minutes yet"


def test_a_step_of_the_approval_workflow_is_not_started_by_hand(setting):
    with pytest.raises(ValidationError, match="ขั้นตอนอนุมัติ"):
        start_step(
            footage_request=setting["request"],
            user=setting["officer"],
            step=ServiceStep.objects.get(code="copy_approval"),
        )


def test_a_forgotten_stop_is_given_its_time(setting):
    footage_request, officer = setting["request"], setting["officer"]
    record = start_step(footage_request=footage_request, user=officer, step=setting["documents"])
    StepRecord.objects.filter(pk=record.pk).update(started_at=timezone.now() - timedelta(minutes=40))
    FootageRequest.objects.filter(pk=footage_request.pk).update(submitted_at=timezone.now() - timedelta(hours=1))
    footage_request = FootageRequest.objects.get(pk=footage_request.pk)
    ended = timezone.now() - timedelta(minutes=37)
    with pytest.raises(ValidationError) as refused:
        stop_step(
            footage_request=footage_request,
            user=officer,
            record=record,
            ended_at=timezone.now() - timedelta(minutes=50),
        )
    assert refused.value.message_dict == {"ended_at": ["เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"]}
    stopped = stop_step(
        footage_request=footage_request, user=officer, record=record, ended_at=ended, outcome="problem", notes="ไฟดับ"
    )
    assert round(stopped.minutes) == 3 and stopped.outcome == "problem" and stopped.notes == "ไฟดับ"


def _typed(footage_request, officer, step, *, started_at, ended_at):
    return record_step(
        footage_request=footage_request, user=officer, step=step, camera=None, started_at=started_at, ended_at=ended_at
    )


def test_a_start_before_the_request_came_is_refused_in_thai(setting):
    footage_request, officer, documents = setting["request"], setting["officer"], setting["documents"]
    submitted = timezone.localtime(footage_request.submitted_at)
    with pytest.raises(ValidationError) as refused:
        _typed(
            footage_request,
            officer,
            documents,
            started_at=submitted - timedelta(days=1),
            ended_at=submitted - timedelta(days=1) + timedelta(minutes=5),
        )
    [message] = refused.value.message_dict["started_at"]
    assert message.startswith("เวลาเริ่มต้องไม่ก่อนเวลาที่ยื่นคำร้อง")
    assert format_be_date(submitted.date(), "short") in message and f"{submitted:%H:%M}" in message
    assert not StepRecord.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (timedelta(minutes=10), timedelta(minutes=20), "started_at", "เวลาเริ่มต้องไม่อยู่ในอนาคต"),
        (timedelta(minutes=-10), timedelta(minutes=20), "ended_at", "เวลาสิ้นสุดต้องไม่อยู่ในอนาคต"),
        (timedelta(minutes=-10), timedelta(minutes=-10), "ended_at", "เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"),
        (timedelta(minutes=-10), timedelta(minutes=-20), "ended_at", "เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"),
    ],
)
def test_typed_times_are_checked(setting, start, end, field, message):
    footage_request = setting["request"]
    FootageRequest.objects.filter(pk=footage_request.pk).update(submitted_at=timezone.now() - timedelta(hours=2))
    footage_request = FootageRequest.objects.get(pk=footage_request.pk)
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        _typed(footage_request, setting["officer"], setting["documents"], started_at=now + start, ended_at=now + end)
    assert refused.value.message_dict[field] == [message]


def test_a_time_in_the_minute_the_request_came_is_accepted(setting):
    footage_request = setting["request"]
    minute = footage_request.submitted_at.replace(second=0, microsecond=0)
    FootageRequest.objects.filter(pk=footage_request.pk).update(submitted_at=minute + timedelta(seconds=40))
    footage_request = FootageRequest.objects.get(pk=footage_request.pk)
    end = min(timezone.now(), minute + timedelta(minutes=1))
    record = _typed(footage_request, setting["officer"], setting["documents"], started_at=minute, ended_at=end)
    assert record.started_at == minute


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24/11/2569 14:30", datetime(2026, 11, 24, 14, 30)),
        ("๒๔/๑๑/๒๕๖๙ ๑๔.๓๐ น.", datetime(2026, 11, 24, 14, 30)),
        ("1/2/2570 เวลา 9:05", datetime(2027, 2, 1, 9, 5)),
    ],
)
def test_staff_type_times_in_the_buddhist_era(typed, expected):
    value = BuddhistEraDateTimeField().clean(typed)
    assert timezone.localtime(value).replace(tzinfo=None) == expected
    assert format_be_input(value) == expected.strftime("%d/%m/") + str(expected.year + 543) + expected.strftime(
        " %H:%M"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("24/11/2026 14:30", "ปีพุทธศักราช: 2569"),
        ("24/11/2569", "วัน/เดือน/ปี พ.ศ. ชั่วโมง:นาที"),
        ("24/11/2569 24:10", "00:00 ถึง 23:59"),
    ],
)
def test_a_time_not_in_the_buddhist_era_is_refused(typed, message):
    with pytest.raises(ValidationError, match=message):
        BuddhistEraDateTimeField().clean(typed)


def test_the_typed_form_keeps_what_was_typed(setting):
    form = StepRecordForm(
        {"step": setting["documents"].pk, "started_at": "2026-11-24T14:30", "ended_at": "24/11/2569 14:40"},
        footage_request=setting["request"],
    )
    assert not form.is_valid()
    assert 'value="2026-11-24T14:30"' in str(form["started_at"])
