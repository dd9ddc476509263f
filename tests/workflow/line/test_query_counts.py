"""What LINE costs the database: the status page's LINE section is one query on the first view and none after
(the page is cached, and linking forgets it); the webhook's answers cost the same whatever the number of linked
requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.line_server import link_line
from tests.workflow.line.test_webhook import event, post, replied

pytestmark = pytest.mark.django_db


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_the_status_page_with_its_line_section(client, chain, line, django_assert_max_num_queries):
    footage_request = chain["new"]()
    url = f"/status/{footage_request.token}/"
    client.get("/status/")  # the host's site is read once and kept
    first = queries(lambda: client.get(url))
    with django_assert_max_num_queries(0):
        assert "data-line-offer" in client.get(url).content.decode()
    link_line(footage_request)
    # Linking forgot the cached page: the next view shows the request linked, at the cost of the first view.
    assert queries(lambda: client.get(url)) <= first
    with django_assert_max_num_queries(0):
        assert 'data-linked="true"' in client.get(url).content.decode()


def test_status_by_line_costs_the_same_for_two_linked_requests_and_six(client, chain, line):
    requests = [chain["new"]() for _ in range(6)]
    for footage_request in requests[:2]:
        link_line(footage_request)
    post(client, event("message", text="สถานะ"))  # the host's site, warm as in production
    two = queries(lambda: post(client, event("message", text="สถานะ")))
    for footage_request in requests[2:]:
        link_line(footage_request)
    six = queries(lambda: post(client, event("message", text="สถานะ")))
    assert six == two
    assert replied(line)[-1].count("/status/") == links_listed(6)


def links_listed(linked: int) -> int:
    from forms.line_webhook import MOST_REQUESTS_LISTED

    return min(linked, MOST_REQUESTS_LISTED)
