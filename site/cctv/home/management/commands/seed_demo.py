"""Demo content for a fresh installation: the demo organisation (forms/organisation.py, as in production), the
seed's six stations, one account per role and a few requests. Idempotent: running it again changes nothing that is
already there."""

from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from cctv.home import demo_data as demo
from cctv.home.models import HomePage, PrivacyPolicyPage
from cctv.roles import APPROVAL_LEVELS, ROLES
from cctv.stations.models import Camera, Station
from forms.organisation import create_organisation
from workflow.approval.models import RefusalReason
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
            self.follow_address()
            setup = create_organisation(
                host=self.hostname,
                port=self.port,
                name=demo.ORGANISATION,
                name_en=demo.ORGANISATION_EN,
                phone=demo.CONTACT_PHONE,
                contact_unit=demo.CONTACT_UNIT,
                approved_instructions=demo.APPROVED_INSTRUCTIONS,
            )
            self.stations()
            users = self.users(password)
            # The demo's staff work for the demo organisation (ADR 0016); the superuser for every one.
            setup.site.organisation.members.add(*users.values())
        self.requests(users)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Log in at http://{address}/admin/ with:"))
        for role in ROLES:
            self.stdout.write(f"  {role.key:<8} / {password}   ({role.thai})")
        self.stdout.write("  admin    / " + password + "  (superuser)")

    def follow_address(self):
        """The demo moves to the address it is served on: messages sent by the worker have no request to take
        an address from, and use the default site's. (create_organisation refuses another host.)"""
        site = Site.objects.filter(root_page__in=HomePage.objects.values("pk")).first()
        if site is not None and (site.hostname, site.port) != (self.hostname, self.port):
            site.hostname, site.port = self.hostname, self.port
            site.save()

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
