import pytest
from django.utils import translation

from workflow import lifecycle
from workflow.lifecycle import AppointmentEvent as AE
from workflow.lifecycle import AppointmentStatus as AS
from workflow.lifecycle import Event as E
from workflow.lifecycle import PublicStatus as S
from workflow.lifecycle import TransitionNotAllowed, is_allowed, is_final, next_status

LEGAL_PATHS = [
    pytest.param([E.SUBMITTED], S.PENDING, id="submitted_waits_for_approval"),
    pytest.param([E.SUBMITTED, E.RECEIVED], S.RECEIVED, id="officer_takes_it_up"),
    pytest.param([E.SUBMITTED, E.RECEIVED, E.APPROVED], S.APPROVED, id="approved_after_every_level"),
    pytest.param([E.SUBMITTED, E.MORE_INFO_REQUESTED], S.RECEIVED, id="more_information_at_first_level"),
    pytest.param([E.SUBMITTED, E.MORE_INFO_REQUESTED, E.RESUBMITTED], S.RECEIVED, id="citizen_resubmits"),
    pytest.param([E.SUBMITTED, E.DECLINED], S.CANCELLED, id="declined_at_first_level"),
    pytest.param([E.SUBMITTED, E.RECEIVED, E.DECLINED], S.CANCELLED, id="declined_at_a_later_level"),
    pytest.param([E.SUBMITTED, E.CANCELLED_BY_CITIZEN], S.CANCELLED, id="citizen_cancels_while_pending"),
    pytest.param([E.SUBMITTED, E.RECEIVED, E.CANCELLED_BY_STAFF], S.CANCELLED, id="staff_cancel"),
    pytest.param([E.SUBMITTED, E.NO_FOOTAGE], S.NO_FOOTAGE, id="no_footage_while_pending"),
    pytest.param([E.SUBMITTED, E.RECEIVED, E.NO_FOOTAGE], S.NO_FOOTAGE, id="no_footage_once_received"),
    pytest.param(
        [E.SUBMITTED, E.MORE_INFO_REQUESTED, E.NO_FOOTAGE], S.NO_FOOTAGE, id="no_footage_while_awaiting_the_applicant"
    ),
]


@pytest.mark.parametrize(("events", "expected"), LEGAL_PATHS)
def test_legal_paths_end_in_the_expected_status(events, expected):
    status = None
    for event in events:
        status = next_status(event, status)
    assert status == expected


ILLEGAL = [
    pytest.param(E.CANCELLED_BY_CITIZEN, S.RECEIVED, id="citizen_cannot_cancel_once_received"),
    pytest.param(E.CANCELLED_BY_CITIZEN, S.APPROVED, id="citizen_cannot_cancel_approved"),
    pytest.param(E.CANCELLED_BY_CITIZEN, S.NO_FOOTAGE, id="citizen_cannot_cancel_no_footage"),
    pytest.param(E.APPROVED, S.CANCELLED, id="no_approval_after_cancel"),
    pytest.param(E.APPROVED, S.NO_FOOTAGE, id="no_approval_after_no_footage"),
    pytest.param(E.DECLINED, S.APPROVED, id="no_decline_after_approval"),
    pytest.param(E.RECEIVED, S.RECEIVED, id="received_only_once"),
    pytest.param(E.SUBMITTED, S.PENDING, id="submitted_only_once"),
    pytest.param(E.CANCELLED_BY_STAFF, S.CANCELLED, id="cancel_only_once"),
    pytest.param(E.CANCELLED_BY_STAFF, S.NO_FOOTAGE, id="no_staff_cancel_after_no_footage"),
    pytest.param(E.RESUBMITTED, S.NO_FOOTAGE, id="no_resubmission_after_no_footage"),
    pytest.param(E.NO_FOOTAGE, None, id="no_footage_needs_a_request"),
    pytest.param(E.NO_FOOTAGE, S.CANCELLED, id="no_footage_not_after_cancel"),
    pytest.param(E.NO_FOOTAGE, S.APPROVED, id="no_footage_not_after_approval"),
    pytest.param(E.NO_FOOTAGE, S.NO_FOOTAGE, id="no_footage_only_once"),
]


@pytest.mark.parametrize(("event", "status"), ILLEGAL)
def test_illegal_transitions_are_refused(event, status):
    assert not is_allowed(event, status)
    with pytest.raises(TransitionNotAllowed):
        next_status(event, status)


@pytest.mark.parametrize(
    ("status", "final"),
    [(S.PENDING, False), (S.RECEIVED, False), (S.CANCELLED, True), (S.APPROVED, True), (S.NO_FOOTAGE, True)],
)
def test_cancelled_approved_and_no_footage_are_final(status, final):
    assert is_final(status) is final
    assert lifecycle.is_open(status) is not final


def test_open_and_final_divide_the_statuses():
    assert set(lifecycle.OPEN) | set(lifecycle.FINAL) == set(S)
    assert not set(lifecycle.OPEN) & set(lifecycle.FINAL)


