"""For the group at the step, the step's actions are the request page's buttons, and acting returns to the queue
with a message in Thai."""

import re

from django.contrib.messages import get_messages

from tests.workflow.approval.test_admin_approval import BASE
from tests.workflow.approval.test_admin_refusals import edit_post, fresh, waiting
from workflow.approval.models import Decision
from workflow.approval.services import approve_step
from workflow.constants import DecisionAction
from workflow.lifecycle import PublicStatus as S

QUEUE = "/admin/cctv/queue/"


def edit_url(footage_request) -> str:
    return f"{BASE}/edit/{footage_request.pk}/"


def footer(html: str) -> str:
    return re.search(r"<footer.*?</footer>", html, re.S).group(0)


def dropdown(html: str) -> str:
    """What Wagtail's footer menu would hide behind its ▲ toggle."""
    match = re.search(r'data-w-dropdown-target="content".*?</footer>', html, re.S)
    return match.group(0) if match else ""


def told(response) -> list[str]:
    """The messages shown on the next page, without the button Wagtail appends to each."""
    return [str(message).split("\n")[0] for message in get_messages(response.wsgi_request)]


def test_the_steps_actions_are_buttons_not_a_menu_behind_save(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    html = footer(client.get(edit_url(footage_request)).content.decode())
    buttons = re.findall(r"<button[^>]*data-step-action[^>]*>\s*(?:<svg.*?</svg>)?\s*([^<]+?)\s*</button>", html, re.S)
    assert buttons == ["อนุมัติ", "อนุมัติพร้อมความเห็น", "ขอข้อมูลเพิ่มเติม", "ไม่อนุมัติ", "ยกเลิกคำร้อง"]
    first = re.search(r"<button[^>]*data-step-action[^>]*>", html).group(0)
    assert "button-secondary" not in first  # approving is the primary button
    assert "บันทึกฉบับร่าง" not in html
    assert "บันทึกข้อมูลติดต่อ" in html
    assert "data-workflow-action-name" not in dropdown(html)


def test_the_last_step_says_so_on_its_button(client, chain):
    footage_request = chain["new"]()
    for level in ("officer", "head", "deputy"):
        approve_step(task_state=waiting(footage_request), user=chain["users"][level])
    client.force_login(chain["users"]["chief"])
    html = footer(client.get(edit_url(footage_request)).content.decode())
    assert "อนุมัติ (ขั้นสุดท้าย)" in html


def test_approving_on_the_page_returns_to_the_queue_with_a_message(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    response = client.post(
        edit_url(footage_request), edit_post(footage_request, DecisionAction.APPROVE, waiting(footage_request))
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert told(response) == [f"อนุมัติคำร้อง {footage_request.reference} แล้ว คำร้องรอการพิจารณาของ head"]
    assert fresh(footage_request).public_status == S.RECEIVED
    assert Decision.objects.get().user == chain["users"]["officer"]


def test_the_last_approval_says_the_request_is_approved(client, chain):
    footage_request = chain["new"]()
    for level in ("officer", "head", "deputy"):
        approve_step(task_state=waiting(footage_request), user=chain["users"][level])
    client.force_login(chain["users"]["chief"])
    response = client.post(
        edit_url(footage_request), edit_post(footage_request, DecisionAction.APPROVE, waiting(footage_request))
    )
    assert response["Location"] == QUEUE
    assert fresh(footage_request).public_status == S.APPROVED
    assert told(response) == [f"อนุมัติคำร้อง {footage_request.reference} ในขั้นสุดท้ายแล้ว และแจ้งผู้ยื่นคำร้องแล้ว"]


def test_declining_on_the_page_returns_to_the_queue(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    extra = {"reason": chain["reason"].pk, "comment": "ไม่มีกล้อง"}
    response = client.post(
        edit_url(footage_request), edit_post(footage_request, DecisionAction.DECLINE, waiting(footage_request), extra)
    )
    assert response["Location"] == QUEUE
    assert fresh(footage_request).public_status == S.CANCELLED
    assert told(response) == [f"ไม่อนุมัติคำร้อง {footage_request.reference} แล้ว และแจ้งเหตุผลแก่ผู้ยื่นคำร้องแล้ว"]


def test_the_action_view_returns_to_the_queue(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    url = f"{BASE}/workflow/action/{footage_request.pk}/approve/{waiting(footage_request).pk}/"
    response = client.post(url, {"comment": ""})
    assert response["Location"] == QUEUE
    assert fresh(footage_request).public_status == S.RECEIVED


def test_a_refused_action_still_returns_to_the_request(client, chain):
    """A stale page is told who decided, on the request's page, not sent to the queue as if it had acted."""
    footage_request = chain["new"]()
    seen = waiting(footage_request)
    approve_step(task_state=seen, user=chain["users"]["officer"])
    client.force_login(chain["users"]["officer"])
    response = client.post(edit_url(footage_request), edit_post(footage_request, DecisionAction.APPROVE, seen))
    assert response["Location"] == edit_url(footage_request)
    assert Decision.objects.count() == 1
