import json

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from cctv.roles import setup_roles
from tests.factories import national_id
from workflow.privacy.models import AccessLog, RequestStatistic
from workflow.request.models import FootageRequest

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


def test_erasure_needs_a_reason_and_removes_everything(client, chain, head):
    footage_request = chain["new"]()
    client.force_login(head)
    response = client.post(URL, {"national_id": national_id(), "action": "erase", "reason": ""})
    assert FootageRequest.objects.filter(pk=footage_request.pk).exists()
    assert "reason" in response.content.decode() or response.status_code == 200
    client.post(URL, {"national_id": national_id(), "action": "erase", "reason": "คำขอลบข้อมูลตามมาตรา 33"})
    assert not FootageRequest.objects.exists()
    assert RequestStatistic.objects.get().count == 1
    entry = ModelLogEntry.objects.get(action="cctv.request.erase")
    assert entry.label == footage_request.reference and entry.user == head


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
