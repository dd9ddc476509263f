"""What Wagtail's admin lets through by POST, and what the request's views refuse: the modal's JSON, stale pages,
old task state ids, Wagtail's own workflow moves. A refusal changes nothing and says why, in Thai."""

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

from tests.workflow.approval.test_admin_approval import BASE, correction_post
from workflow.approval.models import Decision
from workflow.approval.services import approve_step, ask_for_information
from workflow.approval.views import SEEN_TASK_STATE
from workflow.constants import DecisionAction
from workflow.lifecycle import PublicStatus as S
from workflow.request.models import FootageRequest
from workflow.request.services import cancel_request_by_applicant, resubmit_request

ALREADY_DECIDED = "คำร้องนี้ได้รับการพิจารณาแล้วโดย"
XHR = {"x-requested-with": "XMLHttpRequest"}


def fresh(footage_request) -> FootageRequest:
    return FootageRequest.objects.get(pk=footage_request.pk)


def waiting(footage_request) -> TaskState:
    return fresh(footage_request).current_workflow_task_state


def workflow_status(footage_request) -> str:
    return WorkflowState.objects.filter(object_id=str(footage_request.pk)).latest("created_at").status


def edit_url(footage_request) -> str:
    return f"{BASE}/edit/{footage_request.pk}/"


def edit_post(footage_request, action, seen, extra=None, **more):
    """The edit form as Wagtail's footer posts it: a button's action name, the modal's data as JSON."""
    data = correction_post(fresh(footage_request))
    data.update({"action-workflow-action": "1", "workflow-action-name": action, **more})
    if seen is not None:
        data[SEEN_TASK_STATE] = seen.pk
    if extra is not None:
        data["workflow-action-extra-data"] = json.dumps(extra)
    return data


def member_of(django_user_model, username, *levels):
    user = django_user_model.objects.create_user(username=username, password="x" * 16)
    user.groups.add(*Group.objects.filter(user__username__in=levels))
    return user


@pytest.mark.parametrize(
    ("action", "data"),
    [
        pytest.param("approve", {"comment": "ผ่าน"}, id="approve_with_comment"),
        pytest.param(DecisionAction.REQUEST_INFO, {"comment": "ขอบันทึกแจ้งความ"}, id="request_info"),
        pytest.param(DecisionAction.DECLINE, {"comment": "ไม่มีกล้อง", "reason": "REASON"}, id="decline"),
        pytest.param(DecisionAction.CANCEL, {"comment": "ผู้ร้องถอนคำร้อง"}, id="cancel"),
    ],
)
def test_every_action_modal_returns_json(client, chain, action, data):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    url = f"{BASE}/workflow/collect_action_data/{footage_request.pk}/{action}/{waiting(footage_request).pk}/"
    if data.get("reason") == "REASON":
        data = {**data, "reason": chain["reason"].pk}
    assert client.get(url, headers=XHR).status_code == 200
    response = client.post(url, data, headers=XHR)
    assert response.status_code == 200
    assert response.json()["step"] == "success"
    assert response.json()["cleaned_data"] == data
    assert fresh(footage_request).public_status == S.PENDING  # the modal only collects


def test_decline_through_the_modal_then_the_edit_form(client, chain):
    """What the footer does: the modal validates and returns the data, the edit form posts it with the action."""
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    seen = waiting(footage_request)
    modal = f"{BASE}/workflow/collect_action_data/{footage_request.pk}/decline/{seen.pk}/"
    assert chain["reason"].text_th in client.get(modal, headers=XHR).json()["html"]
    cleaned = client.post(modal, {"reason": chain["reason"].pk, "comment": "ไม่มีกล้อง"}, headers=XHR).json()
    response = client.post(
        edit_url(footage_request), edit_post(footage_request, "decline", seen, cleaned["cleaned_data"])
    )
    assert response.status_code == 302
    stored = fresh(footage_request)
    assert stored.public_status == S.CANCELLED
    assert stored.public_message == f"{chain['reason']}: ไม่มีกล้อง"
    assert Decision.objects.get().reason == chain["reason"]
    assert workflow_status(footage_request) == WorkflowState.STATUS_CANCELLED


