import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision, TaskState, WorkflowState

from workflow.approval.models import Decision
from workflow.approval.services import decline_request
from workflow.lifecycle import PublicStatus
from workflow.notifications.models import Notification
from workflow.privacy import retention
from workflow.privacy.access import record_access
from workflow.privacy.models import AccessLog, RequestStatistic
from workflow.request.models import Attachment, FootageRequest
from workflow.request.services import cancel_request_by_applicant


def age(footage_request, days):
    FootageRequest.objects.filter(pk=footage_request.pk).update(status_changed_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def ended(chain):
    footage_request = chain["new"]()
    decline_request(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        reason_id=chain["reason"].pk,
        comment="ไม่มีกล้อง",
    )
    record_access(
        footage_request=footage_request, user=chain["users"]["officer"], what=AccessLog.What.PERSONAL_DATA, ip=None
    )
    return FootageRequest.objects.get(pk=footage_request.pk)


def test_expired_request_leaves_no_personal_data(ended, django_capture_on_commit_callbacks):
    age(ended, 4 * 365)
    files = [ended.signature.name, *Attachment.objects.filter(request=ended).values_list("file", flat=True)]
    storage = FootageRequest._meta.get_field("signature").storage
    assert all(storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.erase_requests(queryset=retention.expired_requests()) == 1
    object_id = str(ended.pk)
    assert not FootageRequest.objects.filter(pk=ended.pk).exists()
    assert not Revision.objects.filter(object_id=object_id, base_content_type__model="footagerequest").exists()
    assert not WorkflowState.objects.filter(object_id=object_id).exists()
    assert not TaskState.objects.filter(workflow_state__object_id=object_id).exists()
    for model in (Attachment, Decision, Notification, AccessLog):
        assert not model.objects.filter(request_id=ended.pk).exists(), model
    assert not any(storage.exists(name) for name in files)
    statistic = RequestStatistic.objects.get()
    assert (statistic.final_status, statistic.count) == (PublicStatus.CANCELLED, 1)


def test_open_and_recent_requests_are_kept(ended, chain):
    open_request = chain["new"]()
    age(open_request, 10 * 365)  # still open: never expires
    age(ended, 30)
    assert retention.erase_requests(queryset=retention.expired_requests()) == 0
    assert FootageRequest.objects.count() == 2


def test_dry_run_changes_nothing_and_says_what_would_go(ended):
    age(ended, 4 * 365)
    out = io.StringIO()
    call_command("purge_expired_requests", "--dry-run", stdout=out)
    assert "1 request(s) would be deleted" in out.getvalue()
    assert FootageRequest.objects.filter(pk=ended.pk).exists()
    call_command("purge_expired_requests", stdout=io.StringIO())
    assert not FootageRequest.objects.filter(pk=ended.pk).exists()


def test_retention_follows_the_site_setting(ended):
    from cctv.home.models import ServiceSettings

    ServiceSettings.objects.update(retention_days=10)
    age(ended, 11)
    assert list(retention.expired_requests()) == [ended]


def test_erasure_names_every_model_that_points_at_a_request():
    """Erasure deletes with plain DELETEs, so a new model pointing at requests must be added to it."""
    pointing = {relation.related_model for relation in FootageRequest._meta.related_objects}
    assert pointing == set(retention.CHILD_MODELS) | set(retention.DETACHED_MODELS)
    assert [field.name for field in FootageRequest._meta.many_to_many] == ["cameras"]


def test_statistics_add_up_over_several_erasures(chain):
    for _ in range(3):
        footage_request = chain["new"]()
        cancel_request_by_applicant(footage_request=footage_request)
        age(footage_request, 4 * 365)
        retention.erase_requests(queryset=retention.expired_requests())
    assert RequestStatistic.objects.get().count == 3
    assert not FootageRequest.objects.exists()


def test_each_organisation_keeps_its_requests_for_its_own_period(settings, ended, django_assert_num_queries):
    """Each municipality is the data controller of its requests: its own retention period, in one query."""
    from cctv.home.models import ServiceSettings
    from tests.factories import RequestTypeFactory, StationFactory, another_organisation, submission
    from workflow.constants import RequestKind
    from workflow.request.services import submit_request

    settings.ALLOWED_HOSTS = ["localhost", "testserver", "nan.example.test"]
    theirs = another_organisation(code="NAN", host="nan.example.test")
    ServiceSettings.objects.create(site=theirs.site, retention_days=365)
    their_request = submit_request(
        submission=submission(
            station=StationFactory(code="nan", organisation=theirs),
            request_type=RequestTypeFactory(kind=RequestKind.VIEW, organisation=theirs),
        )
    )
    cancel_request_by_applicant(footage_request=their_request)
    age(ended, 400)
    age(their_request, 400)
    assert retention.retention_by_organisation() == {"CCTV": 3 * 365, "NAN": 365}
    with django_assert_num_queries(3):  # the periods (two) and the requests
        expired = list(retention.expired_requests())
    assert expired == [FootageRequest.objects.get(pk=their_request.pk)]
    out = io.StringIO()
    call_command("purge_expired_requests", "--dry-run", stdout=out)
    assert "1 request(s) would be deleted (retention in days: CCTV 1095, NAN 365)" in out.getvalue()
