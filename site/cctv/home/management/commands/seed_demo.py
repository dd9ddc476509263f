"""Demo content for a fresh installation: pages, the seed's six stations, one account per role and a few
requests. Idempotent: running it again changes nothing that is already there."""

import io
from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.models import Page, Site, Workflow, WorkflowTask

from cctv.home.models import HomePage, PrivacyPolicyPage, ServiceSettings
from cctv.roles import APPROVAL_LEVELS, ROLES, setup_roles
from cctv.stations.models import Camera, Station
from forms.models import RequestFormPage
from workflow.approval.models import ApprovalTask, RefusalReason
from workflow.approval.services import act_on_task
from workflow.constants import AttachmentKind, DecisionAction, RequestKind, Title
from workflow.request.models import FootageRequest, RequestType
from workflow.request.services import cancel_request_by_applicant, submit_request
from workflow.request.submission import Applicant, Incident, NewAttachment, SanitisedFile, Submission, sanitised_file

ORGANISATION = "องค์การบริหารส่วนจังหวัดลำปาง"

STATIONS = [
    ("pao-office", "บริเวณพื้นที่ภายในสำนักงานองค์การบริหารส่วนจังหวัดลำปาง", "Lampang PAO office grounds", "อ.เกาะคา"),
    ("naresuan-monument", "บริเวณอนุสาวรีย์สมเด็จพระนเรศวรมหาราช", "King Naresuan Monument", "อ.เกาะคา"),
    ("nong-krathing-park", "บริเวณสวนสาธารณะหนองกระทิง", "Nong Krathing Public Park", "อ.เมือง"),
    ("kaew-school", "โรงเรียนอแก้ววิทยา", "Kaew Witthaya School", "อ.ห้างฉัตร"),
    ("waste-centre", "ศูนย์กำจัดขยะมูลฝอยรวมแบบครบวงจร อบจ.ลำปาง", "Integrated Waste Disposal Centre", "อ.เมือง"),
    (
        "elderly-centre",
        "ศูนย์พัฒนาคุณภาพชีวิตและส่งเสริมอาชีพผู้สูงอายุ อบจ.ลำปาง",
        "Elderly Quality of Life and Career Centre",
        "อ.เมือง",
    ),
]
CAMERA_POSITIONS = ["ทางเข้าหลัก", "ลานจอดรถ", "ทางเดินด้านหลัง"]

PRIVACY_SUMMARY = (
    f"{ORGANISATION} ขอแจ้งให้ท่านทราบว่า ข้อมูลส่วนบุคคลที่ท่านส่งมาในระบบนี้ (ชื่อ-สกุล, เลขบัตรประชาชน, อายุ, "
    "เชื้อชาติ, สัญชาติ, ที่อยู่, เบอร์โทรศัพท์, ลายมือชื่อดิจิทัล, เอกสารแนบ) จะถูกเก็บรวบรวมและใช้เพื่อ\n"
    "1. ดำเนินการพิจารณาและตอบสนองคำร้องขอเข้าถึงข้อมูลภาพจากกล้องวงจรปิดเท่านั้น\n"
    "2. ติดต่อประสานงานกับท่าน\n"
    "3. จัดทำรายงานและสถิติภายในองค์กร (ข้อมูลจะถูกทำให้ไม่สามารถระบุตัวตนได้)\n\n"
    "ข้อมูลจะถูกเก็บไว้เป็นระยะเวลาไม่เกิน 3 ปี นับจากวันที่คำร้องสิ้นสุดกระบวนการ หรือตามที่กฎหมายกำหนด "
    "ท่านมีสิทธิ์ขอเข้าถึง แก้ไข ลบ หรือคัดค้านการใช้ข้อมูลของท่านได้ โดยติดต่อ ฝ่ายบริหารงานทั่วไป กองช่าง "
    "โทร. 054-237600 ต่อ 5060"
)
CONSENT_LABEL = f"ข้าพเจ้าได้อ่านและยอมรับ นโยบายความเป็นส่วนตัว (PDPA) ของ{ORGANISATION} เรียบร้อยแล้ว"
APPROVED_INSTRUCTIONS = (
    "ท่านสามารถนำอุปกรณ์ที่ใช้ในการบันทึกข้อมูล มาติดต่อฝ่ายบริหารงานทั่วไป กองช่าง เพื่อทำการสำเนาภาพที่ท่านได้ร้องขอ "
    "(ทั้งนี้อาจขึ้นอยู่กับแต่ละสถานการณ์ กรุณาโทรติดต่อเจ้าหน้าที่ก่อนที่เบอร์ 054-237600 ต่อ 5060)"
)

DEMO_APPLICANTS = [
    ("สมศักดิ์", "ใจดี", Title.MR, "1101700203450"),
    ("สมหญิง", "รักสงบ", Title.MRS, "3520100456782"),
    ("อรุณี", "แสงทอง", Title.MISS, "1529900123453"),
]


