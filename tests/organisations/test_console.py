"""The superuser's console of organisations ("หน่วยงาน"): its counts, in a constant number of queries; closing and
re-opening, each in the audit log; the names editable, the prefix only until references carry it; no add, copy
or delete; and every URL of it refused to anyone but a superuser."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from wagtail.models import ModelLogEntry

from cctv.organisations import console
from cctv.organisations.models import Organisation
from cctv.roles import setup_roles
from tests.factories import RequestTypeFactory, StationFactory, another_organisation, submission
from workflow.lifecycle import FINAL
from workflow.request.models import FootageRequest, ReferenceCounter
from workflow.request.services import submit_request

INDEX = "/admin/cctv/organisations/"


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.test", "x" * 16)


@pytest.fixture
def first(home_page, stations, request_types):
    organisation = Organisation.objects.get()
    two = [submit_request(submission=submission(station=stations[0], request_type=request_types["view"])) for _ in "ab"]
    FootageRequest.objects.filter(pk=two[1].pk).update(public_status="approved")
    organisation.members.add(get_user_model().objects.create_user("officer-a"))
    return organisation


def organisation_with_a_request(code: str, host: str):
    organisation = another_organisation(code=code, host=host, name=f"เทศบาล {code}")
    station = StationFactory(code=f"st-{code}", name_th=f"สถานี {code}", organisation=organisation)
    request_type = RequestTypeFactory(organisation=organisation)
    submit_request(submission=submission(station=station, request_type=request_type))
    StationFactory(code=f"st2-{code}", name_th=f"สถานี 2 {code}", organisation=organisation)
    return organisation


def test_in_progress_means_not_final_as_the_lifecycle_says():
    assert set(console.FINAL_STATUSES) == {str(status) for status in FINAL}


def test_the_counts_of_each_organisation(first):
    second = organisation_with_a_request("NAN", "nan.example.test")
    rows = {row.pk: row for row in console.with_counts(Organisation.objects.all())}

    ours = rows[first.pk]
    assert (ours.request_count, ours.in_progress_count, ours.station_count, ours.member_count) == (
        2,
        1,
        3,
        1,
    )  # the closed station too
    theirs = rows[second.pk]
    assert (theirs.request_count, theirs.in_progress_count, theirs.station_count, theirs.member_count) == (1, 1, 2, 0)
    assert theirs.site.hostname == "nan.example.test"


def listing_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_listing_costs_the_same_queries_for_three_organisations_as_for_one(
    first, superuser, client, settings, django_assert_max_num_queries
):
    settings.ALLOWED_HOSTS = ["*"]
    client.defaults["HTTP_HOST"] = first.site.hostname  # with two sites an unknown host is a 404
    client.force_login(superuser)
    client.get(INDEX)  # warm the per-process caches (sites, menus) so both counts measure the listing
    with_one, html = listing_queries(client)
    assert first.name_th in html

    organisation_with_a_request("NAN", "nan.example.test")
    organisation_with_a_request("PHR", "phrae.example.test")
    client.get(INDEX)
    with django_assert_max_num_queries(with_one):
        response = client.get(INDEX)
    html = response.content.decode()
    assert "เทศบาล NAN" in html and "phrae.example.test" in html and "PHR" in html


def test_closing_and_reopening_is_logged_once_each(first, superuser):
    assert console.set_open(first, open_=False, user=superuser) is True
    assert console.set_open(first, open_=False, user=superuser) is False  # already closed: nothing more logged
    assert Organisation.objects.get(pk=first.pk).active is False
    assert console.set_open(first, open_=True, user=superuser) is True

    entries = ModelLogEntry.objects.filter(action__startswith="cctv.organisation").order_by("timestamp", "pk")
    assert [entry.action for entry in entries] == [console.CLOSED, console.OPENED]
    assert all(entry.user_id == superuser.pk for entry in entries)
    assert {entry.object_id for entry in entries} == {str(first.pk)}
    assert entries[0].message == "ปิดการให้บริการของหน่วยงานแล้ว"


def test_only_a_superuser_may_close(first):
    officer = get_user_model().objects.create_user("officer-b", is_staff=True)
    with pytest.raises(PermissionError):
        console.set_open(first, open_=False, user=officer)
    assert Organisation.objects.get(pk=first.pk).active is True


def test_the_console_closes_through_its_confirmation_page(first, superuser, client):
    client.force_login(superuser)
    page = client.get(f"{INDEX}close/{first.pk}/")
    assert page.status_code == 200
    assert "หน้าเว็บสาธารณะจะแจ้งว่าปิดให้บริการ ข้อมูลยังเก็บรักษาไว้ตามระยะเวลาที่กำหนด เจ้าหน้าที่ยังเข้าระบบได้" in (
        page.content.decode()
    )
    assert Organisation.objects.get(pk=first.pk).active is True  # opening the page changes nothing

    assert client.post(f"{INDEX}close/{first.pk}/").status_code == 302
    assert Organisation.objects.get(pk=first.pk).active is False
    assert client.post(f"{INDEX}open/{first.pk}/").status_code == 302
    assert Organisation.objects.get(pk=first.pk).active is True


def test_names_are_edited_but_not_a_prefix_references_carry(home_page, superuser, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client.defaults["HTTP_HOST"] = "localhost"
    client.force_login(superuser)
    new = another_organisation(code="NAN", host="nan.example.test")
    form = {"name_th": "เทศบาลนครน่าน", "name_en": "Nan City", "code": "NAN2"}
    assert client.post(f"{INDEX}edit/{new.pk}/", form).status_code == 302
    new.refresh_from_db()
    assert (new.name_th, new.name_en, new.code, new.site.hostname) == (
        "เทศบาลนครน่าน",
        "Nan City",
        "NAN2",
        "nan.example.test",
    )

    ReferenceCounter.objects.create(organisation=new, year_be=2569, last_number=1)
    page = client.get(f"{INDEX}edit/{new.pk}/").content.decode()
    assert "มีเลขที่คำร้องที่ใช้อักษรนำหน้านี้แล้ว จึงเปลี่ยนไม่ได้" in page
    form.update(name_th="เทศบาลเมืองน่าน", code="OTHER")
    assert client.post(f"{INDEX}edit/{new.pk}/", form).status_code == 302
    new.refresh_from_db()
    assert (new.name_th, new.code) == ("เทศบาลเมืองน่าน", "NAN2")


def test_no_url_adds_copies_or_deletes_an_organisation(first, superuser, client):
    for name in ("add", "copy", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"cctv_organisations:{name}", args=() if name == "add" else (first.pk,))
    client.force_login(superuser)
    for url in (f"{INDEX}new/", f"{INDEX}delete/{first.pk}/", f"{INDEX}copy/{first.pk}/"):
        assert client.post(url).status_code == 404
    assert Organisation.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize("role", ["officer", "administrator"])
def test_every_url_is_refused_to_staff_who_are_not_superusers(first, client, role):
    user = get_user_model().objects.create_user(f"{role}-user", password="x" * 16)
    user.groups.add(setup_roles()[role])
    client.force_login(user)
    name = first.name_th
    urls = [
        INDEX,
        f"{INDEX}results/",
        f"{INDEX}edit/{first.pk}/",
        f"{INDEX}history/{first.pk}/",
        f"{INDEX}history-results/{first.pk}/",
        f"{INDEX}usage/{first.pk}/",
        f"{INDEX}close/{first.pk}/",
        f"{INDEX}open/{first.pk}/",
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 403), (url, response.status_code)
            if response.status_code == 302:
                assert not response["Location"].startswith(INDEX)
    first.refresh_from_db()
    assert first.active is True and first.name_th == name
    assert not ModelLogEntry.objects.filter(object_id=str(first.pk), action__startswith="cctv.organisation").exists()

    dashboard = client.get("/admin/").content.decode()
    assert INDEX not in dashboard  # the menu item is not shown
