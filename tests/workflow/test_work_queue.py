from datetime import timedelta

from django.utils import timezone
from wagtail.models import TaskState

from workflow import services
from workflow.constants import DecisionAction


def test_queue_lists_what_waits_for_my_group_oldest_first(client, chain, django_assert_max_num_queries):
    first, second, third = chain["new"](), chain["new"](), chain["new"]()
    services.act_on_task(
        task_state=third.current_workflow_task_state, user=chain["users"]["officer"], action=DecisionAction.APPROVE
    )
    TaskState.objects.filter(workflow_state__object_id=str(second.pk)).update(
        started_at=timezone.now() - timedelta(days=5)
    )
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
