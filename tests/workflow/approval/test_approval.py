"""The approval chain as a table of paths: every action at every level, and what the citizen sees."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from cctv.roles import APPROVAL_LEVELS
from workflow import lifecycle
from workflow.approval.models import Decision
from workflow.approval.services import ActionRefused, act_on_task, cancel_request_by_staff
from workflow.constants import DecisionAction
from workflow.lifecycle import PublicStatus as S
from workflow.request.models import FootageRequest
from workflow.request.services import cancel_request_by_applicant, resubmit_request

A, INFO, DECLINE = DecisionAction.APPROVE, DecisionAction.REQUEST_INFO, DecisionAction.DECLINE


def waiting(footage_request) -> TaskState:
    return FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state


def act(chain, footage_request, level, action, **kwargs):
    if action == DECLINE:
        kwargs.setdefault("reason", chain["reason"])
        kwargs.setdefault("comment", "ไม่มีกล้อง")
    if action == INFO:
        kwargs.setdefault("comment", "กรุณาแนบบันทึกแจ้งความ")
    return act_on_task(task_state=waiting(footage_request), user=chain["users"][level], action=action, **kwargs)


def status_of(footage_request):
    return FootageRequest.objects.get(pk=footage_request.pk).public_status


PATHS = [
    pytest.param([], S.PENDING, WorkflowState.STATUS_IN_PROGRESS, id="submitted"),
    pytest.param([("officer", A)], S.RECEIVED, WorkflowState.STATUS_IN_PROGRESS, id="officer_approves"),
    pytest.param([("officer", A), ("head", A)], S.RECEIVED, WorkflowState.STATUS_IN_PROGRESS, id="head_approves"),
    pytest.param(
        [("officer", A), ("head", A), ("deputy", A)],
        S.RECEIVED,
        WorkflowState.STATUS_IN_PROGRESS,
        id="deputy_approves",
    ),
    pytest.param(
        [("officer", A), ("head", A), ("deputy", A), ("chief", A)],
        S.APPROVED,
        WorkflowState.STATUS_APPROVED,
        id="chief_approves_last",
    ),
    pytest.param([("officer", DECLINE)], S.CANCELLED, WorkflowState.STATUS_CANCELLED, id="officer_declines"),
    pytest.param([("officer", A), ("head", DECLINE)], S.CANCELLED, WorkflowState.STATUS_CANCELLED, id="head_declines"),
    pytest.param(
        [("officer", A), ("head", A), ("deputy", DECLINE)],
        S.CANCELLED,
        WorkflowState.STATUS_CANCELLED,
        id="deputy_declines",
    ),
    pytest.param(
        [("officer", A), ("head", A), ("deputy", A), ("chief", DECLINE)],
        S.CANCELLED,
        WorkflowState.STATUS_CANCELLED,
        id="chief_declines",
    ),
    pytest.param([("officer", INFO)], S.RECEIVED, WorkflowState.STATUS_NEEDS_CHANGES, id="officer_asks_for_more"),
    pytest.param(
        [("officer", A), ("deputy", None), ("head", INFO)],
        S.RECEIVED,
        WorkflowState.STATUS_NEEDS_CHANGES,
        id="head_asks_for_more",
    ),
]


@pytest.mark.parametrize(("steps", "public", "workflow_status"), PATHS)
def test_approval_paths(chain, steps, public, workflow_status):
    footage_request = chain["new"]()
    for level, action in steps:
        if action is None:  # a member of another level may not act on this step
            with pytest.raises(ActionRefused):
                act(chain, footage_request, level, A)
            continue
        act(chain, footage_request, level, action)
    assert status_of(footage_request) == public
    assert WorkflowState.objects.get(object_id=str(footage_request.pk)).status == workflow_status
    assert Decision.objects.filter(request=footage_request).count() == len([s for s in steps if s[1]])


def test_more_information_then_resubmission_resumes_the_same_step(chain):
    footage_request = chain["new"]()
    act(chain, footage_request, "officer", A)
    act(chain, footage_request, "head", INFO, comment="กรุณาแนบบันทึกแจ้งความ")
    assert FootageRequest.objects.get(pk=footage_request.pk).public_message == "กรุณาแนบบันทึกแจ้งความ"
    resubmit_request(footage_request=footage_request, note="แนบแล้วครับ", attachments=[])
    assert status_of(footage_request) == S.RECEIVED
    assert waiting(footage_request).task.name == "head"
    act(chain, footage_request, "head", A)
    act(chain, footage_request, "deputy", A)
    act(chain, footage_request, "chief", A)
    assert status_of(footage_request) == S.APPROVED
    codes = set(ModelLogEntry.objects.filter(object_id=str(footage_request.pk)).values_list("action", flat=True))
    assert {"cctv.request.request_info", "cctv.request.resubmit", "cctv.request.approved"} <= codes


def test_final_approval_publishes_nothing(chain):
    footage_request = chain["new"]()
    for level in APPROVAL_LEVELS:
        act(chain, footage_request, level, A)
    stored = FootageRequest.objects.get(pk=footage_request.pk)
    assert stored.public_status == S.APPROVED
    assert stored.live is False


@pytest.mark.parametrize(
    ("action", "kwargs", "message"),
    [
        pytest.param(INFO, {"comment": "  "}, "add or correct", id="more_information_needs_a_comment"),
        pytest.param(DECLINE, {"comment": "", "reason": None}, "reason", id="decline_needs_reason_and_comment"),
        pytest.param(DECLINE, {"comment": "ไม่ผ่าน", "reason": None}, "reason", id="decline_needs_a_reason"),
        pytest.param("publish", {}, "Unknown", id="unknown_action"),
    ],
)
def test_required_details_are_enforced_on_the_server(chain, action, kwargs, message):
    footage_request = chain["new"]()
    with pytest.raises(ActionRefused):
        act_on_task(task_state=waiting(footage_request), user=chain["users"]["officer"], action=action, **kwargs)
    assert status_of(footage_request) == S.PENDING
    assert not Decision.objects.exists()


def test_action_on_a_finished_workflow_is_refused(chain):
    footage_request = chain["new"]()
    task_state = waiting(footage_request)
    act(chain, footage_request, "officer", DECLINE)
    with pytest.raises(ActionRefused, match="ได้รับการพิจารณาแล้วโดย officer"):
        act_on_task(task_state=task_state, user=chain["users"]["officer"], action=A)
    assert status_of(footage_request) == S.CANCELLED


def test_staff_cancel_needs_a_reason_and_ends_the_workflow(chain):
    footage_request = chain["new"]()
    with pytest.raises(ActionRefused):
        cancel_request_by_staff(footage_request=footage_request, user=chain["users"]["officer"], comment="")
    cancel_request_by_staff(
        footage_request=footage_request, user=chain["users"]["officer"], comment="ผู้ร้องขอยกเลิกทางโทรศัพท์"
    )
    assert status_of(footage_request) == S.CANCELLED
    assert WorkflowState.objects.get(object_id=str(footage_request.pk)).status == WorkflowState.STATUS_CANCELLED


def test_citizen_cancel_ends_the_workflow(chain):
    footage_request = chain["new"]()
    cancel_request_by_applicant(footage_request=footage_request)
    assert WorkflowState.objects.get(object_id=str(footage_request.pk)).status == WorkflowState.STATUS_CANCELLED
    with pytest.raises(lifecycle.TransitionNotAllowed):
        cancel_request_by_applicant(footage_request=footage_request)


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_record_exactly_one_decision(chain):
    footage_request = chain["new"]()
    officer_two = get_user_model().objects.create_user(username="officer2", password="x" * 16)
    officer_two.groups.add(chain["users"]["officer"].groups.first())
    task_state = waiting(footage_request)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            act_on_task(task_state=task_state, user=user, action=A)
            outcomes.append("decided")
        except ActionRefused as refused:
            outcomes.append(str(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (chain["users"]["officer"], officer_two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("decided") == 1
    refused = next(outcome for outcome in outcomes if outcome != "decided")
    assert "ได้รับการพิจารณาแล้วโดย officer" in refused  # "already decided by <the other officer>"
    assert Decision.objects.filter(request=footage_request).count() == 1
    assert (
        TaskState.objects.filter(
            workflow_state__object_id=str(footage_request.pk), task__name="head", status=TaskState.STATUS_IN_PROGRESS
        ).count()
        == 1
    )


def test_wagtail_sends_no_mail_inside_an_approval(chain, mailoutbox):
    footage_request = chain["new"]()
    for level in APPROVAL_LEVELS:
        act(chain, footage_request, level, A)
    assert status_of(footage_request) == S.APPROVED
    assert mailoutbox == []