def test_decline_with_a_retired_reason_is_refused(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    seen = waiting(footage_request)
    chain["reason"].active = False
    chain["reason"].save()
    response = client.post(
        edit_url(footage_request),
        edit_post(footage_request, "decline", seen, {"reason": chain["reason"].pk, "comment": "ไม่มีกล้อง"}),
        follow=True,
    )
    assert "กรุณาเลือกเหตุผลและเขียนความเห็นเพื่อไม่อนุมัติคำร้อง" in response.content.decode()
    assert fresh(footage_request).public_status == S.PENDING
    assert not Decision.objects.exists()


@pytest.mark.parametrize("move", ["cancel-workflow", "restart-workflow", "submit", "publish"])
@pytest.mark.parametrize("needs_changes", [False, True], ids=["in_progress", "needs_changes"])
def test_wagtail_workflow_moves_are_refused_in_the_edit_view(client, chain, django_user_model, move, needs_changes):
    """Posting Wagtail's own "cancel workflow" used to end the workflow and leave the request รออนุมัติ forever;
    "restart", "submit" and "publish" would move it without the request's status as well."""
    footage_request = chain["new"]()
    if needs_changes:
        ask_for_information(task_state=waiting(footage_request), user=chain["users"]["officer"], comment="ขอเพิ่ม")
    before = (fresh(footage_request).public_status, workflow_status(footage_request))
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "x" * 16)
    for user in (chain["users"]["officer"], root):
        client.force_login(user)
        data = correction_post(fresh(footage_request))
        data[f"action-{move}"] = "1"
        response = client.post(edit_url(footage_request), data, follow=True)
        assert response.status_code == 200
        assert "ดำเนินการต่อได้เฉพาะด้วยปุ่มของขั้นตอน" in response.content.decode()
        assert (fresh(footage_request).public_status, workflow_status(footage_request)) == before
        assert WorkflowState.objects.filter(object_id=str(footage_request.pk)).count() == 1
        assert fresh(footage_request).live is False


def test_wagtail_workflow_moves_are_not_in_the_menu(client, chain, django_user_model):
    footage_request = chain["new"]()
    ask_for_information(task_state=waiting(footage_request), user=chain["users"]["officer"], comment="ขอเพิ่ม")
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "x" * 16)
    client.force_login(root)
    html = client.get(edit_url(footage_request)).content.decode()
    for name in ("action-cancel-workflow", "action-restart-workflow", "action-submit", "action-publish"):
        assert f'name="{name}"' not in html, name


def test_an_old_task_state_of_my_own_step_is_refused(client, chain):
    """Wagtail loads any task state by the id in the URL; the head's earlier, finished step must decide nothing."""
    footage_request = chain["new"]()
    officer_step = waiting(footage_request)
    approve_step(task_state=officer_step, user=chain["users"]["officer"])
    first_head_step = waiting(footage_request)
    ask_for_information(task_state=first_head_step, user=chain["users"]["head"], comment="ขอเพิ่ม")
    resubmit_request(footage_request=fresh(footage_request), note="แนบแล้ว", attachments=[])
    current = waiting(footage_request)
    assert current.pk != first_head_step.pk and current.task.name == "head"

    client.force_login(chain["users"]["head"])
    response = client.post(
        f"{BASE}/workflow/action/{footage_request.pk}/approve/{first_head_step.pk}/", {"comment": ""}, follow=True
    )
    assert f"{ALREADY_DECIDED} head" in response.content.decode()
    client.force_login(chain["users"]["officer"])
    response = client.post(
        f"{BASE}/workflow/action/{footage_request.pk}/cancel/{officer_step.pk}/", {"comment": "ยกเลิก"}, follow=True
    )
    assert f"{ALREADY_DECIDED} officer" in response.content.decode()
    assert waiting(footage_request).pk == current.pk
    assert TaskState.objects.get(pk=current.pk).status == TaskState.STATUS_IN_PROGRESS
    assert fresh(footage_request).public_status == S.RECEIVED
    assert Decision.objects.filter(request=footage_request).count() == 2


def test_a_task_state_of_another_request_is_not_found(client, chain):
    mine, other = chain["new"](), chain["new"]()
    client.force_login(chain["users"]["officer"])
    for view in ("action", "collect_action_data"):
        url = f"{BASE}/workflow/{view}/{mine.pk}/approve/{waiting(other).pk}/"
        assert client.post(url, {"comment": ""}).status_code == 404
    assert fresh(other).public_status == S.PENDING
    assert not Decision.objects.exists()


