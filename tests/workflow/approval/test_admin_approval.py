"""Approvers act in the Wagtail admin; the server enforces what the modal asks for."""

import pytest
from django.contrib.auth import get_user_model

from workflow.approval.models import Decision
from workflow.constants import DecisionAction
from workflow.lifecycle import PublicStatus as S
from workflow.request.models import FootageRequest

BASE = "/admin/snippets/cctv_workflow/footagerequest"


def action_url(footage_request, action):
    task_state = FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state
    return f"{BASE}/workflow/action/{footage_request.pk}/{action}/{task_state.pk}/"


def test_officer_sees_the_three_actions_on_the_request(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    response = client.get(f"{BASE}/edit/{footage_request.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("ขอข้อมูลเพิ่มเติม", "ไม่อนุมัติ", "อนุมัติ"):
        assert label in html, label


def test_each_level_approves_in_the_admin_within_60_queries(client, chain, django_assert_max_num_queries, mailoutbox):
    footage_request = chain["new"]()
    expected = [S.RECEIVED, S.RECEIVED, S.RECEIVED, S.APPROVED]
    client.get("/admin/login/")  # the installation's sites are read once and kept (cctv.organisations.middleware)
    for level, status in zip(("officer", "head", "deputy", "chief"), expected, strict=True):
        client.force_login(chain["users"][level])
        url = action_url(footage_request, "approve")
        with django_assert_max_num_queries(60):
            response = client.post(url, {"comment": ""})
        assert response.status_code == 302
        assert FootageRequest.objects.get(pk=footage_request.pk).public_status == status
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("action", "data"),
    [
        pytest.param(DecisionAction.REQUEST_INFO, {"comment": ""}, id="more_information_without_comment"),
        pytest.param(DecisionAction.DECLINE, {"comment": "ไม่ผ่าน"}, id="decline_without_reason"),
        pytest.param(DecisionAction.DECLINE, {"comment": ""}, id="decline_without_anything"),
    ],
)
def test_actions_missing_required_details_change_nothing(client, chain, action, data):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    client.post(action_url(footage_request, action), data)
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == S.PENDING
    assert not Decision.objects.exists()


def test_decline_with_reason_and_comment_in_the_admin(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    response = client.post(
        action_url(footage_request, DecisionAction.DECLINE), {"reason": chain["reason"].pk, "comment": "ไม่มีกล้อง"}
    )
    assert response.status_code == 302
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == S.CANCELLED
    assert Decision.objects.get().reason == chain["reason"]


def test_head_cannot_act_on_the_officers_step(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["head"])
    client.post(action_url(footage_request, "approve"), {"comment": ""})
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == S.PENDING


def test_edit_view_action_without_comment_is_refused_by_the_task(client, chain):
    """Posting the action through the edit form skips the modal's form; the task itself still refuses it."""
    import json

    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    data = correction_post(footage_request)
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": DecisionAction.REQUEST_INFO,
            "workflow-action-extra-data": json.dumps({"comment": "  "}),
            # the step the page was drawn with, so that it is the task's own check that refuses
            "workflow-task-state-id": footage_request.current_workflow_task_state.pk,
        }
    )
    response = client.post(f"{BASE}/edit/{footage_request.pk}/", data)
    assert response.status_code in (200, 302)
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == S.PENDING
    assert not Decision.objects.exists()


def test_auditor_cannot_act_or_edit(client, chain):
    from cctv.roles import setup_roles

    auditor = get_user_model().objects.create_user(username="auditor", password="x" * 16)
    auditor.groups.add(setup_roles()["auditor"])
    footage_request = chain["new"]()
    client.force_login(auditor)
    assert client.get(f"{BASE}/edit/{footage_request.pk}/").status_code in (302, 403)
    client.post(action_url(footage_request, "approve"), {"comment": ""})
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == S.PENDING


def test_request_view_shows_everything_and_logs_the_access(client, chain, django_assert_max_num_queries):
    from tests.factories import national_id
    from workflow.privacy.models import AccessLog
    from workflow.request.models import Attachment

    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    client.get(f"{BASE}/edit/{footage_request.pk}/")
    # Wagtail's snippet editor itself takes about 60; one prefetch per section of the footage handling.
    with django_assert_max_num_queries(80):
        response = client.get(f"{BASE}/edit/{footage_request.pk}/")
    html = response.content.decode()
    assert national_id() in html and "ใจดี" in html
    attachment = Attachment.objects.get(request=footage_request)
    assert f"/admin/cctv/attachments/{attachment.pk}/" in html
    assert AccessLog.objects.filter(request=footage_request, what="personal_data").count() == 2

    file_response = client.get(f"/admin/cctv/attachments/{attachment.pk}/")
    assert file_response.status_code == 200
    assert file_response["Content-Type"] == "image/png"
    assert "no-store" in file_response["Cache-Control"]
    assert AccessLog.objects.filter(request=footage_request, what="attachment", object_id=attachment.pk).exists()
    assert client.get(f"/admin/cctv/signatures/{footage_request.pk}/").status_code == 200


