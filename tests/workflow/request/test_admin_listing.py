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
def test_listing_and_search_take_at_most_10_queries_whatever_the_size(
    head, chain, stations, django_assert_max_num_queries, query
):
    url = LISTING + query.format(station=stations[0].pk)
    many(chain, stations, 2)
    head.get(url)
    with django_assert_max_num_queries(10):
        assert head.get(url).status_code == 200
    many(chain, stations, 15)
    with django_assert_max_num_queries(10):
        assert head.get(url).status_code == 200


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
