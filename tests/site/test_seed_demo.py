"""seed_demo makes two demo municipalities on 127.0.0.1 and localhost, each with its own stations, staff and
requests, through create_organisation; a second run changes nothing."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Site, Workflow

from cctv.home import demo_data as demo
from cctv.links import public_url
from cctv.organisations.models import Organisation
from cctv.stations.models import Station
from workflow.approval.models import ApprovalTask
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest, RequestType

ROLE_NAMES = ("editor", "officer", "head", "deputy", "chief", "auditor")


def everything() -> tuple:
    models = (Organisation, Site, Station, FootageRequest, RequestType, ApprovalTask, Workflow, get_user_model())
    return tuple(model._base_manager.count() for model in models)


def test_seed_demo_builds_two_working_municipalities_and_is_idempotent(db, client):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = everything()
    call_command("seed_demo", stdout=io.StringIO())
    assert everything() == counts

    first, second = Organisation.objects.get(code="CCTV"), Organisation.objects.get(code=demo.SECOND_PREFIX)
    assert (first.site.hostname, first.site.port, first.site.is_default_site) == ("127.0.0.1", 8000, True)
    assert (second.site.hostname, second.site.port, second.site.is_default_site) == ("localhost", 8000, False)
    for organisation, stations, suffix in ((first, 6, ""), (second, 3, demo.SECOND_STAFF_SUFFIX)):
        own = Station.objects.filter(organisation=organisation)
        assert own.count() == stations and all(station.cameras.exists() for station in own)
        types = RequestType.objects.filter(organisation=organisation)
        assert set(types.values_list("kind", flat=True)) == {"view", "copy"}
        assert not types.filter(workflow__isnull=True).exists()
        assert ApprovalTask.objects.filter(organisation=organisation).count() == 4
        for username in ROLE_NAMES:
            user = get_user_model().objects.get(username=username + suffix)
            assert user.groups.exists()
            assert [o.code for o in user.organisations.all()] == [organisation.code]  # its staff alone
    statuses = set(FootageRequest.objects.filter(organisation=first).values_list("public_status", flat=True))
    assert statuses == set(PublicStatus.values)  # a few requests in each state
    assert FootageRequest.objects.filter(organisation=second).count() == 3
    assert all(r.reference.startswith(demo.SECOND_PREFIX) for r in FootageRequest.objects.filter(organisation=second))
    for host, name, other in (
        ("127.0.0.1", demo.ORGANISATION, demo.SECOND_ORGANISATION),
        ("localhost", demo.SECOND_ORGANISATION, demo.ORGANISATION),
    ):
        assert client.get("/", HTTP_HOST=f"{host}:8000").status_code == 200
        form = client.get("/request/", HTTP_HOST=f"{host}:8000")
        assert form.status_code == 200
        assert name in form.content.decode() and other not in form.content.decode()
    printed = out.getvalue()
    assert "request form: http://127.0.0.1:8000/request/" in printed
    assert "request form: http://localhost:8000/request/" in printed
    assert "officer-city" in printed


def test_links_made_without_a_request_reach_the_demo_where_make_run_serves_it(db, settings):
    """The worker's SMS and e-mail have no request to take an address from: they use the default site's."""
    settings.CCTV_PUBLIC_BASE_URL = ""
    call_command("seed_demo", stdout=io.StringIO())
    assert public_url("/status/x/") == "http://127.0.0.1:8000/status/x/"
    call_command("seed_demo", "--address", "cctv.local:8080", stdout=io.StringIO())
    assert public_url("/status/x/") == "http://cctv.local:8080/status/x/"
