"""Demo content for a fresh installation: two demo municipalities (forms/organisation.py, as in production), each on
a local host name a browser opens with no change to /etc/hosts (127.0.0.1 and localhost, both served by
`make run`'s runserver), with its stations, one account per role that works for it alone and a few requests.
Idempotent: running it again changes nothing that is already there."""

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
        # The second municipality: the other loopback name on the same server.
        second_host = "127.0.0.1" if self.hostname == "localhost" else "localhost"
        password = getattr(settings, "CCTV_DEMO_PASSWORD", None)
        if not password:
            raise CommandError("Demo accounts exist only with the dev settings (CCTV_DEMO_PASSWORD).")
        with transaction.atomic():
            self.follow_address()
            first_values = {
                "name": demo.ORGANISATION,
                "name_en": demo.ORGANISATION_EN,
                "phone": demo.CONTACT_PHONE,
                "contact_unit": demo.CONTACT_UNIT,
                "approved_instructions": demo.APPROVED_INSTRUCTIONS,
            }
            second_values = {"name": demo.SECOND_ORGANISATION, "name_en": demo.SECOND_ORGANISATION_EN}
            second_values.update(phone=demo.SECOND_CONTACT_PHONE, prefix=demo.SECOND_PREFIX)
            first, second = (
                create_organisation(host=host, port=self.port, **values).organisation
                for host, values in ((self.hostname, first_values), (second_host, second_values))
            )
            self.stations(first, demo.STATIONS)
            self.stations(second, demo.SECOND_STATIONS)
            # Each demo organisation's staff work for it alone (ADR 0016); the superuser for every one.
            users = self.users(password)
            first.members.add(*users.values())
            second_users = self.users(password, suffix=demo.SECOND_STAFF_SUFFIX)
            second.members.add(*second_users.values())
        self.requests(first, users)
        self.second_requests(second)
        self.stdout.write(self.style.SUCCESS("Demo data ready: two municipalities on this one server."))
        for organisation, staff in ((first, users), (second, second_users)):
            site = f"http://{organisation.site.hostname}:{self.port}"
            self.stdout.write(f"{organisation.name_th} ({organisation.name_en})")
            self.stdout.write(f"  request form: {site}/request/   admin: {site}/admin/   log in with:")
            for role in ROLES:
                self.stdout.write(f"  {staff[role.key].username:<13} / {password}   ({role.thai})")
        self.stdout.write(f"Both: admin / {password}  (superuser, with the organisations console)")

    def follow_address(self):
        """The first demo municipality (the default site) moves to the address it is served on: messages sent by the
        worker have no request to take an address from, and use the default site's."""
        site = Site.objects.filter(is_default_site=True, root_page__in=HomePage.objects.values("pk")).first()
        if site is not None and (site.hostname, site.port) != (self.hostname, self.port):
            if Site.objects.exclude(pk=site.pk).filter(hostname=self.hostname).exists():
                raise CommandError(f"{self.hostname} is the other demo municipality's host: give another --address.")
            site.hostname, site.port = self.hostname, self.port
            site.save()

    def stations(self, organisation, rows):
        for order, (code, name_th, name_en, district) in enumerate(rows, start=1):
            station, created = Station.objects.get_or_create(
                organisation=organisation,
                code=code,
                defaults={"name_th": name_th, "name_en": name_en, "district": district, "sort_order": order},
            )
            if created:
                for number, position in enumerate(demo.CAMERA_POSITIONS, start=1):
                    Camera.objects.create(
                        station=station, code=f"C{number:02d}", name=f"กล้อง {number}", position=position
                    )

    def users(self, password, *, suffix=""):
        User = get_user_model()
        users = {}
        for role in ROLES:
            username = role.key + suffix
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.invalid", "first_name": role.thai}
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

    def requests(self, organisation, users):
        if FootageRequest.objects.filter(organisation=organisation).exists():
            return
        made = self.submit(organisation, 8)
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
            reason_id=RefusalReason.objects.filter(organisation=organisation).first().pk,
            comment="ไม่มีกล้องบริเวณที่ระบุ",
        )
        record_no_footage(
            footage_request=made[7],
            user=users["officer"],
            reason=NoFootageReason.objects.filter(organisation=organisation, active=True).first(),
        )

    def second_requests(self, organisation):
        """A few waiting requests, so the second municipality's queue and the console's counts are not empty."""
        if not FootageRequest.objects.filter(organisation=organisation).exists():
            self.submit(organisation, 3)

    def submit(self, organisation, count):
        today = timezone.localdate()
        stations = list(Station.objects.filter(organisation=organisation).order_by("sort_order"))
        types = RequestType.objects.filter(organisation=organisation)
        view, copy = types.get(kind=RequestKind.VIEW), types.get(kind=RequestKind.COPY)
        policy = PrivacyPolicyPage.objects.live().descendant_of(organisation.site.root_page).first()
        made = []
        for index, (first, last, title, national_id) in enumerate((demo.DEMO_APPLICANTS * 3)[:count]):
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
        return made

    @staticmethod
    def waiting_task(footage_request):
        return FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state

    def approve(self, footage_request, users, *, levels):
        for level in APPROVAL_LEVELS[:levels]:
            approve_step(task_state=self.waiting_task(footage_request), user=users[level])