def test_files_are_refused_to_staff_without_access_and_to_the_public(client, chain):
    from workflow.privacy.models import AccessLog
    from workflow.request.models import Attachment

    footage_request = chain["new"]()
    attachment = Attachment.objects.get(request=footage_request)
    assert client.get(f"/admin/cctv/attachments/{attachment.pk}/").status_code == 302  # to the login page
    editor = get_user_model().objects.create_user(username="someone", password="x" * 16)
    from cctv.roles import setup_roles

    editor.groups.add(setup_roles()["editor"])
    client.force_login(editor)
    for url in (f"/admin/cctv/attachments/{attachment.pk}/", f"/admin/cctv/signatures/{footage_request.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect home
        assert not response.get("Content-Type", "").startswith("image/")
    assert not AccessLog.objects.exists()


def test_staff_cancel_in_the_admin_needs_a_reason(client, chain):
    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    client.post(action_url(footage_request, DecisionAction.CANCEL), {"comment": ""})
    assert FootageRequest.objects.get(pk=footage_request.pk).public_status == S.PENDING
    client.post(action_url(footage_request, DecisionAction.CANCEL), {"comment": "ผู้ร้องแจ้งยกเลิกทางโทรศัพท์"})
    stored = FootageRequest.objects.get(pk=footage_request.pk)
    assert stored.public_status == S.CANCELLED
    assert stored.public_message == "ผู้ร้องแจ้งยกเลิกทางโทรศัพท์"
    assert Decision.objects.get().action == DecisionAction.CANCEL


def test_plain_workflow_cancel_is_not_offered(client, chain, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.invalid", "x" * 16)
    footage_request = chain["new"]()
    client.force_login(admin)
    html = client.get(f"{BASE}/edit/{footage_request.pk}/").content.decode()
    assert "action-cancel-workflow" not in html


def test_private_files_can_be_handed_to_nginx(client, chain, settings):
    from workflow.privacy.models import AccessLog
    from workflow.request.models import Attachment

    settings.CCTV_PRIVATE_X_ACCEL_PREFIX = "/private-files/"
    footage_request = chain["new"]()
    attachment = Attachment.objects.get(request=footage_request)
    client.force_login(chain["users"]["officer"])
    response = client.get(f"/admin/cctv/attachments/{attachment.pk}/")
    assert response["X-Accel-Redirect"] == f"/private-files/{attachment.file.name}"
    assert response.content == b""
    assert AccessLog.objects.filter(what="attachment", object_id=attachment.pk).exists()


def correction_post(footage_request, **changes):
    from wagtail.test.utils.form_data import nested_form_data

    data = {
        name: getattr(footage_request, name)
        for name in (
            "phone",
            "email",
            "address_house_no",
            "address_village",
            "address_road",
            "address_subdistrict",
            "address_district",
            "address_province",
            "address_postcode",
        )
    }
    data.update(changes)
    return nested_form_data(data)


def test_correcting_details_needs_a_reason_that_is_logged(client, chain):
    from wagtail.models import ModelLogEntry

    footage_request = chain["new"]()
    client.force_login(chain["users"]["officer"])
    url = f"{BASE}/edit/{footage_request.pk}/"
    response = client.post(url, correction_post(footage_request, phone="0899999999"))
    assert FootageRequest.objects.get(pk=footage_request.pk).phone == "0812345678"
    assert "correction_reason" in response.content.decode()
    response = client.post(
        url, correction_post(footage_request, phone="0899999999", correction_reason="ผู้ร้องโทรแจ้งเบอร์ใหม่")
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert FootageRequest.objects.get(pk=footage_request.pk).phone == "0899999999"
    entry = ModelLogEntry.objects.get(action="cctv.request.correct")
    assert entry.data == {"fields": ["phone"], "reason": "ผู้ร้องโทรแจ้งเบอร์ใหม่"}
    assert entry.user == chain["users"]["officer"]
