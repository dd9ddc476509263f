import json

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from cctv.roles import setup_roles
from tests.factories import national_id
from workflow.privacy.models import AccessLog, RequestStatistic
from workflow.request.models import FootageRequest
from workflow.request.services import cancel_request_by_applicant

URL = "/admin/cctv/data-subject/"


@pytest.fixture
def head(chain):
    return chain["users"]["head"]


def test_head_exports_everything_about_a_person(client, chain, head):
    first, second = chain["new"](), chain["new"]()
    client.force_login(head)
    found = client.post(URL, {"national_id": national_id(), "action": "find"}).content.decode()
    assert first.reference in found and second.reference in found
    response = client.post(URL, {"national_id": national_id(), "action": "export"})
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert {r["reference"] for r in data["requests"]} == {first.reference, second.reference}
    assert data["requests"][0]["national_id"] == national_id()
    assert data["requests"][0]["first_name"] == "สมศักดิ์"
    assert AccessLog.objects.filter(user=head).count() == 2
    assert ModelLogEntry.objects.filter(action="cctv.request.export").count() == 2


def confirmation_of(response) -> dict:
    """The confirmation page's form, as its "erase" button posts it."""
    assert response.status_code == 200
    assert "workflow/data_subject_confirm.html" in {t.name for t in response.templates}
    form = response.context["form"]
    return {**{name: form[name].value() for name in form.fields}, "action": "erase_confirmed"}


def test_erasure_needs_a_reason_and_removes_everything_once_confirmed(client, chain, head):
    footage_request = chain["new"]()
    client.force_login(head)
    response = client.post(URL, {"national_id": national_id(), "action": "erase", "reason": ""})
    assert FootageRequest.objects.filter(pk=footage_request.pk).exists()
    assert "กรุณาระบุเหตุผลในการลบ" in response.content.decode()
    response = client.post(URL, {"national_id": national_id(), "action": "erase", "reason": "คำขอลบข้อมูลตามมาตรา 33"})
    assert FootageRequest.objects.filter(pk=footage_request.pk).exists()  # only shown what would go
    client.post(URL, confirmation_of(response))
    assert not FootageRequest.objects.exists()
    assert RequestStatistic.objects.get().count == 1
    entry = ModelLogEntry.objects.get(action="cctv.request.erase")
    assert entry.label == footage_request.reference and entry.user == head


def test_the_confirmation_lists_what_goes_and_warns_of_requests_in_progress(client, chain, head):
    in_progress, cancelled = chain["new"](), chain["new"]()
    cancel_request_by_applicant(footage_request=cancelled)
    client.force_login(head)
    response = client.post(URL, {"national_id": national_id(), "action": "erase", "reason": "คำขอลบข้อมูล"})
    html = response.content.decode()
    assert confirmation_of(response)
    assert in_progress.reference in html and cancelled.reference in html
    assert "ยืนยันการลบข้อมูลของบุคคลนี้" in html
    assert "สำเนาบัตรประชาชน" in html  # what is erased is spelled out
    warning = html[html.index("data-erasure-in-progress") :]
    warning = warning[: warning.index("</div>", warning.index("</ul>"))]
    assert "ยังอยู่ระหว่างดำเนินการ" in warning
    assert in_progress.reference in warning and cancelled.reference not in warning
    assert not ModelLogEntry.objects.filter(action="cctv.request.erase").exists()
    assert FootageRequest.objects.count() == 2


def test_ended_requests_get_no_warning(client, chain, head):
    cancel_request_by_applicant(footage_request=chain["new"]())
    client.force_login(head)
    response = client.post(URL, {"national_id": national_id(), "action": "erase", "reason": "คำขอลบข้อมูล"})
    assert "data-erasure-in-progress" not in response.content.decode()


def test_going_back_erases_nothing_and_keeps_what_was_typed(client, chain, head):
    footage_request = chain["new"]()
    client.force_login(head)
    response = client.post(URL, {"national_id": national_id(), "action": "erase", "reason": "คำขอลบข้อมูล"})
    back = client.post(URL, {**confirmation_of(response), "action": "find"})
    html = back.content.decode()
    assert "workflow/data_subject.html" in {t.name for t in back.templates}
    assert footage_request.reference in html and "คำขอลบข้อมูล" in html
    assert FootageRequest.objects.filter(pk=footage_request.pk).exists()


def test_a_request_added_after_the_confirmation_was_shown_stops_the_erasure(client, chain, head):
    first = chain["new"]()
    client.force_login(head)
    response = client.post(URL, {"national_id": national_id(), "action": "erase", "reason": "คำขอลบข้อมูล"})
    later = chain["new"]()
    again = client.post(URL, confirmation_of(response))
    assert FootageRequest.objects.filter(pk__in=[first.pk, later.pk]).count() == 2
    html = again.content.decode()
    assert first.reference in html and later.reference in html  # shown again, with the new one
    client.post(URL, confirmation_of(again))
    assert not FootageRequest.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", "WzEsMiwzXQ:1abc:forged"])
def test_a_missing_or_forged_confirmation_erases_nothing(client, chain, head, token):
    chain["new"]()
    client.force_login(head)
    response = client.post(
        URL, {"national_id": national_id(), "reason": "คำขอลบข้อมูล", "confirmation": token, "action": "erase_confirmed"}
    )
    assert response.status_code == 302
    assert FootageRequest.objects.count() == 1


def test_an_old_confirmation_erases_nothing(client, chain, head, monkeypatch):
    from workflow.privacy import forms

    chain["new"]()
    client.force_login(head)
    data = confirmation_of(client.post(URL, {"national_id": national_id(), "action": "erase", "reason": "คำขอลบข้อมูล"}))
    monkeypatch.setattr(forms, "CONFIRMATION_MAX_AGE", -1)
    client.post(URL, data)
    assert FootageRequest.objects.count() == 1


def test_other_staff_cannot_use_it(client, chain):
    chain["new"]()
    client.force_login(chain["users"]["officer"])
    response = client.post(URL, {"national_id": national_id(), "action": "export"})
    assert response.status_code in (302, 403)
    assert not response.get("Content-Type", "").startswith("application/json")
    auditor = get_user_model().objects.create_user(username="auditor-x", password="x" * 16)
    auditor.groups.add(setup_roles()["auditor"])
    client.force_login(auditor)
    assert client.post(URL, {"national_id": national_id(), "action": "erase", "reason": "x"}).status_code in (302, 403)
    erase = {"national_id": national_id(), "reason": "x", "confirmation": "x", "action": "erase_confirmed"}
    assert client.post(URL, erase).status_code in (302, 403)
    assert FootageRequest.objects.count() == 1


def test_export_holds_every_applicant_field(client, chain, head):
    from workflow.request.submission import APPLICANT_FIELDS

    footage_request = FootageRequest.objects.get(pk=chain["new"]().pk)
    client.force_login(head)
    response = client.post(URL, {"national_id": national_id(), "action": "export"})
    (record,) = json.loads(response.content)["requests"]
    assert {name: record[name] for name in APPLICANT_FIELDS} == {
        name: getattr(footage_request, name) for name in APPLICANT_FIELDS
    }
