"""The approval steps of two municipalities share the role groups (ADR 0019): membership says whose requests an
approver decides. In the real Wagtail admin (Thai, Debian's chromium): our officer's queue and dashboard list
only our request; theirs typed by hand is not found, and a workflow action posted to it by hand changes nothing;
their officer approves theirs from their own queue, and ours stays where it was. No response is a server error."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cctv.roles import setup_roles
from forms.organisation import create_organisation
from tests import factories
from tests.browser.admin_session import EDIT, QUEUE, approve_from_the_queue
from tests.browser.conftest import shoot
from workflow.constants import RequestKind
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest, RequestType
from workflow.request.services import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEIRS = "nan.example.test"


@pytest.fixture
def two_queues(settings, chain):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", "127.0.0.1", THEIRS]
    ours = factories.first_organisation()
    for user in chain["users"].values():
        ours.members.add(user)
    our_request = chain["new"]()
    theirs = create_organisation(host=THEIRS, name="เทศบาลเมืองน่าน", prefix="NAN").organisation
    station = factories.StationFactory(code="nan-1", name_th="สถานีของน่าน", organisation=theirs)
    request_type = RequestType.objects.get(organisation=theirs, kind=RequestKind.VIEW)
    their_request = submit_request(submission=factories.submission(station=station, request_type=request_type))
    their_officer = get_user_model().objects.create_user(username="officer-of-nan")
    their_officer.groups.add(setup_roles()["officer"])
    theirs.members.add(their_officer)
    return {"ours": our_request, "theirs": their_request, "their_officer": their_officer}


def step_of(footage_request) -> tuple[str, str]:
    fresh = FootageRequest.objects.get(pk=footage_request.pk)
    return fresh.public_status, fresh.current_workflow_task_state.task.name


def test_an_approver_decides_only_their_own_organisations_requests(live_server, admin, chain, two_queues):
    ours, theirs = two_queues["ours"], two_queues["theirs"]
    assert ours.reference.startswith("CCTV-") and theirs.reference.startswith("NAN-")
    theirs_before = step_of(theirs)
    officer = admin.open_as(chain["users"]["officer"])

    officer.goto(live_server.url + QUEUE)
    expect(officer.get_by_role("link", name=ours.reference)).to_have_count(1)
    expect(officer.get_by_role("link", name=theirs.reference)).to_have_count(0)
    shoot(officer, "membership-queue-ours", full_page=True)
    officer.goto(live_server.url + "/admin/")
    assert ours.reference in officer.content() and theirs.reference not in officer.content()
    assert "เทศบาลเมืองน่าน" not in officer.content()

    # Their request typed by hand: not found; a workflow action posted to it by hand: not found, nothing changes.
    typed = officer.goto(live_server.url + EDIT.format(pk=theirs.pk))
    assert typed.status == 404 and theirs.reference not in officer.content()
    csrf = next(c["value"] for c in officer.context.cookies() if c["name"] == "csrftoken")
    posted = officer.request.post(
        live_server.url + EDIT.format(pk=theirs.pk),
        form={"action-workflow-action": "true", "workflow-action-name": "approve"},
        headers={"X-CSRFToken": csrf, "Referer": live_server.url + QUEUE},
    )
    assert posted.status == 404
    assert step_of(theirs) == theirs_before

    # Their officer approves theirs from their queue; ours is still waiting on our officer.
    theirs_officer = admin.open_as(two_queues["their_officer"])
    theirs_officer.goto(live_server.url + QUEUE)
    expect(theirs_officer.get_by_role("link", name=ours.reference)).to_have_count(0)
    approve_from_the_queue(theirs_officer, live_server.url, theirs, shots="membership-their-request")
    assert FootageRequest.objects.get(pk=theirs.pk).public_status == PublicStatus.RECEIVED
    assert step_of(ours) == (PublicStatus.PENDING, "officer")

    # And our officer approves ours as before.
    approve_from_the_queue(officer, live_server.url, ours)
    assert FootageRequest.objects.get(pk=ours.pk).public_status == PublicStatus.RECEIVED
    assert admin.server_errors() == []