def demo_png(text_colour=(0, 0, 0), size=(400, 160)) -> SanitisedFile:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 120), (120, 40), (200, 110), (300, 50), (380, 100)], fill=(*text_colour, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return sanitised_file(buffer.getvalue(), "png", original_name="demo.png")


class Command(BaseCommand):
    help = "Load demo content and accounts (idempotent)"

    def handle(self, *args, **options):
        password = getattr(settings, "CCTV_DEMO_PASSWORD", None)
        if not password:
            raise CommandError("Demo accounts exist only with the dev settings (CCTV_DEMO_PASSWORD).")
        with transaction.atomic():
            home = self.pages()
            self.settings(home)
            self.stations()
            workflows = self.groups_and_workflows()
            self.request_types(workflows)
            self.refusal_reasons()
            users = self.users(password)
        self.requests(users)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/admin/ with:"))
        for role in ROLES:
            self.stdout.write(f"  {role.key:<8} / {password}   ({role.thai})")
        self.stdout.write("  admin    / " + password + "  (superuser)")

    def pages(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(
                    title="บริการขอดูหรือขอสำเนาข้อมูลภาพจากกล้องวงจรปิด (CCTV)",
                    slug="cctv-home",
                    intro=f"<p>ยื่นคำร้องออนไลน์ถึง{ORGANISATION} ได้ตลอด 24 ชั่วโมง ไม่ต้องเดินทางมายื่นเอกสารด้วยตนเอง</p>",
                )
            )
            old_root = site.root_page if site else None
            if site is None:
                site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
            else:
                site.root_page = home
                site.site_name = ORGANISATION
                site.save()
            if old_root and old_root.pk != home.pk and not old_root.specific_class == HomePage:
                old_root.delete()
        if not PrivacyPolicyPage.objects.exists():
            policy = home.add_child(
                instance=PrivacyPolicyPage(
                    title="นโยบายความเป็นส่วนตัว (PDPA)",
                    slug="privacy",
                    summary=PRIVACY_SUMMARY,
                    body="".join(f"<p>{line}</p>" for line in PRIVACY_SUMMARY.split("\n") if line),
                    consent_label=CONSENT_LABEL,
                )
            )
            policy.save_revision().publish()
        if not RequestFormPage.objects.exists():
            form_page = home.add_child(
                instance=RequestFormPage(
                    title="คำร้องขอดูหรือขอสำเนาข้อมูลภาพจากกล้องวงจรปิด (CCTV)",
                    slug="request",
                    intro="<p>กรอกข้อมูลให้ครบถ้วน แนบเอกสาร และลงลายมือชื่อ แล้วบันทึก QR Code ไว้เพื่อตรวจสอบผลการพิจารณา</p>",
                    thank_you_text="<p>เจ้าหน้าที่จะตรวจสอบคำร้องของท่าน และอาจโทรติดต่อหากต้องการข้อมูลเพิ่มเติม</p>",
                )
            )
            form_page.save_revision().publish()
        return home

    def settings(self, home):
        site = Site.objects.get(root_page=home)
        service = ServiceSettings.for_site(site)
        if not service.organisation_name:
            service.organisation_name = ORGANISATION
            service.organisation_name_en = "Lampang Provincial Administrative Organization"
            service.contact_unit = "ฝ่ายบริหารงานทั่วไป กองช่าง"
            service.contact_phone = "054-237600 ต่อ 5060"
            service.approved_instructions = APPROVED_INSTRUCTIONS
            service.save()

    def stations(self):
        for order, (code, name_th, name_en, district) in enumerate(STATIONS, start=1):
            station, created = Station.objects.get_or_create(
                code=code,
                defaults={"name_th": name_th, "name_en": name_en, "district": district, "sort_order": order},
            )
            if created:
                for number, position in enumerate(CAMERA_POSITIONS, start=1):
                    Camera.objects.create(
                        station=station, code=f"C{number:02d}", name=f"กล้อง {number}", position=position
                    )

    def groups_and_workflows(self) -> dict[str, Workflow]:
        groups = setup_roles()
        thai = {role.key: role.thai for role in ROLES}
        tasks = []
        for level in APPROVAL_LEVELS:
            task = ApprovalTask.objects.filter(name=thai[level]).first()
            if task is None:
                task = ApprovalTask.objects.create(name=thai[level])
                task.groups.set([groups[level]])
            tasks.append(task)
        workflows = {}
        for kind, name in (
            (RequestKind.VIEW, "อนุมัติการขอดูข้อมูลภาพ"),
            (RequestKind.COPY, "อนุมัติการขอสำเนาข้อมูลภาพ"),
        ):
            workflow, created = Workflow.objects.get_or_create(name=name)
            if created:
                for order, task in enumerate(tasks):
                    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
            workflows[kind] = workflow
        return workflows

    def refusal_reasons(self):
        for order, (th, en) in enumerate(
            [
                ("ข้อมูลไม่ครบถ้วนหรือไม่ถูกต้อง", "Information incomplete or wrong"),
                ("เอกสารประกอบไม่ถูกต้อง", "Supporting documents not valid"),
                ("ไม่มีกล้องครอบคลุมบริเวณที่เกิดเหตุ", "No camera covers the place"),
                ("ภาพถูกบันทึกทับแล้ว", "Footage already overwritten"),
                ("ไม่เข้าหลักเกณฑ์การเปิดเผยข้อมูลตามกฎหมาย", "Disclosure not allowed by law"),
            ]
        ):
            RefusalReason.objects.get_or_create(text_th=th, defaults={"text_en": en, "sort_order": order})

    def request_types(self, workflows):
        for order, (kind, name_th, name_en, needs) in enumerate(
            [
                (RequestKind.VIEW, "ขอดูข้อมูลภาพ", "View footage", False),
                (RequestKind.COPY, "ขอสำเนาข้อมูลภาพ", "Copy footage", True),
            ]
        ):
            RequestType.objects.get_or_create(
                kind=kind,
                defaults={
                    "name_th": name_th,
                    "name_en": name_en,
                    "needs_file_count": needs,
                    "workflow": workflows[kind],
                    "sort_order": order,
                },
            )

    def users(self, password):
        User = get_user_model()
        users = {}
        for role in ROLES:
            user, created = User.objects.get_or_create(
                username=role.key, defaults={"email": f"{role.key}@example.invalid", "first_name": role.thai}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=role.group))
            users[role.key] = user
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.invalid"},
        )
        if created:
            admin.set_password(password)
            admin.save()
        return users

    def requests(self, users):
        if FootageRequest.objects.exists():
            return
        today = timezone.localdate()
        stations = list(Station.objects.order_by("sort_order"))
        view, copy = (
            RequestType.objects.get(kind=RequestKind.VIEW),
            RequestType.objects.get(kind=RequestKind.COPY),
        )
        policy = PrivacyPolicyPage.objects.live().first()
        made = []
        for index, (first, last, title, national_id) in enumerate((DEMO_APPLICANTS * 3)[:7]):
            request_type = copy if index % 2 else view
            submission = Submission(
                applicant=Applicant(
                    title=title,
                    title_other="",
                    first_name=first,
                    last_name=last,
                    national_id=national_id,
                    age=30 + index,
                    race="ไทย",
                    nationality="ไทย",
                    address_house_no=f"{10 + index}/1",
                    address_village="หมู่ 3",
                    address_road="",
                    address_subdistrict="ศาลา",
                    address_district="เกาะคา",
                    address_province="ลำปาง",
                    address_postcode="52130",
                    phone=f"08123456{index:02d}",
                    email="",
                ),
                incident=Incident(
                    request_type_id=request_type.pk,
                    file_count=2 if request_type.needs_file_count else None,
                    station_id=stations[index % len(stations)].pk,
                    camera_ids=[],
                    written_on=today,
                    incident_date=today - timedelta(days=index + 1),
                    incident_time=time(9 + index, 30),
                    incident_time_end=None,
                    reason="ต้องการขอข้อมูลภาพเหตุการณ์เพื่อค้นหาของที่สูญหาย",
                ),
                signature=demo_png(),
                attachments=[NewAttachment(kind=AttachmentKind.ID_CARD, file=demo_png((40, 40, 40)))],
                privacy_policy_revision_id=policy.live_revision_id if policy else None,
            )
            made.append(submit_request(submission=submission))
        # One request in each state: pending (0, 1), received (2), more information asked (3),
        # approved (4), cancelled by the applicant (5), declined (6 is made below).
        self.approve(made[2], users, levels=1)
        self.approve(made[3], users, levels=1)
        act_on_task(
            task_state=self.waiting_task(made[3]),
            user=users["head"],
            action=DecisionAction.REQUEST_INFO,
            comment="กรุณาแนบสำเนาบันทึกแจ้งความ",
        )
        self.approve(made[4], users, levels=len(APPROVAL_LEVELS))
        cancel_request_by_applicant(footage_request=made[5])
        act_on_task(
            task_state=self.waiting_task(made[6]),
            user=users["officer"],
            action=DecisionAction.DECLINE,
            reason=RefusalReason.objects.first(),
            comment="ไม่มีกล้องบริเวณที่ระบุ",
        )

    @staticmethod
    def waiting_task(footage_request):
        return FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state

    def approve(self, footage_request, users, *, levels):
        for level in APPROVAL_LEVELS[:levels]:
            act_on_task(task_state=self.waiting_task(footage_request), user=users[level], action=DecisionAction.APPROVE)
