"""The applicant's files (ID-card copy, signature) go to exactly the people who may open the request.

One rule decides both (workflow.request.selectors.user_may_see_request); the table below checks, role by
role and step by step, that the file views and Wagtail's request editor give the same answer. Officers and the
supervising levels (head, deputy chief, chief executive) read every request at every step, and after it ended;
auditors and editors read none.
"""

import pytest
from django.contrib.auth import get_user_model

from cctv.roles import setup_roles
from workflow.approval.services import take_action
from workflow.constants import DecisionAction
from workflow.privacy.models import AccessLog
from workflow.request.models import Attachment, FootageRequest
from workflow.request.selectors import user_may_see_request

A, INFO, DECLINE = DecisionAction.APPROVE, DecisionAction.REQUEST_INFO, DecisionAction.DECLINE
ROLES = ("officer", "head", "deputy", "chief", "auditor", "editor")

READERS = {"officer", "head", "deputy", "chief"}
# step -> (the decisions that bring a request there, the roles that may open it and its files)
STEPS = {
    "at_officer": ([], READERS),
    "at_head": ([("officer", A)], READERS),
    "at_deputy": ([("officer", A), ("head", A)], READERS),
    "at_chief": ([("officer", A), ("head", A), ("deputy", A)], READERS),
    "approved": ([("officer", A), ("head", A), ("deputy", A), ("chief", A)], READERS),
    "declined_by_head": ([("officer", A), ("head", DECLINE)], READERS),
    "waiting_for_the_applicant": ([("officer", A), ("head", INFO)], READERS),
}


@pytest.fixture
def staff(chain):
    groups = setup_roles()
    users = dict(chain["users"])
    for role in ("auditor", "editor"):
        user = get_user_model().objects.create_user(username=f"{role}-user", password="x" * 16)
        user.groups.add(groups[role])
        users[role] = user
    return users


def bring_to(chain, footage_request, decisions):
    for level, action in decisions:
        data = {}
        if action == DECLINE:
            data = {"reason": chain["reason"].pk, "comment": "ไม่มีกล้อง"}
        elif action == INFO:
            data = {"comment": "กรุณาแนบบันทึกแจ้งความ"}
        task_state = FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state
        take_action(task_state=task_state, user=chain["users"][level], action=action, data=data)
    return FootageRequest.objects.get(pk=footage_request.pk)


def opens(response) -> bool:
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403), response.status_code  # Wagtail redirects a refusal home
    assert not response.get("Content-Type", "").startswith("image/")
    return False


@pytest.mark.parametrize("step", list(STEPS))
def test_files_go_to_exactly_those_who_may_open_the_request(client, chain, staff, step):
    decisions, expected = STEPS[step]
    footage_request = bring_to(chain, chain["new"](), decisions)
    attachment = Attachment.objects.get(request=footage_request)
    urls = {
        "request": f"/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/",
        "id_card": f"/admin/cctv/attachments/{attachment.pk}/",
        "signature": f"/admin/cctv/signatures/{footage_request.pk}/",
    }
    seen = {}
    for role in ROLES:
        client.force_login(staff[role])
        seen[role] = {what: opens(client.get(url)) for what, url in urls.items()}
        assert user_may_see_request(staff[role], footage_request) is seen[role]["request"], role
    assert {role for role, answers in seen.items() if answers["request"]} == expected
    disagree = {role: answers for role, answers in seen.items() if len(set(answers.values())) != 1}
    assert not disagree, disagree

    # Only the accesses that were allowed are in the access log, each with who looked.
    logged = set(AccessLog.objects.filter(request=footage_request).values_list("user__username", "what"))
    allowed = {staff[role].username for role in expected}
    assert {user for user, _what in logged} == allowed
    for username in allowed:
        assert {(username, "attachment"), (username, "signature")} <= logged


def test_an_inactive_supervisor_is_refused(chain):
    head = chain["users"]["head"]
    footage_request = chain["new"]()  # with the officers
    assert user_may_see_request(head, footage_request)
    head.is_active = False
    assert not user_may_see_request(head, footage_request)


def test_an_inactive_officer_is_refused(chain):
    officer = chain["users"]["officer"]
    footage_request = chain["new"]()
    assert user_may_see_request(officer, footage_request)
    officer.is_active = False
    assert not user_may_see_request(officer, footage_request)


def test_anonymous_is_refused(chain):
    from django.contrib.auth.models import AnonymousUser

    assert not user_may_see_request(AnonymousUser(), chain["new"]())