def test_a_stale_page_of_a_member_of_both_groups_does_not_decide_the_next_level(client, chain, django_user_model):
    footage_request = chain["new"]()
    both = member_of(django_user_model, "both", "officer", "head")
    client.force_login(both)
    html = client.get(edit_url(footage_request)).content.decode()
    seen = waiting(footage_request)
    assert f'name="{SEEN_TASK_STATE}" value="{seen.pk}"' in html
    approve_step(task_state=seen, user=chain["users"]["officer"])  # someone else decides first
    revisions = Revision.objects.count()

    response = client.post(edit_url(footage_request), edit_post(footage_request, "approve", seen), follow=True)
    assert f"{ALREADY_DECIDED} officer" in response.content.decode()
    response = client.post(f"{BASE}/workflow/action/{footage_request.pk}/approve/{seen.pk}/", {}, follow=True)
    assert f"{ALREADY_DECIDED} officer" in response.content.decode()

    head_step = waiting(footage_request)
    assert head_step.task.name == "head" and head_step.status == TaskState.STATUS_IN_PROGRESS
    assert Decision.objects.filter(request=footage_request).count() == 1
    assert Revision.objects.count() == revisions  # nothing saved
    assert not ModelLogEntry.objects.filter(user=both).exists()


def test_a_stale_modal_says_who_decided(client, chain, django_user_model):
    footage_request = chain["new"]()
    seen = waiting(footage_request)
    other = member_of(django_user_model, "officer2", "officer")
    approve_step(task_state=seen, user=other)
    client.force_login(chain["users"]["officer"])
    modal = f"{BASE}/workflow/collect_action_data/{footage_request.pk}/decline/{seen.pk}/"
    for response in (
        client.get(modal, headers=XHR),
        client.post(modal, {"reason": chain["reason"].pk, "comment": "ไม่มีกล้อง"}, headers=XHR),
    ):
        assert response.status_code == 200
        assert response.json()["step"] == "action"  # the modal stays open, with the message
        assert f"{ALREADY_DECIDED} officer2" in response.json()["html"]
    assert fresh(footage_request).public_status == S.RECEIVED


def test_a_stale_page_after_the_applicant_cancelled(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    seen = waiting(footage_request)
    cancel_request_by_applicant(footage_request=footage_request)
    response = client.post(edit_url(footage_request), edit_post(footage_request, "approve", seen), follow=True)
    assert f"{ALREADY_DECIDED} ผู้ยื่นคำร้อง" in response.content.decode()
    response = client.post(f"{BASE}/workflow/action/{footage_request.pk}/approve/{seen.pk}/", {}, follow=True)
    assert f"{ALREADY_DECIDED} ผู้ยื่นคำร้อง" in response.content.decode()
    assert fresh(footage_request).public_status == S.CANCELLED
    assert not Decision.objects.exists()


def test_an_edit_form_post_without_the_step_it_saw_is_refused(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    response = client.post(edit_url(footage_request), edit_post(footage_request, "approve", None), follow=True)
    assert "หน้านี้ไม่เป็นปัจจุบัน" in response.content.decode()
    assert fresh(footage_request).public_status == S.PENDING
    assert not Decision.objects.exists()


def test_an_edit_saved_while_someone_decides_keeps_the_decision(client, chain, monkeypatch):
    """The edit view reads the request before it saves it; a decision made in between must survive the save."""
    from workflow.request.forms import RequestCorrectionForm

    footage_request = chain["new"]()
    clean = RequestCorrectionForm.clean

    def someone_approves_meanwhile(form):
        monkeypatch.setattr(RequestCorrectionForm, "clean", clean)
        approve_step(task_state=waiting(footage_request), user=chain["users"]["officer"])
        return clean(form)

    monkeypatch.setattr(RequestCorrectionForm, "clean", someone_approves_meanwhile)
    client.force_login(chain["users"]["officer"])
    data = correction_post(fresh(footage_request), phone="0899999999", correction_reason="ผู้ร้องโทรแจ้งเบอร์ใหม่")
    assert client.post(edit_url(footage_request), data).status_code == 302
    stored = fresh(footage_request)
    assert stored.phone == "0899999999"
    assert stored.public_status == S.RECEIVED
    assert stored.current_task.name == "head"