@pytest.mark.parametrize("status", lifecycle.FINAL)
def test_nothing_happens_to_a_final_request(status):
    assert [event for event in E if is_allowed(event, status)] == []


def test_every_status_is_reached_by_some_event():
    assert {after for _before, after in lifecycle.TRANSITIONS.values()} == set(S)


# ---- What the status page shows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "awaiting", "state", "may_cancel"),
    [
        (S.PENDING, False, "pending", True),
        (S.RECEIVED, False, "received", False),
        (S.RECEIVED, True, lifecycle.AWAITING_APPLICANT, False),
        (S.CANCELLED, False, "cancelled", False),
        (S.APPROVED, False, "approved", False),
        (S.NO_FOOTAGE, False, "no_footage", False),
        # Staff can wait for the applicant only where MORE_INFO_REQUESTED leads: elsewhere it is ignored.
        (S.PENDING, True, "pending", True),
        (S.NO_FOOTAGE, True, "no_footage", False),
        (S.CANCELLED, True, "cancelled", False),
    ],
)
def test_display_state_and_cancel_button(status, awaiting, state, may_cancel):
    shown = lifecycle.display(status, awaiting_applicant=awaiting)
    assert (shown.state, shown.may_cancel) == (state, may_cancel)
    assert shown.may_answer is (state == lifecycle.AWAITING_APPLICANT)
    assert shown.is_final is is_final(status)


def test_awaiting_the_applicant_does_not_say_the_request_is_with_the_approvers():
    with translation.override("th"):
        received = lifecycle.display(S.RECEIVED)
        awaiting = lifecycle.display(S.RECEIVED, awaiting_applicant=True)
        assert "หัวหน้าศูนย์" in str(received.meaning) or "นำเสนอ" in str(received.meaning)
        for text in (str(awaiting.label), str(awaiting.meaning)):
            assert "นำเสนอ" not in text and "หัวหน้า" not in text
        assert str(awaiting.label) != str(received.label)
        assert str(awaiting.message_heading) == "เจ้าหน้าที่ขอข้อมูลเพิ่มเติม"


def test_no_footage_has_thai_wording_of_its_own():
    with translation.override("th"):
        shown = lifecycle.display(S.NO_FOOTAGE)
        assert str(shown.label) == "ไม่พบภาพจากกล้อง"
        assert str(shown.meaning) != str(lifecycle.display(S.CANCELLED).meaning)
        assert shown.message_heading == "" and not shown.shows_approved_instructions


# ---- Viewing appointments ----------------------------------------------------------------------------------

APPOINTMENT_LEGAL = [
    pytest.param([AE.OFFERED], AS.OFFERED, id="offered"),
    pytest.param([AE.OFFERED, AE.CHOSEN], AS.CHOSEN, id="chosen"),
    pytest.param([AE.OFFERED, AE.WITHDRAWN], AS.WITHDRAWN, id="withdrawn_when_another_is_chosen"),
]


@pytest.mark.parametrize(("events", "expected"), APPOINTMENT_LEGAL)
def test_appointment_paths(events, expected):
    status = None
    for event in events:
        status = lifecycle.next_appointment_status(event, status)
    assert status == expected


@pytest.mark.parametrize(
    ("event", "status"),
    [
        pytest.param(AE.CHOSEN, None, id="only_an_offered_time_is_chosen"),
        pytest.param(AE.CHOSEN, AS.CHOSEN, id="chosen_once"),
        pytest.param(AE.CHOSEN, AS.WITHDRAWN, id="a_withdrawn_time_cannot_be_chosen"),
        pytest.param(AE.WITHDRAWN, AS.CHOSEN, id="the_chosen_time_is_not_withdrawn"),
        pytest.param(AE.OFFERED, AS.OFFERED, id="offered_once"),
    ],
)
def test_appointment_illegal_transitions(event, status):
    with pytest.raises(TransitionNotAllowed):
        lifecycle.next_appointment_status(event, status)


def test_appointment_statuses_are_the_models():
    from workflow.handling.models import Appointment

    assert Appointment.Status.choices == AS.choices


@pytest.mark.parametrize("status", list(S))
def test_times_are_offered_only_for_approved_requests(status):
    assert lifecycle.may_offer_appointment(status) is (status == S.APPROVED)


def test_the_status_page_says_staff_wait_for_the_applicant(client, chain):
    from workflow.approval.services import ask_for_information

    footage_request = chain["new"]()
    ask_for_information(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        comment="กรุณาแนบบันทึกแจ้งความ",
    )
    page = client.get(f"/status/{footage_request.token}/").content.decode()
    assert f'data-status="{lifecycle.AWAITING_APPLICANT}"' in page and "รอข้อมูลเพิ่มเติมจากท่าน" in page
    assert "นำเสนอเอกสาร" not in page and "หัวหน้าศูนย์" not in page
    assert "กรุณาแนบบันทึกแจ้งความ" in page and 'name="note"' in page
