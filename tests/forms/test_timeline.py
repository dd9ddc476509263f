"""The request's public history (workflow/request/timeline.py), what the status page lists under ประวัติ, and the
answers to "more information" on the staff request view."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cctv.thai.dates import THAI_MONTHS
from tests.factories import handed_over_copy, sanitised_png
from workflow.approval.services import approve_step, ask_for_information
from workflow.constants import AttachmentKind
from workflow.handling.services import choose_appointment, offer_appointment
from workflow.lifecycle import Event, History
from workflow.request.models import FootageRequest
from workflow.request.services import cancel_request_by_applicant, resubmit_request
from workflow.request.submission import NewAttachment
from workflow.request.timeline import exchanges, public_timeline

H = History
LEVELS = ("officer", "head", "deputy", "chief")
STAFF_NAMES = {
    "officer": ("สมชาย", "ตรวจงาน"),
    "head": ("วิไล", "หัวหน้าศูนย์"),
    "deputy": ("ประเสริฐ", "ปลัดดี"),
    "chief": ("มานพ", "นายกดี"),
}
MAX_QUERIES = 4  # decisions, audit log, the answers' documents, the appointments


@pytest.fixture
def named_chain(chain):
    for level, (first, last) in STAFF_NAMES.items():
        user = chain["users"][level]
        user.first_name, user.last_name = first, last
        user.save()
    return chain


def fresh(footage_request) -> FootageRequest:
    return FootageRequest.objects.for_status_page().get(pk=footage_request.pk)


def _ask(footage_request, user, question):
    ask_for_information(task_state=fresh(footage_request).current_workflow_task_state, user=user, comment=question)


def _answer(footage_request, note, documents=0):
    return resubmit_request(
        footage_request=fresh(footage_request),
        note=note,
        attachments=[NewAttachment(kind=AttachmentKind.OTHER, file=sanitised_png()) for _ in range(documents)],
    )


def _approve(footage_request, user):
    approve_step(task_state=fresh(footage_request).current_workflow_task_state, user=user)


def full_history(chain, *, copies=5, offers=3):
    """A request through two rounds of questions, four approvals, three times offered and one chosen, copies."""
    users = chain["users"]
    footage_request = chain["new"]()
    _ask(footage_request, users["officer"], "กรุณาแนบสำเนาบันทึกแจ้งความ")
    _answer(footage_request, "แนบบันทึกแจ้งความแล้ว", documents=2)
    _approve(footage_request, users["officer"])
    _ask(footage_request, users["head"], "ระบุเวลาที่เกิดเหตุให้ชัดเจน")
    _answer(footage_request, "ประมาณ 10.30 น.")
    for level in ("head", "deputy", "chief"):
        _approve(footage_request, users[level])
    soon = timezone.now() + timedelta(days=2)
    offers = [
        offer_appointment(
            footage_request=fresh(footage_request),
            user=users["officer"],
            starts_at=soon + timedelta(hours=h),
            place="ศูนย์ CCTV",
        )
        for h in range(1, offers + 1)
    ]
    choose_appointment(footage_request=fresh(footage_request), appointment_id=offers[1].pk)
    for number in range(copies):
        handed_over_copy(
            footage_request=fresh(footage_request),
            user=users["officer"],
            content=b"x" * (number + 1),
            file_name=f"cam{number}.mp4",
        )
    return fresh(footage_request)


EXPECTED = [
    H.SUBMITTED,
    H.RECEIVED,
    H.MORE_INFO_REQUESTED,
    H.RESUBMITTED,
    H.STEP_PASSED,
    H.MORE_INFO_REQUESTED,
    H.RESUBMITTED,
    H.STEP_PASSED,
    H.STEP_PASSED,
    H.STEP_PASSED,
    H.APPROVED,
    H.APPOINTMENT_OFFERED,
    H.APPOINTMENT_OFFERED,
    H.APPOINTMENT_OFFERED,
    H.APPOINTMENT_CHOSEN,
    *[H.COPY_HANDED_OVER] * 5,
]


def test_every_event_appears_once_in_order(named_chain):
    footage_request = full_history(named_chain)
    entries = public_timeline(footage_request).entries
    assert [entry.kind for entry in entries] == EXPECTED
    assert len(entries) == 20
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    assert max(Counter((entry.kind, entry.at, entry.text) for entry in entries).values()) == 1
    # What was asked and what was answered, with the documents sent then.
    asked = [entry.text for entry in entries if entry.kind == H.MORE_INFO_REQUESTED]
    answered = [(entry.text, len(entry.documents)) for entry in entries if entry.kind == H.RESUBMITTED]
    assert asked == ["กรุณาแนบสำเนาบันทึกแจ้งความ", "ระบุเวลาที่เกิดเหตุให้ชัดเจน"]
    assert answered == [("แนบบันทึกแจ้งความแล้ว", 2), ("ประมาณ 10.30 น.", 0)]
    # Each step by its name; the time chosen with it.
    assert [entry.step for entry in entries if entry.kind == H.STEP_PASSED] == list(LEVELS)
    chosen = next(entry for entry in entries if entry.kind == H.APPOINTMENT_CHOSEN)
    assert chosen.appointment_at == sorted(e.appointment_at for e in entries if e.kind == H.APPOINTMENT_OFFERED)[1]
    assert public_timeline(footage_request).ended_by == Event.APPROVED


def test_the_history_names_no_staff(client, named_chain):
    footage_request = full_history(named_chain, copies=1)
    entries = public_timeline(footage_request).entries
    text = " ".join(f"{entry.label} {entry.step} {entry.text} {entry.place}" for entry in entries)
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    for first, last in STAFF_NAMES.values():
        assert first not in text and last not in text
        assert first not in page and last not in page


def test_the_status_page_lists_the_history_with_buddhist_era_dates_and_times(client, named_chain):
    footage_request = full_history(named_chain, copies=1)
    entries = public_timeline(footage_request).entries
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    history = page[page.index("data-timeline") :]
    assert history.count("data-history=") == len(entries)
    for entry in entries:
        at = timezone.localtime(entry.at)
        assert f"{at.day} {THAI_MONTHS[at.month - 1]} {at.year + 543} {at:%H:%M}" in history
    # The Christian-Era year only in the machine-readable datetime attributes, never in the text read.
    visible = re.sub(r'datetime="[^"]*"', "", history.split("</ol>")[0])
    assert str(timezone.localdate().year) not in visible.replace(str(timezone.localdate().year + 543), "")
    for words in (
        "เจ้าหน้าที่ขอข้อมูลเพิ่มเติม",
        "กรุณาแนบสำเนาบันทึกแจ้งความ",
        "ท่านส่งข้อมูลเพิ่มเติมแล้ว",
        "แนบบันทึกแจ้งความแล้ว",
        "แนบเอกสารเพิ่ม 2 ไฟล์",
        "ผ่านการอนุมัติขั้น: officer",
        "ท่านเลือกเวลาเข้าชมภาพแล้ว",
    ):
        assert words in history, words


def test_constant_queries_at_one_and_at_twenty_events(named_chain, django_assert_max_num_queries):
    pending = fresh(named_chain["new"]())
    with django_assert_max_num_queries(MAX_QUERIES):
        assert len(public_timeline(pending).entries) == 1
    twenty = full_history(named_chain)
    longer = full_history(named_chain, copies=12, offers=6)
    with CaptureQueriesContext(connection) as at_twenty:
        assert len(public_timeline(twenty).entries) == 20
    with CaptureQueriesContext(connection) as at_thirty:
        assert len(public_timeline(longer).entries) == 30
    assert len(at_twenty) == len(at_thirty) <= MAX_QUERIES


def test_a_pending_request_needs_no_query(named_chain, django_assert_num_queries):
    pending = fresh(named_chain["new"]())
    with django_assert_num_queries(0):
        assert [entry.kind for entry in public_timeline(pending).entries] == [H.SUBMITTED]


def test_who_ended_the_request(named_chain):
    mine = named_chain["new"]()
    cancel_request_by_applicant(footage_request=mine)
    timeline = public_timeline(fresh(mine))
    assert [entry.kind for entry in timeline.entries] == [H.SUBMITTED, H.CANCELLED_BY_CITIZEN]
    assert timeline.ended_by == Event.CANCELLED_BY_CITIZEN


def test_exchanges_pair_each_question_with_its_answer_and_documents(named_chain):
    users = named_chain["users"]
    footage_request = named_chain["new"]()
    _ask(footage_request, users["officer"], "แนบบันทึกแจ้งความ")
    _answer(footage_request, "แนบแล้ว", documents=1)
    _approve(footage_request, users["officer"])
    _ask(footage_request, users["head"], "แนบรูปถ่ายเพิ่ม")
    stored = FootageRequest.objects.prefetch_related("decisions", "attachments").get(pk=footage_request.pk)
    first, second = exchanges(
        footage_request=stored, decisions=stored.decisions.all(), attachments=stored.attachments.all()
    )
    assert (first.step, first.question, first.answer.note, len(first.documents)) == (
        "officer",
        "แนบบันทึกแจ้งความ",
        "แนบแล้ว",
        1,
    )
    assert first.documents[0].kind == AttachmentKind.OTHER
    assert (second.step, second.question, second.answer, second.documents) == ("head", "แนบรูปถ่ายเพิ่ม", None, ())


def test_the_staff_request_view_shows_the_answer_next_to_the_question(client, named_chain):
    users = named_chain["users"]
    footage_request = named_chain["new"]()
    _ask(footage_request, users["officer"], "กรุณาแนบสำเนาบันทึกแจ้งความ")
    _answer(footage_request, "แนบบันทึกแจ้งความแล้วครับ", documents=1)
    added = fresh(footage_request).attachments.order_by("-pk").first()
    first_document = fresh(footage_request).attachments.order_by("pk").first()
    client.force_login(users["officer"])
    response = client.get(f"/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    exchange = page[page.index("data-exchange") :]
    exchange = exchange[: exchange.index("</div>")]
    assert "กรุณาแนบสำเนาบันทึกแจ้งความ" in exchange and "แนบบันทึกแจ้งความแล้วครับ" in exchange
    documents = exchange.split("data-answer-documents")[1]
    assert f"/admin/cctv/attachments/{added.pk}/" in documents
    assert f"/admin/cctv/attachments/{first_document.pk}/" not in documents  # the submission's ID card
