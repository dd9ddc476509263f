"""Demo content for a fresh installation: pages, the seed's six stations, one account per role and a few
requests. Idempotent: running it again changes nothing that is already there."""

from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site, Workflow, WorkflowTask

from cctv.home import demo_data as demo
from cctv.home.models import HomePage, PrivacyPolicyPage, ServiceSettings
from cctv.roles import APPROVAL_LEVELS, ROLES, setup_roles
from cctv.stations.models import Camera, Station
from forms.models import RequestFormPage
from workflow.approval.models import ApprovalTask, RefusalReason
from workflow.approval.services import approve_step, ask_for_information, decline_request
from workflow.constants import AttachmentKind, RequestKind, Title
from workflow.handling.models import NoFootageReason
from workflow.handling.services import record_no_footage
from workflow.request.models import FootageRequest, RequestType
from workflow.request.services import cancel_request_by_applicant, submit_request
from workflow.request.submission import Applicant, Incident, NewAttachment, SanitisedFile, Submission, sanitised_file


def demo_png(colour=(0, 0, 0)) -> SanitisedFile:
    return sanitised_file(demo.scribble_png(colour), "png", original_name="demo.png")


class Command(BaseCommand):
    help = "Load demo content and accounts (idempotent)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="host:port the demo is served on (make run's); links in messages and receipts start with it",
        )

    def handle(self, *args, address, **options):
        self.hostname, _, port = address.rpartition(":")
        self.port = int(port)
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
            home = root.add_child(instance=HomePage(**demo.HOME_PAGE))
            old_root = site.root_page if site else None
            if site is None:
                site = Site.objects.create(hostname=self.hostname, port=self.port, root_page=home, is_default_site=True)
            else:
                site.root_page = home
                site.site_name = demo.ORGANISATION
                site.save()
            if old_root and old_root.pk != home.pk and not old_root.specific_class == HomePage:
                old_root.delete()
        # Messages sent by the worker have no request to take an address from: they use the default site's.
        Site.objects.filter(root_page=home).update(hostname=self.hostname, port=self.port)
        if not PrivacyPolicyPage.objects.exists():
            policy = home.add_child(instance=PrivacyPolicyPage(**demo.PRIVACY_PAGE))
            policy.save_revision().publish()
        if not RequestFormPage.objects.exists():
            form_page = home.add_child(instance=RequestFormPage(**demo.FORM_PAGE))
            form_page.save_revision().publish()
        return home

    def settings(self, home):
        site = Site.objects.get(root_page=home)
        service = ServiceSettings.for_site(site)
        if not service.organisation_name:
            for name, value in demo.SERVICE_SETTINGS.items():
                setattr(service, name, value)
            service.save()

    def stations(self):
        for order, (code, name_th, name_en, district) in enumerate(demo.STATIONS, start=1):
            station, created = Station.objects.get_or_create(
                code=code,
                defaults={"name_th": name_th, "name_en": name_en, "district": district, "sort_order": order},
            )
            if created:
                for number, position in enumerate(demo.CAMERA_POSITIONS, start=1):
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
        for order, (th, en) in enumerate(demo.REFUSAL_REASONS):
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
        for index, (first, last, title, national_id) in enumerate((demo.DEMO_APPLICANTS * 3)[:8]):
            request_type = copy if index % 2 else view
            submission = Submission(
                applicant=Applicant(
                    **demo.SHARED_APPLICANT_DETAILS,
                    title=Title(title),
                    first_name=first,
                    last_name=last,
                    national_id=national_id,
                    age=30 + index,
                    address_house_no=f"{10 + index}/1",
                    phone=f"08123456{index:02d}",
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
                    reason=demo.DEMO_REASON,
                ),
                signature=demo_png(),
                attachments=[NewAttachment(kind=AttachmentKind.ID_CARD, file=demo_png((40, 40, 40)))],
                privacy_policy_revision_id=policy.live_revision_id if policy else None,
            )
            made.append(submit_request(submission=submission))
        # One request in each state: pending (0, 1), received (2), more information asked (3),
        # approved (4), cancelled by the applicant (5), declined (6), no footage found (7).
        self.approve(made[2], users, levels=1)
        self.approve(made[3], users, levels=1)
        ask_for_information(
            task_state=self.waiting_task(made[3]), user=users["head"], comment="กรุณาแนบสำเนาบันทึกแจ้งความ"
        )
        self.approve(made[4], users, levels=len(APPROVAL_LEVELS))
        cancel_request_by_applicant(footage_request=made[5])
        decline_request(
            task_state=self.waiting_task(made[6]),
            user=users["officer"],
            reason_id=RefusalReason.objects.first().pk,
            comment="ไม่มีกล้องบริเวณที่ระบุ",
        )
        record_no_footage(
            footage_request=made[7], user=users["officer"], reason=NoFootageReason.objects.filter(active=True).first()
        )

    @staticmethod
    def waiting_task(footage_request):
        return FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state

    def approve(self, footage_request, users, *, levels):
        for level in APPROVAL_LEVELS[:levels]:
            approve_step(task_state=self.waiting_task(footage_request), user=users[level])
