"""The public pages of one municipality never show, find or open another's: the form offers its own stations and
request types, the status page, the status lookup and /verify/ answer only on the request's own host, an unknown
host gets a plain 404, and a closed municipality's pages say the service is closed (ADR 0016)."""

import pytest
from django.test import Client

from tests.factories import StationFactory, another_organisation, lookup_post, national_id, submission
from workflow.handling.services import submission_receipt
from workflow.request.services import submit_request

OURS, THEIRS = "localhost", "nan.example.test"


@pytest.fixture
def two(settings, home_page, stations, request_types):
    settings.ALLOWED_HOSTS = [OURS, THEIRS, "unknown.example.test"]
    theirs = another_organisation(code="NAN", host=THEIRS)
    their_station = StationFactory(code="market", name_th="ตลาดเทศบาลน่าน", organisation=theirs)
    ours = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    return {"ours": ours, "theirs": theirs, "their_station": their_station}


def on(host: str) -> Client:
    return Client(HTTP_HOST=host)


def test_the_status_page_opens_only_on_its_own_organisations_host(two):
    token = two["ours"].token
    assert on(OURS).get(f"/status/{token}/").status_code == 200
    assert on(THEIRS).get(f"/status/{token}/").status_code == 404
    assert on(THEIRS).get(f"/status/{token}/qr.svg").status_code == 404
    assert on(THEIRS).get(f"/status/{token}/receipt.pdf").status_code == 404


def test_the_status_lookup_finds_nothing_of_another_organisation(two):
    ours = on(OURS).post("/status/", lookup_post(national_id(), "0812345678"))
    theirs = on(THEIRS).post("/status/", lookup_post(national_id(), "0812345678"))
    assert ours.status_code == 302 and two["ours"].token in ours["Location"]
    assert theirs.status_code == 200
    assert "ไม่พบคำร้องที่ตรงกับข้อมูลนี้" in theirs.content.decode()
    assert two["ours"].reference not in theirs.content.decode()


def test_a_receipt_is_verified_only_on_its_own_organisations_host(two):
    receipt = submission_receipt(two["ours"])
    assert on(OURS).get(f"/verify/{receipt.code}/").status_code == 200
    assert on(THEIRS).get(f"/verify/{receipt.code}/").status_code == 404


def test_an_unknown_host_gets_a_plain_404_without_any_organisations_name(two):
    response = on("unknown.example.test").get("/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "ไม่พบเว็บไซต์นี้" in html
    assert "องค์การบริหารส่วนจังหวัดทดสอบ" not in html and "น่าน" not in html
    assert on("unknown.example.test").get("/health/live/").status_code == 200


def test_with_one_site_every_allowed_host_serves_it_as_before(settings, home_page):
    settings.ALLOWED_HOSTS = ["cctv.example.go.th", OURS]
    assert on("cctv.example.go.th").get("/").status_code == 200


def test_each_organisations_form_offers_only_its_own_stations_and_request_types(two):
    from cctv.home.models import HomePage
    from forms.selectors import get_form_options

    theirs = get_form_options(page=None, site=two["theirs"].site)
    ours = get_form_options(page=None, site=HomePage.objects.get(slug="home-test").get_site())
    assert [s.name_th for s in theirs.stations] == ["ตลาดเทศบาลน่าน"]
    assert theirs.request_types == ()
    assert "ตลาดเทศบาลน่าน" not in [s.name_th for s in ours.stations]
    assert len(ours.request_types) == 2


def test_a_closed_organisations_pages_say_the_service_is_closed_and_keep_its_data(two):
    organisation = two["ours"].organisation
    organisation.active = False
    organisation.save()

    home = on(OURS).get("/")
    status = on(OURS).get(f"/status/{two['ours'].token}/")
    assert home.status_code == status.status_code == 503
    assert "บริการนี้ปิดแล้ว" in home.content.decode()
    assert two["ours"].reference not in status.content.decode()
    assert on(OURS).get("/admin/login/").status_code == 200
    assert on(THEIRS).get("/").status_code != 503
    two["ours"].refresh_from_db()  # nothing was deleted
