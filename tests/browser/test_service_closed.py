"""A municipality that leaves the service is disabled, never deleted: on a phone its form and status pages say in
Thai that the service is closed (and pass axe), while its staff still sign in to the admin and find the request,
which stays under retention."""

import pytest

from tests import factories
from tests.browser.admin_session import sign_in, watch_server_errors
from tests.browser.conftest import axe_violations, shoot
from workflow.request.services import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_closed_organisation_says_so_and_its_staff_still_find_the_request(
    live_server, form_page, chain, stations, request_types, phone, browser
):
    footage_request = submit_request(
        submission=factories.submission(station=stations[0], request_type=request_types["view"])
    )
    organisation = footage_request.organisation
    organisation.active = False
    organisation.save()

    responses = []
    phone.on("response", lambda response: responses.append((response.status, response.url)))
    phone.goto(f"{live_server.url}/status/{footage_request.token}/")
    assert phone.locator("h1").inner_text() == "บริการนี้ปิดแล้ว"
    assert footage_request.reference not in phone.content()
    assert (503, f"{live_server.url}/status/{footage_request.token}/") in responses
    assert axe_violations(phone) == []
    shoot(phone, "service-closed-status")
    phone.goto(f"{live_server.url}{form_page.url}")
    assert phone.locator("h1").inner_text() == "บริการนี้ปิดแล้ว"
    assert phone.locator("form input[name=national_id]").count() == 0

    context = browser.new_context(locale="th-TH")
    staff_page = context.new_page()
    errors = watch_server_errors(staff_page)
    sign_in(staff_page, live_server.url, chain["users"]["officer"])
    staff_page.goto(f"{live_server.url}/admin/snippets/cctv_workflow/footagerequest/")
    assert staff_page.get_by_text(footage_request.reference).count() >= 1
    assert errors == []
    context.close()
