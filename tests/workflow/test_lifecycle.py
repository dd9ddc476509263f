import pytest

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
    pytest.param(E.APPROVED, S.CANCELLED, id="no_approval_after_cancel"),
    pytest.param(E.DECLINED, S.APPROVED, id="no_decline_after_approval"),
    pytest.param(E.RECEIVED, S.RECEIVED, id="received_only_once"),
    pytest.param(E.SUBMITTED, S.PENDING, id="submitted_only_once"),
    pytest.param(E.CANCELLED_BY_STAFF, S.CANCELLED, id="cancel_only_once"),
]


@pytest.mark.parametrize(("event", "status"), ILLEGAL)
def test_illegal_transitions_are_refused(event, status):
    assert not is_allowed(event, status)
    with pytest.raises(TransitionNotAllowed):
        next_status(event, status)


@pytest.mark.parametrize(
    ("status", "final"), [(S.PENDING, False), (S.RECEIVED, False), (S.CANCELLED, True), (S.APPROVED, True)]
)
def test_only_cancelled_and_approved_are_final(status, final):
    assert is_final(status) is final
