import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from cctv.links import public_url
from cctv.stations.models import Station
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest, RequestType


def test_seed_demo_builds_a_working_site_and_is_idempotent(db, client):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Station.objects.count(), FootageRequest.objects.count(), get_user_model().objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Station.objects.count(), FootageRequest.objects.count(), get_user_model().objects.count()) == counts
    assert Station.objects.count() == 6
    assert all(station.cameras.exists() for station in Station.objects.all())
    assert set(RequestType.objects.values_list("kind", flat=True)) == {"view", "copy"}
    assert RequestType.objects.filter(workflow__isnull=True).count() == 0
    statuses = set(FootageRequest.objects.values_list("public_status", flat=True))
    assert statuses == set(PublicStatus.values)  # a few requests in each state
    for username in ("editor", "officer", "head", "deputy", "chief", "auditor"):
        user = get_user_model().objects.get(username=username)
        assert user.groups.exists()
        assert [o.code for o in user.organisations.all()] == ["CCTV"]  # staff of the demo organisation
    assert client.get("/").status_code == 200
    assert client.get("/request/").status_code == 200


def test_links_made_without_a_request_reach_the_demo_where_make_run_serves_it(db, settings):
    """The worker's SMS and e-mail have no request to take an address from: they use the default site's."""
    settings.CCTV_PUBLIC_BASE_URL = ""
    call_command("seed_demo", stdout=io.StringIO())
    assert public_url("/status/x/") == "http://127.0.0.1:8000/status/x/"
    call_command("seed_demo", "--address", "cctv.local:8080", stdout=io.StringIO())
    assert public_url("/status/x/") == "http://cctv.local:8080/status/x/"
