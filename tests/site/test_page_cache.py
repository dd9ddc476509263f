"""The public form and status pages come from the cache with a fresh CSRF token, and change when what they show
changes."""

import re

from django.test import Client

from cctv.caching.pages import PLACEHOLDER
from cctv.stations.models import Station
from tests.factories import submission
from tests.forms.test_form_page import id_card_file, valid_post
from workflow.approval.services import ask_for_information
from workflow.request.models import FootageRequest
from workflow.request.services import resubmit_request, submit_request

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_cached_form_page_gives_each_browser_a_working_token(form_page, stations, request_types):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [first.get(form_page.url).content.decode(), second.get(form_page.url).content.decode()]
    assert all(PLACEHOLDER not in page for page in pages)
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    data = {**valid_post(stations, request_types), "id_card": id_card_file(), "csrfmiddlewaretoken": tokens[1]}
    assert second.post(form_page.url, data).status_code == 302
    assert FootageRequest.objects.count() == 1


def test_form_page_is_served_from_the_cache(client, form_page, django_assert_max_num_queries):
    client.get(form_page.url)
    with django_assert_max_num_queries(0):
        assert client.get(form_page.url).status_code == 200


def test_an_edited_station_shows_at_once(client, form_page, stations):
    client.get(form_page.url)
    station = Station.objects.get(pk=stations[0].pk)
    station.name_th = "ตลาดเทศบาลแห่งใหม่"
    station.save()
    assert "ตลาดเทศบาลแห่งใหม่" in client.get(form_page.url).content.decode()


def test_english_and_thai_pages_are_kept_apart(client, form_page):
    thai = client.get(form_page.url).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": form_page.url})
    english = client.get(form_page.url).content.decode()
    assert 'lang="th"' in thai and 'lang="en"' in english


def test_status_page_shows_a_change_of_status_at_once(client, home_page, stations, request_types):
    footage_request = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    url = f"/status/{footage_request.token}/"
    assert "รออนุมัติ" in client.get(url).content.decode()
    client.post(f"{url}cancel/")
    page = client.get(url).content.decode()
    assert "ยกเลิก" in page and PLACEHOLDER not in page


def test_status_page_follows_every_change_the_staff_make(client, chain):
    """Approval, a request for information, the applicant's answer and erasure all show at once."""
    from workflow.privacy import retention

    footage_request = chain["new"]()
    url = f"/status/{footage_request.token}/"
    assert "รออนุมัติ" in client.get(url).content.decode()
    ask_for_information(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        comment="ขอสำเนาบันทึกแจ้งความ",
    )
    page = client.get(url).content.decode()
    assert "ขอสำเนาบันทึกแจ้งความ" in page and 'name="note"' in page
    resubmit_request(footage_request=FootageRequest.objects.get(pk=footage_request.pk), note="ok", attachments=[])
    page = client.get(url).content.decode()
    assert "เจ้าหน้าที่รับเรื่องแล้ว" in page and 'name="note"' not in page
    retention.erase_requests(queryset=FootageRequest.objects.filter(pk=footage_request.pk))
    assert client.get(url).status_code == 404
