import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from wagtail.models import Locale, Page, Site, Workflow, WorkflowTask

from cctv.caching import versions
from cctv.home.models import HomePage, PrivacyPolicyPage, ServiceSettings
from cctv.organisations.models import Organisation
from cctv.roles import APPROVAL_LEVELS, setup_roles
from forms.models import RequestFormPage
from tests import factories
from tests.factories import CameraFactory, RequestTypeFactory, StationFactory
from tests.line_server import line  # noqa: F401 - the local LINE Messaging API, a fixture for every test
from workflow.approval.models import ApprovalTask, RefusalReason
from workflow.constants import RequestKind
from workflow.request.services import submit_request


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Each test gets its own private file area, so counts of stored files are its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    versions.forget_memo()
    yield
    cache.clear()
    versions.forget_memo()


@pytest.fixture(autouse=True)
def _organisation(request):
    """Rows a test makes without naming their organisation belong to the installation's one (the key's default,
    ADR 0016). Its migration made it; transactional tests flush it, so it is made again."""
    names = set(request.fixturenames)
    if names & {"transactional_db", "live_server"}:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif request.node.get_closest_marker("django_db") is None:
        return
    the_organisation()


def the_organisation() -> Organisation:
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.create(
            hostname="localhost", root_page=wagtail_root(), is_default_site=True
        )
        organisation = Organisation.objects.create(site=site, name_th="องค์การบริหารส่วนจังหวัดทดสอบ", code="CCTV")
    return organisation


def wagtail_root() -> Page:
    """The root page; transactional tests flush the rows Wagtail's migrations made, so make them again."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="th")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


@pytest.fixture
def home_page(db):
    home = wagtail_root().add_child(instance=HomePage(title="หน้าแรก", slug="home-test"))
    site, _created = Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    ServiceSettings.objects.update_or_create(
        site=site,
        defaults={
            "organisation_name": "องค์การบริหารส่วนจังหวัดทดสอบ",
            "contact_phone": "054-237600",
            "contact_unit": "ฝ่ายบริหารงานทั่วไป",
        },
    )
    return home


@pytest.fixture
def privacy_page(home_page):
    page = home_page.add_child(
        instance=PrivacyPolicyPage(
            title="นโยบายความเป็นส่วนตัว",
            slug="privacy",
            summary="ข้อมูลส่วนบุคคลของท่านจะถูกใช้เพื่อพิจารณาคำร้องเท่านั้น",
            consent_label="ข้าพเจ้าได้อ่านและยอมรับนโยบายความเป็นส่วนตัวแล้ว",
        )
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def stations(db):
    first = StationFactory(code="park", name_th="สวนสาธารณะหนองกระทิง", name_en="Nong Krathing Park")
    second = StationFactory(code="monument", name_th="อนุสาวรีย์สมเด็จพระนเรศวรมหาราช", recorder_retention_days=15)
    CameraFactory(station=first, code="C01", name="ทางเข้า")
    CameraFactory(station=first, code="C02", name="ลานจอดรถ")
    CameraFactory(station=second, code="C01", name="ด้านหน้า")
    StationFactory(code="closed", name_th="สถานีที่ปิดแล้ว", active=False)
    return [first, second]


@pytest.fixture
def request_types(db):
    view = RequestTypeFactory(kind=RequestKind.VIEW, name_th="ขอดูข้อมูลภาพ", name_en="View footage")
    copy = RequestTypeFactory(
        kind=RequestKind.COPY,
        name_th="ขอสำเนาข้อมูลภาพ",
        name_en="Copy footage",
        needs_file_count=True,
        sort_order=1,
    )
    return {"view": view, "copy": copy}


@pytest.fixture
def form_page(home_page, privacy_page, stations, request_types):
    page = home_page.add_child(instance=RequestFormPage(title="คำร้องขอดูหรือขอสำเนาข้อมูลภาพ", slug="request"))
    page.save_revision().publish()
    return page


@pytest.fixture
def chain(db, home_page, stations, request_types):
    groups = setup_roles()
    workflow = Workflow.objects.create(name="ขอดูข้อมูลภาพ")
    users = {}
    for order, level in enumerate(APPROVAL_LEVELS):
        task = ApprovalTask.objects.create(name=level)
        task.groups.set([groups[level]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        user = get_user_model().objects.create_user(username=level, password="x" * 16)
        user.groups.add(groups[level])
        users[level] = user
    request_types["view"].workflow = workflow
    request_types["view"].save()
    reason = RefusalReason.objects.create(text_th="เอกสารไม่ถูกต้อง")

    def new_request():
        return submit_request(submission=factories.submission(station=stations[0], request_type=request_types["view"]))

    return {"users": users, "new": new_request, "reason": reason}
