"""Two people decide on one request at the same moment, over real HTTP against the live server (threads released
together by a barrier): exactly one of them decides, the other is told who did, and nobody gets a server error.

Before the one lock order (workflow/approval/services.py), on PostgreSQL approve against a staff cancel recorded
both in 6 of 8 races and deadlocked in 2, and the applicant's cancel against an approval deadlocked in 11 of 12.
SQLite serialises writers itself (``transaction_mode`` IMMEDIATE), so the races mean most on PostgreSQL, where
``make test`` runs the suite a second time; they run on both.
"""

import logging
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils.crypto import get_random_string
from wagtail.models import TaskState, WorkflowState

from tests.workflow.approval.test_admin_approval import BASE, correction_post
from workflow.approval.models import Decision
from workflow.approval.views import SEEN_TASK_STATE
from workflow.constants import DecisionAction
from workflow.lifecycle import PublicStatus as S
from workflow.request.models import FootageRequest

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = int(__import__("os").environ.get("RACE_ROUNDS", "20"))
CITIZEN_HEADSTART = 0.3  # seconds
ALREADY_DECIDED = "คำร้องนี้ได้รับการพิจารณาแล้วโดย"
logger = logging.getLogger(__name__)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: its own cookies (a signed-in admin session, or none for the citizen) and a CSRF token."""

    def __init__(self, base_url: str, user=None):
        self.base_url = base_url
        self.csrf = get_random_string(32)
        self.cookies = {settings.CSRF_COOKIE_NAME: self.csrf}
        if user is not None:
            client = Client()
            client.force_login(user)
            self.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.opener = urllib.request.build_opener(NoRedirects)

    def _open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True).encode()
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        request = urllib.request.Request(self.base_url + path, data=body, headers={"Cookie": cookie})  # noqa: S310
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        with response:
            return response.status, response.headers.get("Location", ""), response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        status, location, _body = self._open(path, data)
        return status, location

    def page(self, path: str) -> str:
        return self._open(path)[2]


def fresh(footage_request) -> FootageRequest:
    return FootageRequest.objects.get(pk=footage_request.pk)


def approve_post(footage_request, seen, channel):
    if channel == "action url":
        return f"{BASE}/workflow/action/{footage_request.pk}/approve/{seen.pk}/", {"comment": ""}
    data = correction_post(fresh(footage_request))
    data.update({"action-workflow-action": "1", "workflow-action-name": "approve", SEEN_TASK_STATE: seen.pk})
    return f"{BASE}/edit/{footage_request.pk}/", data


def decide_post(footage_request, seen, channel, action, extra):
    """Cancel or decline as the footer does it: the modal's data, then the edit form; or Wagtail's action view."""
    if channel == "action url":
        return f"{BASE}/workflow/action/{footage_request.pk}/{action}/{seen.pk}/", extra
    import json

    data = correction_post(fresh(footage_request))
    data.update(
        {
            "action-workflow-action": "1",
            "workflow-action-name": action,
            "workflow-action-extra-data": json.dumps(extra),
            SEEN_TASK_STATE: seen.pk,
        }
    )
    return f"{BASE}/edit/{footage_request.pk}/", data


def race(first, second, *, second_later_by: float = 0.0) -> dict:
    """Posts both at the same moment (the second up to ``second_later_by`` seconds later, at random); returns each
    one's (status, redirect)."""
    barrier = threading.Barrier(2)
    results = {}
    delays = {first[0]: 0.0, second[0]: random.uniform(0, second_later_by)}

    def run(name, visitor, path, data):
        barrier.wait()
        time.sleep(delays[name])
        results[name] = visitor.post(path, data)

    threads = [threading.Thread(target=run, args=args) for args in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def in_progress(footage_request) -> list[TaskState]:
    return list(
        TaskState.objects.filter(
            workflow_state__object_id=str(footage_request.pk), status=TaskState.STATUS_IN_PROGRESS
        ).select_related("task")
    )


def assert_approved_at_the_first_level(footage_request):
    assert fresh(footage_request).public_status == S.RECEIVED
    assert [state.task.name for state in in_progress(footage_request)] == ["head"]


def assert_closed(footage_request):
    assert fresh(footage_request).public_status == S.CANCELLED
    assert in_progress(footage_request) == []
    assert WorkflowState.objects.get(object_id=str(footage_request.pk)).status == WorkflowState.STATUS_CANCELLED


@pytest.fixture
def people(live_server, chain, django_user_model):
    """The officer approves; a second officer (same group) cancels or declines; the citizen has no session."""
    second = django_user_model.objects.create_user(username="officer2", password="x" * 16)
    second.groups.add(Group.objects.get(user=chain["users"]["officer"]))
    return {
        "officer": Visitor(live_server.url, chain["users"]["officer"]),
        "officer2": Visitor(live_server.url, second),
        "citizen": Visitor(live_server.url),
    }


@pytest.mark.parametrize("channel", ["edit form", "action url"])
@pytest.mark.parametrize(
    ("action", "extra", "closed_as"),
    [
        pytest.param(DecisionAction.CANCEL, {"comment": "ผู้ร้องถอนคำร้องทางโทรศัพท์"}, "cancel", id="staff_cancel"),
        pytest.param(DecisionAction.DECLINE, {"comment": "ไม่มีกล้อง", "reason": "REASON"}, "decline", id="decline"),
    ],
)
def test_approve_against_a_second_officer(chain, people, channel, action, extra, closed_as):
    if "reason" in extra:
        extra = {**extra, "reason": chain["reason"].pk}
    winners = Counter()
    for _round in range(ROUNDS):
        footage_request = chain["new"]()
        seen = fresh(footage_request).current_workflow_task_state
        results = race(
            ("officer", people["officer"], *approve_post(footage_request, seen, channel)),
            ("officer2", people["officer2"], *decide_post(footage_request, seen, channel, action, extra)),
        )
        assert {name: status for name, (status, _) in results.items()} == {"officer": 302, "officer2": 302}
        decisions = list(Decision.objects.filter(request=footage_request).values_list("action", "user__username"))
        assert len(decisions) == 1, decisions
        winner_action, winner = decisions[0]
        winners[winner_action] += 1
        if winner_action == DecisionAction.APPROVE:
            assert_approved_at_the_first_level(footage_request)
        else:
            assert winner_action == action
            assert_closed(footage_request)
        loser = "officer2" if winner == "officer" else "officer"
        told = people[loser].page(results[loser][1])
        assert f"{ALREADY_DECIDED} {winner}" in told
    logger.info("approve against %s by %s, %d rounds: %s", closed_as, channel, ROUNDS, dict(winners))
    assert sum(winners.values()) == ROUNDS


@pytest.mark.parametrize("channel", ["edit form", "action url"])
def test_approve_against_the_applicants_cancel(chain, people, channel):
    winners = Counter()
    for _round in range(ROUNDS):
        footage_request = chain["new"]()
        seen = fresh(footage_request).current_workflow_task_state
        results = race(
            ("officer", people["officer"], *approve_post(footage_request, seen, channel)),
            ("citizen", people["citizen"], f"/status/{footage_request.token}/cancel/", {}),
            # the citizen's post takes less work before its lock: let it start a little later at times
            second_later_by=CITIZEN_HEADSTART,
        )
        assert {name: status for name, (status, _) in results.items()} == {"officer": 302, "citizen": 302}
        decisions = list(Decision.objects.filter(request=footage_request).values_list("action", flat=True))
        if decisions:
            assert decisions == [DecisionAction.APPROVE]
            winners["approve"] += 1
            assert_approved_at_the_first_level(footage_request)
        else:
            winners["citizen cancel"] += 1
            assert_closed(footage_request)
            assert f"{ALREADY_DECIDED} ผู้ยื่นคำร้อง" in people["officer"].page(results["officer"][1])
    logger.info("approve against the applicant's cancel by %s, %d rounds: %s", channel, ROUNDS, dict(winners))
    assert sum(winners.values()) == ROUNDS
