"""A request with no footage to give: an outcome of its own (lifecycle.PublicStatus.NO_FOOTAGE). It leaves the
open states and every work queue, the citizen sees it and cannot cancel it, and retention applies to it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from tests.factories import submission
from workflow.approval.services import approve_step, ask_for_information
from workflow.constants import NotificationEvent
from workflow.handling.models import NoFootageReason
from workflow.handling.risk import at_risk
from workflow.handling.services import record_no_footage
from workflow.lifecycle import PublicStatus
from workflow.notifications.models import Notification
from workflow.privacy import retention
from workflow.privacy.models import RequestStatistic
from workflow.request.models import FootageRequest
from workflow.request.services import cancel_request_by_applicant, submit_request


@pytest.fixture
def reason(db):
    return NoFootageReason.objects.get(text_th__startswith="ภาพในช่วงเวลาดังกล่าวถูกบันทึกทับ")


def workflow_states(footage_request):
    return WorkflowState.objects.filter(
        base_content_type_id=footage_request.get_base_content_type().pk, object_id=str(footage_request.pk)
    )


def queue_of(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/cctv/queue/")
    assert response.status_code == 200
    return response.content.decode()


def test_no_footage_ends_the_request_and_takes_it_out_of_every_queue(client, chain, stations, reason):
    officer = chain["users"]["officer"]
    at_risk_request = submit_request(
        submission=submission(
            station=stations[0],
            request_type=chain["new"]().request_type,
            incident_date=timezone.localdate() - timedelta(days=stations[0].recorder_retention_days - 1),
        )
    )
    assert at_risk_request.reference in queue_of(client, officer)
    assert at_risk().filter(pk=at_risk_request.pk).exists()

    returned = record_no_footage(footage_request=at_risk_request, user=officer, reason=reason, note="กล้องเสีย")

    stored = FootageRequest.objects.get(pk=at_risk_request.pk)
    assert stored.public_status == returned.public_status == at_risk_request.public_status == PublicStatus.NO_FOOTAGE
    assert (stored.no_footage_reason, stored.no_footage_note) == (reason, "กล้องเสีย")
    assert stored.current_task is None and stored.step_started_at is None
    assert not stored.is_open
    assert [state.status for state in workflow_states(stored)] == [WorkflowState.STATUS_CANCELLED]
    assert not TaskState.objects.filter(
        workflow_state__in=workflow_states(stored), status=TaskState.STATUS_IN_PROGRESS
    ).exists()
    assert at_risk_request.reference not in queue_of(client, officer)
    assert not at_risk().filter(pk=stored.pk).exists()
    entry = ModelLogEntry.objects.get(action="cctv.request.no_footage", object_id=str(stored.pk))
    assert (entry.user, entry.data) == (officer, {"reason": reason.pk})
    assert Notification.objects.filter(request=stored, event=NotificationEvent.NO_FOOTAGE).count() == 1


@pytest.mark.parametrize("reached", ["received", "awaiting_applicant"])
def test_no_footage_from_later_open_states(client, chain, reason, reached):
    footage_request = chain["new"]()
    step = {"task_state": footage_request.current_workflow_task_state, "user": chain["users"]["officer"]}
    if reached == "received":
        approve_step(**step)
    else:
        ask_for_information(**step, comment="กรุณาแนบบันทึกแจ้งความ")
    stored = FootageRequest.objects.get(pk=footage_request.pk)
    assert stored.public_status == PublicStatus.RECEIVED
    assert stored.needs_applicant_answer is (reached == "awaiting_applicant")

    record_no_footage(footage_request=stored, user=chain["users"]["head"], reason=reason)

    stored = FootageRequest.objects.get(pk=footage_request.pk)
    assert stored.public_status == PublicStatus.NO_FOOTAGE and stored.public_message == ""
    assert stored.current_task is None and not stored.needs_applicant_answer
    assert [state.status for state in workflow_states(stored)] == [WorkflowState.STATUS_CANCELLED]
    for user in chain["users"].values():
        assert footage_request.reference not in queue_of(client, user)
    page = client.get(f"/status/{stored.token}/").content.decode()
    assert "ไม่พบภาพจากกล้อง" in page and "data-no-footage" in page
    assert 'name="note"' not in page, "no form to answer once the request has ended"


@pytest.mark.parametrize("ended", ["approved", "cancelled", "no_footage"])
def test_no_footage_is_refused_for_an_ended_request(client, chain, reason, ended):
    footage_request = chain["new"]()
    if ended == "approved":
        for level in ("officer", "head", "deputy", "chief"):
            approve_step(
                task_state=FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state,
                user=chain["users"][level],
            )
    elif ended == "cancelled":
        cancel_request_by_applicant(footage_request=footage_request)
    else:
        record_no_footage(footage_request=footage_request, user=chain["users"]["officer"], reason=reason)
    before = FootageRequest.objects.get(pk=footage_request.pk)
    logged = ModelLogEntry.objects.filter(object_id=str(before.pk)).count()

    with pytest.raises(ValidationError, match="สิ้นสุดแล้ว"):
        record_no_footage(footage_request=before, user=chain["users"]["officer"], reason=reason)
    client.force_login(chain["users"]["officer"])
    response = client.post(f"/admin/cctv/requests/{before.pk}/no-footage/", {"reason": reason.pk, "note": ""})
    assert response.status_code == 400 and "สิ้นสุดแล้ว" in response.content.decode()

    after = FootageRequest.objects.get(pk=footage_request.pk)
    assert (after.public_status, after.status_changed_at) == (before.public_status, before.status_changed_at)
    assert ModelLogEntry.objects.filter(object_id=str(before.pk)).count() == logged


def test_the_citizen_sees_no_footage_and_cannot_cancel_it(client, chain, reason):
    footage_request = chain["new"]()
    url = f"/status/{footage_request.token}/"
    assert f"{url}cancel/" in client.get(url).content.decode()
    record_no_footage(footage_request=footage_request, user=chain["users"]["officer"], reason=reason, note="ขออภัย")

    page = client.get(url).content.decode()
    assert 'data-status="no_footage"' in page and "ไม่พบภาพจากกล้อง" in page
    assert reason.text_th in page and "ขออภัย" in page
    assert f"{url}cancel/" not in page and "ยกเลิกคำร้องของฉัน" not in page
    assert "รออนุมัติ" not in page

    refused = client.post(f"{url}cancel/", follow=True)
    assert refused.status_code == 200 and "ไม่สามารถยกเลิก" in refused.content.decode()
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == PublicStatus.NO_FOOTAGE


def test_a_no_footage_request_expires_under_retention(chain, reason):
    footage_request = chain["new"]()
    record_no_footage(footage_request=footage_request, user=chain["users"]["officer"], reason=reason)
    assert not retention.expired_requests().exists(), "recent: kept"
    FootageRequest.objects.filter(pk=footage_request.pk).update(
        status_changed_at=timezone.now() - timedelta(days=4 * 365)
    )
    assert list(retention.expired_requests()) == [FootageRequest.objects.get(pk=footage_request.pk)]
    assert retention.erase_requests(queryset=retention.expired_requests()) == 1
    assert not FootageRequest.objects.filter(pk=footage_request.pk).exists()
    assert not workflow_states(footage_request).exists()
    statistic = RequestStatistic.objects.get()
    assert (statistic.final_status, statistic.count) == (PublicStatus.NO_FOOTAGE, 1)


def test_requests_recorded_as_no_footage_before_the_status_existed_are_closed(chain, reason):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("workflow.migrations.0016_no_footage_status")
    legacy = chain["new"]()
    still_open = chain["new"]()
    FootageRequest.objects.filter(pk=legacy.pk).update(no_footage_reason=reason)  # what the old service wrote

    migration.close_requests_with_no_footage(apps, None)

    closed = FootageRequest.objects.get(pk=legacy.pk)
    assert (closed.public_status, closed.current_task) == (PublicStatus.NO_FOOTAGE, None)
    assert [state.status for state in workflow_states(closed)] == [WorkflowState.STATUS_CANCELLED]
    assert not TaskState.objects.filter(
        workflow_state__in=workflow_states(closed), status=TaskState.STATUS_IN_PROGRESS
    ).exists()
    assert FootageRequest.objects.get(pk=still_open.pk).public_status == PublicStatus.PENDING
