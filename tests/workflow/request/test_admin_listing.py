"""The staff listing of requests: search by reference or phone, filters, and a query count that does not grow
with the number of requests (bench/RESULTS.md measures the same pages at a million rows)."""

import pytest

from tests.factories import submission
from workflow.request.models import FootageRequest
from workflow.request.selectors import request_search
from workflow.request.services import submit_request

LISTING = "/admin/snippets/cctv_workflow/footagerequest/"


@pytest.fixture
def head(chain, client):
    client.force_login(chain["users"]["head"])
    return client


def many(chain, stations, count, phone="0812345678"):
    return [
        submit_request(
            submission=submission(station=stations[i % 2], request_type=chain["new"]().request_type, phone=phone)
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    "query",
    ["", "?q=CCTV-2569-000001", "?q=081-234", "?q=๐๘๑๒๓๔๕๖๗๘", "?station={station}", "?public_status=pending"],
)
def test_listing_and_search_take_at_most_11_queries_whatever_the_size(
    head, chain, stations, django_assert_max_num_queries, query
):
    # Ten for Wagtail's listing and one for the supervising groups: the head's rows open the request.
    url = LISTING + query.format(station=stations[0].pk)
    many(chain, stations, 2)
    head.get(url)
    with django_assert_max_num_queries(11):
        assert head.get(url).status_code == 200
    many(chain, stations, 15)
    with django_assert_max_num_queries(11):
        response = head.get(url)
    assert response.status_code == 200
    assert f"{LISTING}edit/" in response.content.decode()


def test_search_finds_by_reference_whole_or_in_part_and_by_phone(head, chain, stations):
    first, *_ = many(chain, stations, 3)
    other = submit_request(
        submission=submission(station=stations[0], request_type=first.request_type, phone="0899990000")
    )
    html = head.get(LISTING, {"q": first.reference}).content.decode()
    assert first.reference in html and other.reference not in html
    html = head.get(LISTING, {"q": other.reference[-4:]}).content.decode()
    assert other.reference in html
    html = head.get(LISTING, {"q": "089-999"}).content.decode()
    assert other.reference in html and first.reference not in html


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("CCTV-2569-000042", {"reference"}),
        ("cctv-2569-000042", {"reference"}),
        ("000042", {"reference", "reference__contains", "phone", "phone__contains"}),
        ("12", {"reference", "phone"}),  # too short for a partial match
        ("๐๘๑-๒๓๔", {"reference", "reference__contains", "phone", "phone__contains"}),
    ],
)
def test_search_lookups(text, matches):
    lookups = {child[0] for child in request_search(text).children}
    assert lookups == matches


def test_count_stops_at_the_cap(chain, stations, monkeypatch, django_assert_num_queries):
    from workflow.request.listing import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "CAP", 3)
    many(chain, stations, 5)
    assert FootageRequest.objects.count() > 4
    with django_assert_num_queries(1):
        assert CappedCountPaginator(FootageRequest.objects.order_by("-submitted_at"), 2).count == 4
    assert CappedCountPaginator(FootageRequest.objects.filter(pk=-1), 2).count == 0


def test_the_listing_shows_when_each_request_came_in_buddhist_era(head, chain):
    from django.utils import timezone

    from cctv.thai.dates import format_be_date

    footage_request = chain["new"]()
    html = head.get(LISTING).content.decode()
    submitted = timezone.localtime(footage_request.submitted_at)
    shown = f"{format_be_date(submitted.date(), 'short')} {submitted:%H:%M}"
    assert shown in html
    assert f"{submitted.year} " not in html.split("<tbody", 1)[1].split("</tbody>", 1)[0]


def test_the_request_page_shows_the_consent_time_in_buddhist_era(head, chain):
    import re

    from django.utils import timezone

    from cctv.thai.dates import format_be_date

    footage_request = chain["new"]()
    html = head.get(f"/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/").content.decode()
    consented = timezone.localtime(footage_request.consented_at)
    line = re.search(r"<p data-consented-at>(.*?)</p>", html, re.S)
    assert line, "the consent line is on the request page"
    assert f"{format_be_date(consented.date(), 'long')} เวลา {consented:%H:%M} น." in line.group(1)
    assert str(consented.year) not in line.group(1)


def test_the_consent_line_names_the_policy_version_or_says_there_was_none(head, chain, privacy_page):
    import re

    from workflow.request.models import FootageRequest

    footage_request = chain["new"]()
    url = f"/admin/snippets/cctv_workflow/footagerequest/edit/{footage_request.pk}/"

    def consent_line() -> str:
        html = head.get(url).content.decode()
        return " ".join(re.search(r"<p data-consented-at>(.*?)</p>", html, re.S).group(1).split())

    FootageRequest.objects.filter(pk=footage_request.pk).update(privacy_policy_revision=None)
    assert "None" not in consent_line()
    assert "ยังไม่มีฉบับที่เผยแพร่" in consent_line()

    revision = privacy_page.live_revision
    FootageRequest.objects.filter(pk=footage_request.pk).update(privacy_policy_revision=revision)
    assert f"(ฉบับที่ {revision.pk})" in consent_line()
