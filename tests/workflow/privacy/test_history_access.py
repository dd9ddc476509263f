"""Wagtail's views of a request's past show its personal data (field values in a revision comparison, approvers'
comments in the workflow history): each opening is access-logged like the edit view, a refusal is not."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cctv.roles import setup_roles
from workflow.approval.services import approve_step
from workflow.privacy.models import AccessLog

pytestmark = pytest.mark.django_db

NAMESPACE = "wagtailsnippets_cctv_workflow_footagerequest"


@pytest.fixture
def approved_once(chain):
    footage_request = chain["new"]()
    approve_step(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        comment="ผู้ร้องโทร 0812345678 แจ้งเพิ่ม",
    )
    return footage_request


def urls(footage_request) -> dict[str, str]:
    pk = footage_request.pk
    revision = footage_request.revisions.order_by("pk").first()
    workflow_state = footage_request.workflow_states.order_by("pk").first()
    return {
        "history": reverse(f"{NAMESPACE}:history", args=[pk]),
        "history_results": reverse(f"{NAMESPACE}:history_results", args=[pk]),
        "revisions_compare": reverse(f"{NAMESPACE}:revisions_compare", args=[pk, "earliest", revision.pk]),
        "workflow_history": reverse(f"{NAMESPACE}:workflow_history", args=[pk]),
        "workflow_history_detail": reverse(f"{NAMESPACE}:workflow_history_detail", args=[pk, workflow_state.pk]),
    }


VIEWS = ["history", "history_results", "revisions_compare", "workflow_history", "workflow_history_detail"]


@pytest.mark.parametrize("view", VIEWS)
def test_opening_the_past_of_a_request_is_access_logged(client, approved_once, view):
    admin = get_user_model().objects.create_superuser(username="admin", password="x" * 16)
    client.force_login(admin)
    before = AccessLog.objects.filter(request=approved_once).count()
    response = client.get(urls(approved_once)[view], REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    rows = AccessLog.objects.filter(request=approved_once).order_by("-pk")
    assert rows.count() == before + 1
    assert (rows[0].user, rows[0].what, rows[0].ip_address) == (admin, AccessLog.What.PERSONAL_DATA, "10.9.8.7")


@pytest.mark.parametrize("view", [view for view in VIEWS if view != "history_results"])
def test_a_refused_opening_leaves_no_access_row(client, approved_once, view):
    stranger = get_user_model().objects.create_user(username="editor", password="x" * 16)
    stranger.groups.add(setup_roles()["editor"])
    client.force_login(stranger)
    before = AccessLog.objects.count()
    response = client.get(urls(approved_once)[view])
    assert response.status_code in (302, 403)
    assert AccessLog.objects.count() == before


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("level", ["head", "deputy", "chief"])
def test_a_supervisor_reads_the_past_of_a_request_at_another_step_and_it_is_logged(client, chain, level, view):
    # At the officers' step: the supervising levels read it as they read the request page.
    footage_request = chain["new"]()
    supervisor = chain["users"][level]
    client.force_login(supervisor)
    response = client.get(urls(footage_request)[view])
    assert response.status_code == 200
    assert AccessLog.objects.filter(request=footage_request, user=supervisor).count() == 1


def test_the_auditor_does_not_read_a_request_s_past(client, chain):
    footage_request = chain["new"]()
    auditor = get_user_model().objects.create_user(username="auditor", password="x" * 16)
    auditor.groups.add(setup_roles()["auditor"])
    client.force_login(auditor)
    assert client.get(urls(footage_request)["revisions_compare"]).status_code in (302, 403)
    assert not AccessLog.objects.filter(user=auditor).exists()
