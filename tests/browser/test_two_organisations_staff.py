"""Two municipalities in one installation, in the real Wagtail admin: the editor of one sees only its home page in
the page explorer, its officer finds its request and not the other's, and the other's request typed by hand is
not found (ADR 0016, step 4)."""

import pytest
from django.contrib.auth import get_user_model

from cctv.roles import setup_roles
from tests import factories
from tests.browser.conftest import shoot
from workflow.constants import RequestKind
from workflow.request.services import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUESTS = "/admin/snippets/cctv_workflow/footagerequest/"
THEIRS = "nan.example.test"


@pytest.fixture
def two_organisations(settings, home_page, stations, request_types):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", THEIRS]
    ours = factories.first_organisation()
    theirs = factories.another_organisation(code="NAN", host=THEIRS, name="เทศบาลเมืองน่าน")
    station = factories.StationFactory(code="theirs", name_th="สถานีของน่าน", organisation=theirs)
    request_type = factories.RequestTypeFactory(kind=RequestKind.VIEW, name_th="ขอดูภาพของน่าน", organisation=theirs)
    their_request = submit_request(submission=factories.submission(station=station, request_type=request_type))
    our_request = submit_request(
        submission=factories.submission(station=stations[0], request_type=request_types["view"])
    )
    groups = setup_roles()
    staff = {}
    for role in ("editor", "officer"):
        user = get_user_model().objects.create_user(username=f"{role}-of-ours")
        user.groups.add(groups[role])
        ours.members.add(user)
        staff[role] = user
    return {"staff": staff, "our_request": our_request, "their_request": their_request}


def test_staff_of_one_organisation_see_only_its_pages_and_requests(admin, two_organisations):
    editor = admin.open_as(two_organisations["staff"]["editor"])
    editor.goto(admin.base + "/admin/pages/")
    listing = editor.locator("main")
    assert listing.get_by_role("link", name="หน้าแรก").count() >= 1
    assert listing.get_by_text("เทศบาลเมืองน่าน").count() == 0
    shoot(editor, "two-organisations-explorer", full_page=True)

    # The dashboard counts our municipality's pages, under its name, not every page of the installation.
    from wagtail.models import Page, Site

    ours = Site.objects.get(organisation__members=two_organisations["staff"]["editor"])
    pages = Page.objects.descendant_of(ours.root_page, inclusive=True).count()
    editor.goto(admin.base + "/admin/")
    summary = " ".join(editor.locator(".w-summary").inner_text().split())
    assert f"{pages} หน้า ที่สร้างใน {ours.site_name or ours.hostname}" in summary
    # Headed by our municipality's name, not the installation's.
    assert editor.locator("main h1").first.inner_text().strip() == ours.organisation.display_name
    assert "เทศบาลเมืองน่าน" not in editor.content()
    shoot(editor, "two-organisations-dashboard", full_page=True)

    officer = admin.open_as(two_organisations["staff"]["officer"])
    officer.goto(admin.base + REQUESTS)
    requests = officer.locator("main")
    assert requests.get_by_text(two_organisations["our_request"].reference).count() >= 1
    assert requests.get_by_text(two_organisations["their_request"].reference).count() == 0
    shoot(officer, "two-organisations-requests", full_page=True)

    typed = officer.goto(admin.base + f"{REQUESTS}edit/{two_organisations['their_request'].pk}/")
    assert typed.status == 404
    assert two_organisations["their_request"].reference not in officer.content()
    shoot(officer, "two-organisations-not-found")
