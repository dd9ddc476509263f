"""The request page's handling panel: every action's form inline, its posts returning to the form's place with the
outcome, a refused post showing what was typed with the errors, and the panel's forms outside Wagtail's edit form.
The browser tests (tests/browser/test_handling_panel*.py) click the same forms."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.factories import submission
from workflow.approval.services import approve_step
from workflow.constants import NotificationEvent
from workflow.handling.fields import format_be_input
from workflow.handling.models import Appointment, ServiceStep, StepRecord
from workflow.handling.views import ACTIONS
from workflow.notifications.delivery import render
from workflow.notifications.models import MessageTemplate, Notification, placeholder_errors
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request

EDIT = "/admin/snippets/cctv_workflow/footagerequest/edit/{pk}/"


def edit_page(client, footage_request) -> str:
    response = client.get(EDIT.format(pk=footage_request.pk))
    assert response.status_code == 200
    return response.content.decode()


def post(client, footage_request, action, slot, data):
    return client.post(f"/admin/cctv/requests/{footage_request.pk}/{action}/", {"handling-slot": slot, **data})


@pytest.fixture
def officer(client, chain):
    client.force_login(chain["users"]["officer"])
    return chain["users"]["officer"]


@pytest.fixture
def approved(chain, stations, request_types):
    request_types["copy"].workflow = request_types["view"].workflow
    request_types["copy"].save()
    footage_request = submit_request(
        submission=submission(station=stations[0], request_type=request_types["copy"], file_count=1)
    )
    for level in ("officer", "head", "deputy", "chief"):
        approve_step(
            task_state=FootageRequest.objects.get(pk=footage_request.pk).current_workflow_task_state,
            user=chain["users"][level],
        )
    return FootageRequest.objects.get(pk=footage_request.pk)


class FormOwners(HTMLParser):
    """Which forms the page's controls belong to: the <form> they are in, or the one their form attribute names."""

    def __init__(self):
        super().__init__()
        self.open_forms, self.forms, self.controls = [], {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms[attrs.get("id")] = list(self.open_forms)
            self.open_forms.append(attrs.get("id"))
        elif tag in ("input", "select", "textarea", "button"):
            owner = attrs.get("form") or (self.open_forms[-1] if self.open_forms else None)
            self.controls.append((attrs.get("name"), owner))

    def handle_endtag(self, tag):
        if tag == "form" and self.open_forms:
            self.open_forms.pop()


def test_each_action_has_its_form_on_the_panel_outside_the_edit_form(client, officer, approved):
    html = edit_page(client, approved)
    owners = FormOwners()
    owners.feed(html)
    panel_forms = {form_id: outer for form_id, outer in owners.forms.items() if (form_id or "").startswith("handling-")}
    assert all(outer == [] for outer in panel_forms.values()), "no panel form inside another form"
    actions = {
        re.search(r"/requests/\d+/([a-z-]+)/", action).group(1)
        for action in re.findall(r'action="([^"]+)"', html)
        if "/cctv/requests/" in action
    }
    assert actions == set(ACTIONS) - {"stop"}, "every action but stop (nothing runs yet) posts from the panel"
    handling_controls = [owner for name, owner in owners.controls if owner and owner.startswith("handling-")]
    assert handling_controls and all(owner in panel_forms for owner in handling_controls)
    editor_fields = {name for name, owner in owners.controls if owner == "w-editor-form"}
    assert not editor_fields & {"clip_from", "kept_at", "place", "starts_at_1", "file_name", "reason", "step"}


def test_start_then_stop_returns_to_the_steps_row_with_the_message(client, officer, chain):
    footage_request = chain["new"]()
    step = ServiceStep.objects.get(code="documents")
    slot = f"row-{step.pk}-0"
    response = post(client, footage_request, "start", slot, {"step": step.pk})
    assert response.status_code == 302
    assert response["Location"] == EDIT.format(pk=footage_request.pk) + f"#handling-{slot}"
    record = StepRecord.objects.get(request=footage_request)
    assert record.is_running and record.staff == officer

    html = edit_page(client, footage_request)
    row = html[html.index(f'id="handling-{slot}"') :]
    assert row.index("งานเริ่มแล้ว") < row.index("data-running-since") < row.index("หยุด")
    assert "งานเริ่มแล้ว" not in edit_page(client, footage_request), "the message is shown once"

    response = post(client, footage_request, "stop", slot, {"record": record.pk})
    assert response["Location"].endswith(f"#handling-{slot}")
    record.refresh_from_db()
    assert not record.is_running
    assert "บันทึกการปฏิบัติงานแล้ว" in edit_page(client, footage_request)


def test_a_refused_post_shows_what_was_typed_with_the_thai_error(client, officer, chain):
    footage_request = chain["new"]()
    step = ServiceStep.objects.get(code="documents")
    before = timezone.localtime(footage_request.submitted_at) - timedelta(days=2)
    typed = {
        "step": step.pk,
        "started_at": format_be_input(before),
        "ended_at": format_be_input(before + timedelta(minutes=4)),
        "outcome": "done",
        "notes": "ตรวจบัตรประชาชนและใบแจ้งความ",
    }
    response = post(client, footage_request, "step", "step", typed)
    assert response.status_code == 302 and response["Location"].endswith("#handling-step")
    assert not StepRecord.objects.exists()

    html = edit_page(client, footage_request)
    slot = html[html.index('id="handling-step"') : html.index('id="handling-review-heading"')]
    assert '<details class="cctv-handling__details" open>' in slot
    assert "เวลาเริ่มต้องไม่ก่อนเวลาที่ยื่นคำร้อง" in slot
    assert f'value="{typed["started_at"]}"' in slot and f'value="{typed["ended_at"]}"' in slot
    assert typed["notes"] in slot


def test_an_appointment_offer_of_two_times_sends_one_message_listing_both(client, officer, approved):
    tomorrow = timezone.localtime() + timedelta(days=1)
    first, second = (tomorrow.replace(hour=hour, minute=0, second=0, microsecond=0) for hour in (9, 14))
    response = post(
        client,
        approved,
        "appointment",
        "appointment",
        {"starts_at_1": format_be_input(first), "starts_at_2": format_be_input(second), "place": "ศูนย์ CCTV ชั้น 2"},
    )
    assert response.status_code == 302
    assert list(Appointment.objects.filter(request=approved).values_list("starts_at", flat=True)) == [first, second]
    [sms] = Notification.objects.filter(request=approved, event=NotificationEvent.APPOINTMENT)
    _subject, text = render(sms)
    assert "09:00" in text and "14:00" in text and "ศูนย์ CCTV ชั้น 2" in text

    status = client.get(f"/status/{approved.token}/").content.decode()
    assert status.count('name="appointment"') == 2


def test_the_same_time_twice_is_refused_and_nothing_is_sent(client, officer, approved):
    when = format_be_input(timezone.localtime() + timedelta(days=1))
    post(client, approved, "appointment", "appointment", {"starts_at_1": when, "starts_at_2": when, "place": "x"})
    assert not Appointment.objects.exists() and not Notification.objects.filter(event="appointment").exists()
    assert "เวลาเดียวกันซ้ำ" in edit_page(client, approved)


def test_editors_may_write_the_times_only_into_the_appointment_message(db):
    assert placeholder_errors("นัดดูภาพ {times} ที่ {status_url}", event=NotificationEvent.APPOINTMENT) == []
    assert placeholder_errors("{times}", event=NotificationEvent.SUBMITTED)
    template = MessageTemplate(event=NotificationEvent.APPOINTMENT, channel="sms", body="เลือกเวลา {times}")
    template.full_clean()


def test_staff_who_do_not_handle_see_the_record_without_forms(client, chain, approved):
    client.force_login(chain["users"]["deputy"])
    html = edit_page(client, approved)
    assert 'id="handling"' in html and "data-overwritten-on" in html
    assert "data-handling-forms" not in html and 'form="handling-' not in html


def test_the_request_page_with_the_panel_takes_a_bounded_number_of_queries(
    client, officer, approved, django_assert_max_num_queries
):
    client.get(EDIT.format(pk=approved.pk))  # caches warmed
    # Measured: 65 with the panel's forms for a handler, 59 for a reader without them.
    with django_assert_max_num_queries(70):
        edit_page(client, approved)
