"""The office tests/browser/test_admin_thai_words.py walks: staff of every role named in Thai, requests at two steps
and in each ending, handling work on an approved request, message templates and the reference lists, with dates
spread over the last days. Built with the services staff and citizens use."""

import dataclasses
import hashlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision, Task, TaskState, Workflow, WorkflowState

from cctv.roles import APPROVAL_LEVELS, setup_roles
from tests import factories
from workflow.approval.models import RefusalReason
from workflow.approval.services import approve_step, ask_for_information, decline_request
from workflow.constants import Channel, NotificationEvent, RequestKind
from workflow.handling.copies import DeliveredCopy, Receipt
from workflow.handling.models import LegalBasis, NoFootageReason, PrivacyDecision, ServiceStep
from workflow.handling.services import (
    decide_privacy,
    issue_receipt,
    preserve_footage,
    record_copy,
    record_finding,
    record_no_footage,
    record_step,
)
from workflow.notifications.models import MessageTemplate
from workflow.request.models import FootageRequest, RequestType
from workflow.request.services import cancel_request_by_applicant, submit_request

PASSWORD = "x-password-1234"

# Staff accounts as a Thai office names them: the romanised given name and the family name's initial.
PEOPLE = {
    "officer": ("somchai.k", "สมชาย", "แก้วมณี"),
    "head": ("wilai.s", "วิไล", "ศรีสุข"),
    "deputy": ("prasert.t", "ประเสริฐ", "ทองดี"),
    "chief": ("anan.p", "อนันต์", "พรหมมา"),
    "auditor": ("kanya.r", "กัญญา", "รุ่งเรือง"),
    "administrator": ("pim.a", "พิมพ์", "อินทร์แก้ว"),
    "superuser": ("narong.w", "ณรงค์", "วงศ์ใหญ่"),
}
STEP_NAMES = {
    "officer": "เจ้าหน้าที่ศูนย์ฯ ตรวจสอบ",
    "head": "หัวหน้าศูนย์ฯ พิจารณา",
    "deputy": "ปลัดพิจารณา",
    "chief": "นายกอนุมัติ",
}


