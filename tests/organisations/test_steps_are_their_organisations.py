"""An approval step is its organisation's: the step's group decides it only as staff of that organisation, and
nothing of Wagtail's that asks the step who may act on it (the actions, the dashboard's "awaiting your review",
the editor lock) lets an officer of one municipality near another's requests (ADR 0016, ADR 0019)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowTask

from cctv.roles import APPROVAL_LEVELS, setup_roles
from tests.factories import RequestTypeFactory, StationFactory, another_organisation, first_organisation, submission
from workflow.approval.models import ApprovalTask
from workflow.approval.services import ActionRefused, check_step
from workflow.constants import RequestKind
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

THEIRS = "nan.example.test"


def chain_of(organisation, groups, label):
    workflow = Workflow.objects.create(name=f"ขอดูข้อมูลภาพ ({label})")
    for order, level in enumerate(APPROVAL_LEVELS):
        task = ApprovalTask.objects.create(name=f"{level} {label}", organisation=organisation)
        task.groups.set([groups[level]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def officer_of(organisation, groups):
    user = get_user_model().objects.create_user(username=f"officer-{organisation.code}", password="x" * 16)
    user.groups.add(groups["officer"])
    organisation.members.add(user)
    return user


@pytest.fixture
def two(settings, home_page, stations, request_types):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", THEIRS]
    groups = setup_roles()
    ours, theirs = first_organisation(), another_organisation(code="NAN", host=THEIRS)
    request_types["view"].workflow = chain_of(ours, groups, "ours")
    request_types["view"].save()
    their_type = RequestTypeFactory(
        kind=RequestKind.VIEW, name_th="ขอดูภาพของน่าน", organisation=theirs, workflow=chain_of(theirs, groups, "nan")
    )
    their_station = StationFactory(code="nan", name_th="สถานีของน่าน", organisation=theirs)
    return {
        "ours": submit_request(submission=submission(station=stations[0], request_type=request_types["view"])),
        "theirs": submit_request(submission=submission(station=their_station, request_type=their_type)),
        "our_officer": officer_of(ours, groups),
        "their_officer": officer_of(theirs, groups),
    }


def waiting(footage_request) -> TaskState:
    return FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state


def test_the_step_of_another_organisation_is_not_the_officers_to_decide(two):
    state = waiting(two["theirs"])
    task = state.task.specific
    ours = two["our_officer"]
    assert task.get_actions(two["theirs"], ours) == []
    assert task.locked_for_user(two["theirs"], ours)
    assert not task.get_task_states_user_can_moderate(ours).exists()
    with pytest.raises(ActionRefused):
        check_step(state, ours)


def test_the_officer_of_the_organisation_decides_its_step(two):
    state = waiting(two["theirs"])
    theirs = two["their_officer"]
    assert state.task.specific.get_actions(two["theirs"], theirs)
    check_step(state, theirs)
    assert not waiting(two["ours"]).task.specific.get_actions(two["ours"], theirs)


def test_the_dashboard_awaiting_review_shows_only_the_officers_own_organisation(client, two):
    client.defaults["HTTP_HOST"] = "localhost"
    client.force_login(two["our_officer"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    page = response.content.decode()
    reviewable = {state.workflow_state.object_id for state in TaskState.objects.reviewable_by(two["our_officer"])}
    assert reviewable == {str(two["ours"].pk)}
    assert two["theirs"].reference not in page


def test_posting_an_action_on_the_other_organisations_step_changes_nothing(client, two):
    client.defaults["HTTP_HOST"] = "localhost"
    client.force_login(two["our_officer"])
    state = waiting(two["theirs"])
    url = reverse(
        "wagtailsnippets_cctv_workflow_footagerequest:workflow_action", args=[two["theirs"].pk, "approve", state.pk]
    )
    response = client.post(url, {})
    assert response.status_code in (403, 404)
    assert waiting(two["theirs"]).pk == state.pk
