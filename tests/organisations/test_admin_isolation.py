"""Staff of one organisation never see, find, count or open another's rows through the admin: generated over
every snippet model of ours that Wagtail registers, each of its object URLs, and each staff role (ADR 0016)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from wagtail.snippets.models import get_snippet_models

from cctv.organisations import scope
from cctv.roles import ROLES, setup_roles
from tests.factories import RequestTypeFactory, StationFactory, another_organisation, first_organisation, submission
from workflow.approval.models import RefusalReason
from workflow.constants import Channel, NotificationEvent, RequestKind
from workflow.handling.models import LegalBasis, NoFootageReason, ServiceStep
from workflow.notifications.models import MessageTemplate
from workflow.request.services import submit_request

OBJECT_VIEWS = ("edit", "delete", "history", "usage", "inspect", "workflow_history", "revisions_compare")
THEIRS = "nan.example.test"


def scoped_snippet_models():
    return [
        model
        for model in get_snippet_models()
        if model._meta.app_label.startswith("cctv_") and scope.path_to_organisation(model) is not None
    ]


@pytest.fixture
def two_organisations(settings, home_page, stations, request_types):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", THEIRS]
    ours, theirs = first_organisation(), another_organisation(code="NAN", host=THEIRS)
    station = StationFactory(code="theirs", name_th="สถานีของน่าน", organisation=theirs)
    request_type = RequestTypeFactory(kind=RequestKind.VIEW, name_th="ขอดูภาพของน่าน", organisation=theirs)
    their_rows = {
        "cctv_stations.Station": station,
        "cctv_workflow.RequestType": request_type,
        "cctv_workflow.FootageRequest": submit_request(
            submission=submission(station=station, request_type=request_type)
        ),
        "cctv_workflow.MessageTemplate": MessageTemplate.objects.create(
            organisation=theirs, event=NotificationEvent.SUBMITTED, channel=Channel.SMS, body="น่าน {reference}"
        ),
        "cctv_workflow.ServiceStep": ServiceStep.objects.create(
            organisation=theirs, code="nan-step", name_th="ขั้นตอนของน่าน", standard_minutes=5
        ),
        "cctv_workflow.RefusalReason": RefusalReason.objects.create(organisation=theirs, text_th="เหตุผลของน่าน"),
        "cctv_workflow.NoFootageReason": NoFootageReason.objects.create(organisation=theirs, text_th="ไม่พบของน่าน"),
        "cctv_workflow.LegalBasis": LegalBasis.objects.create(organisation=theirs, text_th="กฎหมายของน่าน"),
    }
    ours_request = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    return {"ours": ours, "theirs": theirs, "rows": their_rows, "our_request": ours_request}


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = "localhost"  # our organisation's site (an unknown host would be a 404 anyway)
    return client


def not_unknown_host(response) -> bool:
    return "ไม่พบเว็บไซต์นี้" not in response.content.decode()


def staff_of(organisation, role_key: str):
    groups = setup_roles()
    user = get_user_model().objects.create_user(username=f"{role_key}-{organisation.code}", password="x" * 16)
    user.groups.add(groups[role_key])
    organisation.members.add(user)
    return user


def test_every_scoped_snippet_model_has_a_row_of_the_other_organisation_here(two_organisations):
    missing = {m._meta.label for m in scoped_snippet_models()} - set(two_organisations["rows"])
    assert not missing, f"add a row of the other organisation for {missing}"


@pytest.mark.parametrize("role", [role.key for role in ROLES])
def test_staff_of_one_organisation_cannot_open_anything_of_another(client, two_organisations, role):
    client.force_login(staff_of(two_organisations["ours"], role))
    opened = []
    for model in scoped_snippet_models():
        row = two_organisations["rows"][model._meta.label]
        viewset = model.snippet_viewset
        for view in OBJECT_VIEWS:
            try:
                url = reverse(viewset.get_url_name(view), args=[row.pk])
            except NoReverseMatch:
                continue
            response = client.get(url)
            assert response.status_code < 500, url
            assert not_unknown_host(response), url
            if response.status_code == 200:
                opened.append(url)
    assert opened == []


@pytest.mark.parametrize("role", [role.key for role in ROLES])
def test_listings_and_searches_show_only_the_staff_members_organisation(client, two_organisations, role):
    client.force_login(staff_of(two_organisations["ours"], role))
    for model in scoped_snippet_models():
        row = two_organisations["rows"][model._meta.label]
        url = reverse(model.snippet_viewset.get_url_name("list"))
        for query in ("", f"?q={row}"):
            response = client.get(url + query)
            assert response.status_code in (200, 302, 403, 404), url
            assert not_unknown_host(response), url
            if response.status_code == 200:
                shown = response.content.decode().replace(f'value="{row}"', "")  # the search box echoes the query
                assert str(row) not in shown, url + query


def test_an_officer_finds_their_own_request_and_not_the_other_ones(client, two_organisations):
    client.force_login(staff_of(two_organisations["ours"], "officer"))
    listing = client.get(reverse("wagtailsnippets_cctv_workflow_footagerequest:list")).content.decode()
    assert two_organisations["our_request"].reference in listing
    assert two_organisations["rows"]["cctv_workflow.FootageRequest"].reference not in listing
    edit = reverse("wagtailsnippets_cctv_workflow_footagerequest:edit", args=[two_organisations["our_request"].pk])
    assert client.get(edit).status_code == 200


def test_staff_of_the_other_organisation_see_theirs_only(client, two_organisations):
    client.force_login(staff_of(two_organisations["theirs"], "officer"))
    listing = client.get(
        reverse("wagtailsnippets_cctv_workflow_footagerequest:list"), HTTP_HOST=THEIRS
    ).content.decode()
    assert two_organisations["rows"]["cctv_workflow.FootageRequest"].reference in listing
    assert two_organisations["our_request"].reference not in listing


def test_a_staff_member_of_no_organisation_sees_nothing(client, two_organisations):
    user = staff_of(two_organisations["ours"], "officer")
    two_organisations["ours"].members.remove(user)
    client.force_login(user)
    listing = client.get(reverse("wagtailsnippets_cctv_workflow_footagerequest:list")).content.decode()
    assert two_organisations["our_request"].reference not in listing


def test_a_station_an_editor_adds_is_their_organisations(client, two_organisations):
    from cctv.stations.models import Station

    client.force_login(staff_of(two_organisations["theirs"], "editor"))
    response = client.post(
        reverse("wagtailsnippets_cctv_stations_station:add"),
        {
            "code": "new-one",
            "sort_order": "0",
            "name_th": "สถานีใหม่ของน่าน",
            "recorder_retention_days": "30",
            "active": "on",
            "cameras-TOTAL_FORMS": "0",
            "cameras-INITIAL_FORMS": "0",
            "cameras-MIN_NUM_FORMS": "0",
            "cameras-MAX_NUM_FORMS": "1000",
        },
        HTTP_HOST=THEIRS,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Station.objects.get(code="new-one").organisation == two_organisations["theirs"]
