"""Erasure and retention leave the person's data nowhere: not in the audit log's comments (ours and Wagtail's
workflow entries), task states or revisions, not in a staged copy of an upload, not in the cached status page."""

import io
import json
import re
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision, TaskState

from tests.factories import altcha_solution, national_id
from tests.forms.test_form_page import id_card_file, valid_post
from workflow import log_actions
from workflow.approval.services import ask_for_information, decline_request
from workflow.privacy import retention
from workflow.privacy.data_subject import erase_person
from workflow.request.models import FootageRequest
from workflow.request.services import resubmit_request

NAME, SURNAME, PHONE = "สมศักดิ์", "ใจดี", "0812345678"


def personal_comment() -> str:
    return f"คุณ{NAME} {SURNAME} โทร 081-234-5678 ({PHONE}) บัตร {national_id()} ขอสำเนาบันทึกแจ้งความ"


def worked_on(chain) -> FootageRequest:
    """A request with staff comments naming the applicant: a request for information, the answer, a correction
    and a decline (Wagtail logs the first and the last as workflow entries, with the comment in their data)."""
    footage_request = chain["new"]()
    officer = chain["users"]["officer"]
    ask_for_information(
        task_state=footage_request.current_workflow_task_state, user=officer, comment=personal_comment()
    )
    resubmit_request(footage_request=FootageRequest.objects.get(pk=footage_request.pk), note="ส่งแล้ว", attachments=[])
    footage_request = FootageRequest.objects.get(pk=footage_request.pk)
    log(
        instance=footage_request,
        action=log_actions.CORRECTED,
        user=officer,
        data={"fields": ["phone"], "reason": f"{NAME} แจ้งเบอร์ใหม่ {PHONE}"},
    )
    decline_request(
        task_state=footage_request.current_workflow_task_state,
        user=officer,
        reason_id=chain["reason"].pk,
        comment=personal_comment(),
    )
    return FootageRequest.objects.get(pk=footage_request.pk)


def what_remains(footage_request) -> str:
    content_type = ContentType.objects.get_for_model(FootageRequest)
    object_id = str(footage_request.pk)
    entries = ModelLogEntry.objects.filter(content_type=content_type, object_id=object_id)
    rows = [
        *entries.values("label", "data"),
        *TaskState.objects.filter(workflow_state__object_id=object_id).values("comment"),
        *Revision.objects.filter(base_content_type=content_type, object_id=object_id).values("content"),
    ]
    return json.dumps(rows, ensure_ascii=False, default=str)


def assert_no_personal_data(text: str) -> None:
    for value in (NAME, SURNAME, PHONE, "081-234-5678", national_id()):
        assert value not in text, value


def test_erase_person_scrubs_comments_from_log_entries_and_keeps_the_audit_trail(
    chain, django_capture_on_commit_callbacks
):
    footage_request = worked_on(chain)
    before = what_remains(footage_request)
    assert NAME in before and PHONE in before  # the comments were there: in our entries and in Wagtail's
    rejections = ModelLogEntry.objects.filter(action="wagtail.workflow.reject")
    assert any(NAME in entry.data.get("comment", "") for entry in rejections)  # Wagtail's own entry

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(national_id=national_id(), user=chain["users"]["head"], reason=f"ลบตามคำขอของ{NAME} {SURNAME}")

    after = what_remains(footage_request)
    assert_no_personal_data(after)
    # The trail stays: who did what at which step, and the erasure with its reason.
    actions = set(ModelLogEntry.objects.filter(object_id=str(footage_request.pk)).values_list("action", flat=True))
    assert {"wagtail.workflow.reject", log_actions.DECLINED, log_actions.CORRECTED, log_actions.ERASED} <= actions
    reject = ModelLogEntry.objects.filter(action="wagtail.workflow.reject").first()
    assert reject.data["workflow"]["task"]["title"] and "comment" not in reject.data
    assert reject.label == footage_request.reference
    erased = ModelLogEntry.objects.get(action=log_actions.ERASED)
    assert erased.data["reason"].startswith("ลบตามคำขอของ") and erased.user == chain["users"]["head"]


