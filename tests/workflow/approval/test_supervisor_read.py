"""Supervisors (head of the centre, deputy chief, chief executive) read any request at any step; reading is
access-logged and offers nothing to save or decide; acting stays with the step's group."""

import pytest
from django.contrib.auth import get_user_model

from cctv.roles import setup_roles
from tests.workflow.approval.test_admin_approval import BASE, correction_post
from tests.workflow.approval.test_admin_refusals import edit_post, fresh, waiting
from workflow.approval.models import Decision
from workflow.approval.services import approve_step
from workflow.constants import DecisionAction
from workflow.lifecycle import PublicStatus as S
from workflow.privacy.models import AccessLog

LISTING = f"{BASE}/"


def edit_url(footage_request) -> str:
    return f"{BASE}/edit/{footage_request.pk}/"


def approved_by_all(chain):
    footage_request = chain["new"]()
    for level in ("officer", "head", "deputy", "chief"):
        approve_step(task_state=waiting(footage_request), user=chain["users"][level])
    return footage_request


@pytest.mark.parametrize("level", ["head", "deputy", "chief"])
def test_a_supervisor_reads_a_request_still_with_the_officers(client, chain, level):
    footage_request = chain["new"]()
    client.force_login(chain["users"][level])
    response = client.get(edit_url(footage_request))
    assert response.status_code == 200
    html = response.content.decode()
    assert footage_request.reference in html and "ใจดี" in html  # the applicant's details
    assert "data-read-only" in html and "คุณกำลังอ่านคำร้องนี้" in html
    # Nothing to decide and nothing to save: no step's buttons, no Wagtail save, no contact fields.
    assert "data-workflow-action-name" not in html
    assert "action-save" not in html
    assert 'name="phone"' not in html
    assert f"{BASE}/history/{footage_request.pk}/" in html  # their history opens for them too (logged)
    assert AccessLog.objects.filter(
        request=footage_request, user=chain["users"][level], what=AccessLog.What.PERSONAL_DATA
    ).exists()


def test_an_officer_still_gets_the_history_and_the_form(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    html = client.get(edit_url(footage_request)).content.decode()
    assert f"{BASE}/history/{footage_request.pk}/" in html
    assert 'name="phone"' in html and "data-read-only" not in html


def test_the_chief_reopens_a_request_they_approved(client, chain):
    footage_request = approved_by_all(chain)
    client.force_login(chain["users"]["chief"])
    response = client.get(edit_url(footage_request))
    assert response.status_code == 200
    assert "ไม่มีขั้นใดรอการพิจารณา" in response.content.decode()


def test_a_supervisor_cannot_save_a_correction_on_a_request_they_only_read(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["head"])
    response = client.post(
        edit_url(footage_request),
        correction_post(footage_request, phone="0899999999", correction_reason="ผู้ร้องโทรแจ้ง"),
    )
    assert response.status_code in (302, 403)
    assert fresh(footage_request).phone == "0812345678"


@pytest.mark.parametrize("action", [DecisionAction.APPROVE, DecisionAction.DECLINE, DecisionAction.CANCEL])
def test_a_supervisor_cannot_act_on_the_officers_step_through_the_page(client, chain, action):
    footage_request = chain["new"]()
    extra = {"comment": "ไม่ผ่าน", "reason": chain["reason"].pk} if action != DecisionAction.APPROVE else None
    client.force_login(chain["users"]["head"])
    response = client.post(
        edit_url(footage_request), edit_post(footage_request, action, waiting(footage_request), extra)
    )
    assert response.status_code == 302
    assert response["Location"] == edit_url(footage_request)  # back to the request they may read
    assert fresh(footage_request).public_status == S.PENDING
    assert not Decision.objects.exists()
    assert waiting(footage_request).task.name == "officer"


def test_the_head_sees_the_footage_actions_on_a_request_with_the_officers(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["head"])
    html = client.get(edit_url(footage_request)).content.decode()
    assert f"/admin/cctv/requests/{footage_request.pk}/preserve/" in html


def test_the_listing_links_each_request_for_supervisors_not_for_auditors(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["deputy"])
    assert edit_url(footage_request) in client.get(LISTING).content.decode()

    auditor = get_user_model().objects.create_user(username="auditor", password="x" * 16)
    auditor.groups.add(setup_roles()["auditor"])
    client.force_login(auditor)
    response = client.get(LISTING)
    assert response.status_code == 200
    assert footage_request.reference in response.content.decode()
    assert edit_url(footage_request) not in response.content.decode()
    assert client.get(edit_url(footage_request)).status_code in (302, 403)
    assert not AccessLog.objects.filter(user=auditor).exists()


def test_a_supervisor_reads_for_a_few_queries_more_than_an_officer(client, chain):
    """Reading costs a fixed few queries more than the officer's page: the supervising groups (1), the rule for
    changing (the current step and its group, 3) and Wagtail's lock of another group's step with its message."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    footage_request = chain["new"]()
    counts = {}
    for level in ("officer", "head"):
        client.force_login(chain["users"][level])
        client.get(edit_url(footage_request))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(edit_url(footage_request)).status_code == 200
        counts[level] = len(queries.captured_queries)
    assert counts["head"] <= counts["officer"] + 8, counts
