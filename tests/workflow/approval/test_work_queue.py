from datetime import timedelta

from django.utils import timezone
from wagtail.models import TaskState

from workflow.approval.services import approve_step, ask_for_information
from workflow.request.models import FootageRequest
from workflow.request.services import cancel_request_by_applicant, resubmit_request


def test_queue_lists_what_waits_for_my_group_oldest_first(client, chain, django_assert_max_num_queries):
    first, second, third = chain["new"](), chain["new"](), chain["new"]()
    approve_step(task_state=third.current_workflow_task_state, user=chain["users"]["officer"])
    five_days_ago = timezone.now() - timedelta(days=5)
    TaskState.objects.filter(workflow_state__object_id=str(second.pk)).update(started_at=five_days_ago)
    FootageRequest.objects.filter(pk=second.pk).update(step_started_at=five_days_ago)
    client.force_login(chain["users"]["officer"])
    client.get("/admin/cctv/queue/")
    with django_assert_max_num_queries(25):
        html = client.get("/admin/cctv/queue/").content.decode()
    assert second.reference in html and first.reference in html
    assert third.reference not in html  # it moved on to the head of the centre
    assert html.index(second.reference) < html.index(first.reference)
    assert html.count("data-overdue") == 1

    client.force_login(chain["users"]["head"])
    html = client.get("/admin/cctv/queue/").content.decode()
    assert third.reference in html and first.reference not in html


def test_queue_query_count_does_not_grow_with_requests(client, chain, django_assert_max_num_queries):
    client.force_login(chain["users"]["officer"])
    chain["new"]()
    client.get("/admin/cctv/queue/")
    for _ in range(10):
        chain["new"]()
    with django_assert_max_num_queries(25):
        response = client.get("/admin/cctv/queue/?reference=CCTV")
    assert response.status_code == 200
    assert response.content.decode().count("CCTV-") >= 11


def test_the_request_row_follows_its_workflow_step(chain):
    """The queue reads the step from the request row; every transition must keep it right."""
    officer, head = chain["users"]["officer"], chain["users"]["head"]
    footage_request = chain["new"]()

    def step():
        row = FootageRequest.objects.get(pk=footage_request.pk)
        state = row.current_workflow_task_state
        if state is not None:
            assert row.step_started_at == state.started_at
        return row.current_task.name if row.current_task else None

    assert step() == "officer"
    approve_step(task_state=footage_request.current_workflow_task_state, user=officer)
    assert step() == "head"
    ask_for_information(task_state=footage_request.current_workflow_task_state, user=head, comment="ขอเพิ่ม")
    assert step() is None, "waiting for the applicant, not for staff"
    resubmit_request(footage_request=FootageRequest.objects.get(pk=footage_request.pk), note="แนบแล้ว", attachments=[])
    assert step() == "head"
    for level in ("head", "deputy", "chief"):
        approve_step(
            task_state=FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state,
            user=chain["users"][level],
        )
    assert step() is None

    cancelled = chain["new"]()
    cancel_request_by_applicant(footage_request=cancelled)
    assert FootageRequest.objects.get(pk=cancelled.pk).current_task is None