def seed_office(chain, stations, privacy_page) -> dict:
    """A working office: the chain's approvers, an auditor, an administrator and a superuser, named in Thai;
    requests waiting at two steps and in each ending; handling work on the approved one; message templates and
    the reference lists; dates spread over the last days (Wagtail shows them as "… ago")."""
    groups, users = setup_roles(), dict(chain["users"])
    accounts = get_user_model().objects
    for role in ("auditor", "administrator"):
        users[role] = accounts.create_user(username=PEOPLE[role][0])
        users[role].groups.add(groups[role])
    users["superuser"] = accounts.create_superuser(username=PEOPLE["superuser"][0])
    for role, (username, first, last) in PEOPLE.items():
        user = users[role]
        user.username, user.first_name, user.last_name = username, first, last
        user.email = f"{username}@example.go.th"
        user.set_password(PASSWORD)
        user.save()
    for level in APPROVAL_LEVELS:
        Task.objects.filter(name=level).update(name=STEP_NAMES[level])
    Workflow.objects.update(name="อนุมัติคำร้องขอดูข้อมูลภาพ")

    def new_request():
        """As the form page submits one: with the revision of the privacy policy the applicant accepted."""
        view = RequestType.objects.get(kind=RequestKind.VIEW)
        submission = factories.submission(station=stations[0], request_type=view)
        return submit_request(
            submission=dataclasses.replace(submission, privacy_policy_revision_id=privacy_page.latest_revision_id)
        )

    def fresh(footage_request):
        return FootageRequest.objects.get(pk=footage_request.pk)

    def approve(footage_request, levels):
        for level in levels:
            approve_step(task_state=fresh(footage_request).current_workflow_task_state, user=users[level])
        return fresh(footage_request)

    receive, search = (
        ServiceStep.objects.get_or_create(code=code, defaults=values)[0]
        for code, values in (
            ("receive", {"name_th": "รับคำร้องและตรวจเอกสาร", "standard_minutes": 10, "sort_order": 1}),
            ("search", {"name_th": "ค้นหาภาพจากกล้อง", "standard_minutes": 30, "per_camera": True, "sort_order": 2}),
        )
    )
    ServiceStep.objects.get_or_create(
        code="export", defaults={"name_th": "คัดลอกข้อมูลภาพ", "standard_minutes": 15, "copies_only": True}
    )
    no_footage_reason = NoFootageReason.objects.create(text_th="กล้องชำรุดในช่วงเวลาที่ขอ")
    legal_basis = LegalBasis.objects.create(text_th="พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 มาตรา 24")
    RefusalReason.objects.create(text_th="ไม่ระบุเหตุผลความจำเป็น")
    MessageTemplate.objects.create(
        event=NotificationEvent.SUBMITTED,
        channel=Channel.SMS,
        body="{organisation} ได้รับคำร้อง {reference} แล้ว ติดตามสถานะได้ที่ {status_url}",
    )
    MessageTemplate.objects.create(
        event=NotificationEvent.APPROVED,
        channel=Channel.EMAIL,
        subject="คำร้อง {reference} ได้รับอนุมัติแล้ว",
        body="คำร้องของท่านได้รับอนุมัติแล้ว โปรดติดต่อ {contact_phone}",
    )

    officer = users["officer"]
    waiting = new_request()
    at_head = approve(new_request(), ["officer"])
    more_info = new_request()
    ask_for_information(
        task_state=more_info.current_workflow_task_state, user=officer, comment="กรุณาแนบสำเนาบันทึกแจ้งความ"
    )
    declined = new_request()
    decline_request(
        task_state=declined.current_workflow_task_state,
        user=officer,
        reason_id=chain["reason"].pk,
        comment="ไม่มีกล้องบริเวณที่ระบุ",
    )
    cancel_request_by_applicant(footage_request=new_request())
    no_footage = new_request()
    record_no_footage(footage_request=no_footage, user=officer, reason=no_footage_reason, note="กล้องชำรุด")

    approved = approve(new_request(), APPROVAL_LEVELS)
    now = timezone.now()
    FootageRequest.objects.filter(pk=approved.pk).update(submitted_at=now - timedelta(days=1))
    approved, camera = fresh(approved), stations[0].cameras.first()
    preserve_footage(
        footage_request=approved,
        user=officer,
        cameras=[camera],
        clip_from=now - timedelta(days=1, hours=1),
        clip_to=now - timedelta(days=1),
        kept_at="เครื่องบันทึกภาพชุดที่ 2 แฟ้มที่ 14",
    )
    for step, cam, minutes in ((receive, None, (40, 28)), (search, camera, (25, 5))):
        record_step(
            footage_request=approved,
            user=officer,
            step=step,
            camera=cam,
            started_at=now - timedelta(minutes=minutes[0]),
            ended_at=now - timedelta(minutes=minutes[1]),
            notes="เอกสารครบถ้วน" if cam is None else "",
        )
    record_finding(
        footage_request=approved,
        user=officer,
        camera=camera,
        found_from=(now - timedelta(hours=2)).time(),
        found_to=(now - timedelta(hours=1)).time(),
        description="พบรถจักรยานยนต์ผ่านทางเข้า",
        third_parties_identifiable=True,
    )
    decide_privacy(
        footage_request=approved,
        user=users["head"],
        release=PrivacyDecision.Release.BLURRED,
        legal_basis=legal_basis,
        reasoning="มีบุคคลอื่นในภาพ ต้องเบลอใบหน้าก่อนส่งมอบ",
    )
    copy = record_copy(
        footage_request=approved,
        user=officer,
        file_name="cam1.mp4",
        duration_seconds=60,
        delivery=DeliveredCopy.Delivery.DEVICE,
        sha256=hashlib.sha256(b"footage").hexdigest(),
        size_bytes=7,
        device_note="แฟลชไดรฟ์ของผู้ยื่นคำร้อง",
    )
    issue_receipt(footage_request=approved, kind=Receipt.Kind.HANDOVER, copies=[copy], user=officer)

    ModelLogEntry.objects.update(timestamp=F("timestamp") - timedelta(minutes=25))
    Revision.objects.update(created_at=F("created_at") - timedelta(hours=3))
    TaskState.objects.update(started_at=F("started_at") - timedelta(days=1, hours=2))
    WorkflowState.objects.update(created_at=F("created_at") - timedelta(days=2))
    FootageRequest.objects.exclude(pk=approved.pk).update(
        submitted_at=F("submitted_at") - timedelta(days=2), step_started_at=F("step_started_at") - timedelta(days=4)
    )
    return {
        "waiting": waiting,
        "at_head": at_head,
        "more_info": more_info,
        "declined": declined,
        "no_footage": no_footage,
        "approved": approved,
        "national_id": factories.national_id(),
        "station": stations[0],
    }
