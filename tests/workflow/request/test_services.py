import threading

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision, WorkflowState

from tests.factories import another_organisation, first_organisation, national_id, submission
from workflow import lifecycle
from workflow.lifecycle import PublicStatus
from workflow.request.encryption import lookup_digest
from workflow.request.models import Attachment, FootageRequest, ReferenceCounter
from workflow.request.services import cancel_request_by_applicant, submit_request, take_reference_number
from workflow.request.submission import Submission


@pytest.fixture
def new_request(db, stations, request_types, privacy_page):
    return submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))


def test_submission_stores_request_with_be_year_reference(new_request):
    year_be = timezone.localdate().year + 543
    assert new_request.reference == f"CCTV-{year_be}-000001"
    assert str(new_request) == new_request.reference
    assert new_request.public_status == PublicStatus.PENDING
    assert new_request.live is False
    assert len(new_request.token) >= 32


def test_references_are_sequential_within_a_year(db, stations, request_types):
    first = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    second = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1
    assert first.token != second.token


def test_reference_numbering_restarts_each_buddhist_era_year(db):
    from datetime import date

    ours = first_organisation()
    assert take_reference_number(organisation=ours, on=date(2026, 12, 31)) == "CCTV-2569-000001"
    assert take_reference_number(organisation=ours, on=date(2026, 12, 31)) == "CCTV-2569-000002"
    assert take_reference_number(organisation=ours, on=date(2027, 1, 1)) == "CCTV-2570-000001"


def test_each_organisation_numbers_its_own_references_with_its_prefix(db):
    from datetime import date

    ours, theirs = first_organisation(), another_organisation(code="NAN")
    assert take_reference_number(organisation=ours, on=date(2026, 12, 31)) == "CCTV-2569-000001"
    assert take_reference_number(organisation=theirs, on=date(2026, 12, 31)) == "NAN-2569-000001"
    assert take_reference_number(organisation=theirs, on=date(2026, 12, 31)) == "NAN-2569-000002"
    assert take_reference_number(organisation=ours, on=date(2026, 12, 31)) == "CCTV-2569-000002"


@pytest.mark.django_db(transaction=True)
def test_concurrent_reference_numbers_are_unique():
    taken, errors = [], []
    today = timezone.localdate()
    organisation = first_organisation()

    def take():
        try:
            for _ in range(5):
                taken.append(take_reference_number(organisation=organisation, on=today))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(taken) == 20
    assert len(set(taken)) == 20
    assert ReferenceCounter.objects.get(year_be=today.year + 543).last_number == 20


def test_national_id_is_encrypted_and_findable_by_keyed_hash(new_request):
    stored = FootageRequest.objects.values("national_id_encrypted", "national_id_digest").get(pk=new_request.pk)
    assert national_id() not in stored["national_id_encrypted"]
    assert stored["national_id_digest"] == lookup_digest(national_id())
    assert FootageRequest.objects.get(pk=new_request.pk).national_id == national_id()


def test_revision_json_holds_no_plain_national_id(new_request):
    revision = Revision.objects.get(pk=new_request.latest_revision_id)
    assert national_id() not in str(revision.content)
    assert revision.user is None


def test_submission_is_logged_and_starts_the_workflow(db, stations, request_types, privacy_page):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    workflow = Workflow.objects.create(name="view")
    WorkflowTask.objects.create(workflow=workflow, task=GroupApprovalTask.objects.create(name="officer"), sort_order=0)
    request_types["view"].workflow = workflow
    request_types["view"].save()
    created = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    actions = list(ModelLogEntry.objects.filter(object_id=str(created.pk)).values_list("action", "label"))
    assert ("cctv.request.submit", created.reference) in actions
    assert ("wagtail.workflow.start", created.reference) in actions
    state = WorkflowState.objects.get(object_id=str(created.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "officer"


def test_attachments_and_signature_are_stored_privately_under_random_names(new_request):
    attachment = Attachment.objects.get(request=new_request)
    assert attachment.file.name.startswith("attachments/")
    assert "photo" not in attachment.file.name
    assert new_request.signature.name.startswith("signatures/")
    assert attachment.file.storage.base_url is None
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - private storage has no URL


def test_accepted_privacy_policy_revision_is_recorded(db, stations, request_types, privacy_page):
    data = submission(station=stations[0], request_type=request_types["view"])
    data = Submission(**{**data.__dict__, "privacy_policy_revision_id": privacy_page.live_revision_id})
    created = submit_request(submission=data)
    assert created.privacy_policy_revision_id == privacy_page.live_revision_id
    assert created.consented_at is not None


def test_applicant_can_cancel_while_pending(new_request):
    cancelled = cancel_request_by_applicant(footage_request=new_request)
    assert cancelled.public_status == PublicStatus.CANCELLED
    assert ModelLogEntry.objects.filter(
        object_id=str(new_request.pk), action="cctv.request.cancel_by_applicant"
    ).exists()


def test_applicant_cannot_cancel_once_received(new_request):
    FootageRequest.objects.filter(pk=new_request.pk).update(public_status=PublicStatus.RECEIVED)
    with pytest.raises(lifecycle.TransitionNotAllowed):
        cancel_request_by_applicant(footage_request=new_request)
    assert FootageRequest.objects.get(pk=new_request.pk).public_status == PublicStatus.RECEIVED


def test_publishing_a_revision_keeps_the_event_fields(new_request):
    FootageRequest.objects.filter(pk=new_request.pk).update(public_status=PublicStatus.APPROVED)
    current = FootageRequest.objects.get(pk=new_request.pk)
    restored = current.with_content_json(Revision.objects.get(pk=new_request.latest_revision_id).content)
    assert restored.public_status == PublicStatus.APPROVED
    assert restored.reference == new_request.reference


def test_every_applicant_field_is_stored_on_the_request(db, stations, request_types):
    from workflow.request.submission import APPLICANT_FIELDS

    data = submission(station=stations[0], request_type=request_types["view"])
    stored = FootageRequest.objects.get(pk=submit_request(submission=data).pk)
    assert {name: getattr(stored, name) for name in APPLICANT_FIELDS} == {
        name: getattr(data.applicant, name) for name in APPLICANT_FIELDS
    }


def test_a_camera_of_another_station_is_refused_and_nothing_is_stored(db, stations, request_types):
    from django.core.exceptions import ValidationError

    other_camera = stations[1].cameras.first()
    data = submission(station=stations[0], request_type=request_types["view"], camera_ids=[other_camera.pk])
    with pytest.raises(ValidationError) as refused:
        submit_request(submission=data)
    assert "cameras" in refused.value.message_dict
    assert not FootageRequest.objects.exists()
    assert not ReferenceCounter.objects.exists()
