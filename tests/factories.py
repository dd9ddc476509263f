import io
from datetime import time, timedelta

import altcha
import factory
from django.utils import timezone
from PIL import Image, ImageDraw

from cctv.organisations.models import Organisation
from cctv.stations.models import Camera, Station
from forms import altcha as cctv_altcha
from workflow.constants import AttachmentKind, RequestKind, Title
from workflow.request.models import RequestType
from workflow.request.submission import Applicant, Incident, NewAttachment, SanitisedFile, Submission, sanitised_file


def national_id(first_twelve: str = "110170020345") -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first_twelve))
    return first_twelve + str((11 - total % 11) % 10)


def png_bytes(size=(300, 120), draw_line=True, mode="RGBA") -> bytes:
    image = Image.new(mode, size, (255, 255, 255, 0) if mode == "RGBA" else "white")
    if draw_line:
        ImageDraw.Draw(image).line([(10, 100), (150, 20), (290, 90)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sanitised_png(**kwargs) -> SanitisedFile:
    return sanitised_file(png_bytes(**kwargs), "png", original_name="photo.png")


def first_organisation() -> Organisation:
    return Organisation.objects.order_by("pk").first()


def another_organisation(code: str = "NAN", host: str = "nan.example.test", name: str = "เทศบาลเมืองน่าน"):
    """A second municipality on its own site, with a home page of its own."""
    from wagtail.models import Page, Site

    from cctv.home.models import HomePage

    home = Page.get_first_root_node().add_child(instance=HomePage(title=name, slug=f"home-{code.lower()}"))
    site = Site.objects.create(hostname=host, port=80, root_page=home, site_name=name)
    return Organisation.objects.create(site=site, name_th=name, code=code)


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        django_get_or_create = ("organisation", "code")

    organisation = factory.LazyFunction(first_organisation)

    code = factory.Sequence(lambda n: f"station-{n}")
    name_th = factory.Sequence(lambda n: f"สถานี {n}")
    name_en = factory.Sequence(lambda n: f"Station {n}")
    district = "อ.เมือง"
    recorder_retention_days = 30


class CameraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Camera

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"C{n:02d}")
    name = factory.Sequence(lambda n: f"กล้อง {n}")


class RequestTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestType
        django_get_or_create = ("organisation", "kind")

    organisation = factory.LazyFunction(first_organisation)

    kind = RequestKind.VIEW
    name_th = "ขอดูข้อมูลภาพ"
    name_en = "View footage"


def submission(*, station, request_type, national_id_value=None, phone="0812345678", **incident) -> Submission:
    today = timezone.localdate()
    return Submission(
        applicant=Applicant(
            title=Title.MR,
            title_other="",
            first_name="สมศักดิ์",
            last_name="ใจดี",
            national_id=national_id_value or national_id(),
            age=40,
            race="",
            nationality="ไทย",
            address_house_no="99/1",
            address_village="หมู่ 3",
            address_road="",
            address_subdistrict="ศาลา",
            address_district="เกาะคา",
            address_province="ลำปาง",
            address_postcode="52130",
            phone=phone,
            email="",
        ),
        incident=Incident(
            request_type_id=request_type.pk,
            file_count=incident.get("file_count"),
            station_id=station.pk,
            camera_ids=incident.get("camera_ids", []),
            written_on=today,
            incident_date=incident.get("incident_date", today - timedelta(days=1)),
            incident_time=time(10, 30),
            incident_time_end=None,
            reason="ต้องการค้นหาของที่สูญหาย",
        ),
        signature=sanitised_png(),
        attachments=[NewAttachment(kind=AttachmentKind.ID_CARD, file=sanitised_png())],
    )


def altcha_solution() -> str:
    """What the browser's widget sends: a challenge signed by this site and its real solution."""
    challenge = altcha.Challenge.from_dict(cctv_altcha.new_challenge())
    solution = altcha.solve_challenge(challenge)
    return altcha.Payload(challenge, solution).to_base64()


def lookup_post(national_id_value: str, phone: str) -> dict:
    return {"national_id": national_id_value, "phone": phone, "altcha": altcha_solution()}


def handed_over_copy(*, footage_request, user, content: bytes, file_name: str = "cam1.mp4"):
    """A copy handed over on the applicant's device, with the SHA-256 the export software would show."""
    import hashlib

    from workflow.handling.models import DeliveredCopy
    from workflow.handling.services import record_copy

    return record_copy(
        footage_request=footage_request,
        user=user,
        file_name=file_name,
        duration_seconds=60,
        delivery=DeliveredCopy.Delivery.DEVICE,
        sha256=hashlib.sha256(content).hexdigest(),
        size_bytes=len(content),
        device_note="USB",
    )


def officer_declines(chain, footage_request) -> None:
    """The ``chain`` fixture's officer declines the request at its first step, with the chain's refusal reason."""
    from workflow.approval.services import take_action
    from workflow.constants import DecisionAction

    footage_request.refresh_from_db()
    take_action(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        action=DecisionAction.DECLINE,
        data={"comment": "ภาพไม่ครอบคลุม", "reason": chain["reason"].pk},
    )