def test_retention_scrubs_the_same_comments(chain, django_capture_on_commit_callbacks):
    footage_request = worked_on(chain)
    FootageRequest.objects.filter(pk=footage_request.pk).update(status_changed_at=timezone.now() - timedelta(days=4000))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired_requests", stdout=io.StringIO())
    assert not FootageRequest.objects.filter(pk=footage_request.pk).exists()
    assert_no_personal_data(what_remains(footage_request))


def test_scrub_log_data_keeps_names_of_things_and_drops_typed_text():
    data = {
        "workflow": {"id": 1, "title": "ขอดูข้อมูลภาพ", "task": {"id": 2, "title": "officer"}, "next": None},
        "comment": "ข้อความ",
        "fields": ["phone"],
        "reason": 3,
        "note": "ข้อความ",
        "comment_thread": {"text": "ข้อความ", "contentpath": "reason"},
        "cameras": ["C01"],
    }
    assert retention.scrub_log_data(data) == {
        "workflow": {"id": 1, "title": "ขอดูข้อมูลภาพ", "task": {"id": 2, "title": "officer"}, "next": None},
        "fields": ["phone"],
        "reason": 3,
        "comment_thread": {},
        "cameras": ["C01"],
    }


def test_erasure_deletes_the_cached_status_page(client, chain, django_capture_on_commit_callbacks):
    footage_request = chain["new"]()
    decline_request(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        reason_id=chain["reason"].pk,
        comment=personal_comment(),
    )
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert NAME in page  # the staff message, shown to the applicant
    key = f"cctv:page:status:{footage_request.token}:th"
    assert NAME in cache.get(key)[1].decode()
    assert cache.get(f"cctv:public-state:{footage_request.token}") is not None

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(national_id=national_id(), user=chain["users"]["head"], reason="คำขอลบข้อมูล")

    assert cache.get(key) is None
    assert cache.get(f"cctv:page:status:{footage_request.token}:en") is None
    assert cache.get(f"cctv:public-state:{footage_request.token}") is None
    assert client.get(f"/status/{footage_request.token}/").status_code == 404


def staged_files() -> list[str]:
    try:
        return storages["private"].listdir("staging")[1]
    except FileNotFoundError:
        return []


def test_a_staged_copy_replaced_by_a_new_upload_does_not_outlive_the_submission(
    client, form_page, stations, request_types, chain, django_capture_on_commit_callbacks
):
    data = valid_post(stations, request_types, phone="12")
    first = client.post(form_page.url, {**data, "id_card": id_card_file("first.png")}).content.decode()
    kept = re.search(r'name="id_card_kept" value="([^"]+)"', first).group(1)
    assert len(staged_files()) == 1  # the earlier attempt's ID-card copy

    # The citizen chooses another photo of the card instead of the kept one, and the submission goes through.
    data.update(phone=PHONE, id_card_kept=kept, altcha=altcha_solution())
    assert client.post(form_page.url, {**data, "id_card": id_card_file("second.png")}).status_code == 302
    assert staged_files() == []

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(national_id=national_id(), user=chain["users"]["head"], reason="คำขอลบข้อมูล")
    assert staged_files() == []
    assert not FootageRequest.objects.exists()


def test_a_kept_copy_replaced_in_a_second_failed_attempt_is_discarded_at_once(
    client, form_page, stations, request_types
):
    data = valid_post(stations, request_types, phone="12")
    first = client.post(form_page.url, {**data, "id_card": id_card_file("first.png")}).content.decode()
    kept = re.search(r'name="id_card_kept" value="([^"]+)"', first).group(1)
    data.update(id_card_kept=kept, altcha=altcha_solution())
    client.post(form_page.url, {**data, "id_card": id_card_file("second.png")})
    assert len(staged_files()) == 1  # only the copy the page now carries
