"""A staff member's organisations come from the cache: a page costs the same queries with many organisations as
with one, and a membership taken away applies at the next page (ADR 0016, ADR 0019)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.organisations.test_admin_isolation import client, staff_of, two_organisations  # noqa: F401 - fixtures

LISTING = "wagtailsnippets_cctv_workflow_footagerequest:list"


def test_a_warm_staff_page_reads_no_membership(client, two_organisations):  # noqa: F811
    client.force_login(staff_of(two_organisations["ours"], "officer"))
    client.get(reverse(LISTING))  # warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(LISTING)).status_code == 200
    assert not [q["sql"] for q in queries if "organisation_members" in q["sql"]]


def test_a_membership_taken_away_applies_at_the_next_page(client, two_organisations):  # noqa: F811
    officer = staff_of(two_organisations["ours"], "officer")
    client.force_login(officer)
    reference = two_organisations["our_request"].reference
    assert reference in client.get(reverse(LISTING)).content.decode()
    two_organisations["ours"].members.remove(officer)
    assert reference not in client.get(reverse(LISTING)).content.decode()
    two_organisations["ours"].members.add(officer)
    assert reference in client.get(reverse(LISTING)).content.decode()
