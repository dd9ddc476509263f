"""The rating by LINE (issue #16 §4): the push that tells a linked citizen their request has ended carries the
five scores as quick replies; a tap posts back to the webhook, which rates the request once, for a LINE user
linked to it only, and offers to contact the office when the citizen is not satisfied."""

import pytest

from tests.workflow.line.conftest import MALEE
from tests.workflow.line.test_push import decline, linked  # noqa: F401 - fixture
from tests.workflow.line.test_webhook import event, post, replied
from workflow.notifications.line import parse_rating
from workflow.satisfaction.models import SatisfactionRating

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(chain, linked, django_capture_on_commit_callbacks):  # noqa: F811 - fixture
    decline(chain, linked, django_capture_on_commit_callbacks)
    linked.refresh_from_db()
    return linked


def rate_data(line) -> dict[int, str]:
    """The score of each quick reply button under the last push, and the data its tap posts back."""
    items = line.sent[-1]["messages"][0]["quickReply"]["items"]
    return {int(item["action"]["label"].split()[0]): item["action"]["data"] for item in items}


def test_the_push_that_ends_a_request_asks_for_a_rating_with_five_taps(ended, line):
    [push] = line.sent
    message = push["messages"][0]
    assert "ท่านพึงพอใจกับบริการของเราเพียงใด" in str(message["contents"]["body"])
    items = message["quickReply"]["items"]
    assert [item["action"]["label"] for item in items] == [
        "5 พอใจมาก",
        "4 พอใจ",
        "3 ปานกลาง",
        "2 ไม่พอใจ",
        "1 ไม่พอใจมาก",
    ]
    assert all(item["action"]["type"] == "postback" for item in items)
    assert parse_rating(items[0]["action"]["data"]) == (ended.pk, 5)


def test_a_tap_rates_the_request_once(client, ended, line):
    data = rate_data(line)[4]
    tap = event("postback", data=data)
    assert post(client, tap).status_code == 200
    rating = SatisfactionRating.objects.get(request=ended)
    assert (rating.score, rating.comment) == (4, "")
    [thanks] = replied(line)
    assert "ขอบคุณ" in thanks and f"/status/{ended.token}/" in thanks
    assert "ติดต่อ" not in thanks

    # LINE redelivers the same event: nothing more; a second tap is told it was rated already.
    assert post(client, tap).status_code == 200
    assert len(replied(line)) == 1
    post(client, event("postback", data=rate_data(line)[1]))
    assert SatisfactionRating.objects.get(request=ended).score == 4
    assert "ท่านได้ประเมินคำร้องนี้แล้ว" in replied(line)[-1]


def test_not_satisfied_is_offered_the_office(client, ended, line, chain):
    post(client, event("postback", data=rate_data(line)[1]))
    assert SatisfactionRating.objects.get(request=ended).score == 1
    [answer] = replied(line)
    assert "ติดต่อ" in answer


def test_only_a_line_user_linked_to_the_request_can_rate_it(client, ended, line):
    data = rate_data(line)[5]
    post(client, event("postback", user=MALEE, data=data))
    post(client, event("postback", data=data.replace(f"request={ended.pk}", f"request={ended.pk + 1000}")))
    post(client, event("postback", data="action=rate&request=x&score=9"))
    assert not SatisfactionRating.objects.exists()
    not_linked, other, nonsense = replied(line)
    assert "ไม่ได้เชื่อมต่อกับคำร้องนั้น" in not_linked and "ไม่ได้เชื่อมต่อกับคำร้องนั้น" in other
    assert "รหัสเชื่อมต่อ" in nonsense  # the help text


def test_an_open_request_asks_for_no_rating(chain, linked, line, django_capture_on_commit_callbacks):  # noqa: F811
    from workflow.approval.services import take_action
    from workflow.constants import DecisionAction

    with django_capture_on_commit_callbacks(execute=True):
        take_action(
            task_state=linked.current_workflow_task_state,
            user=chain["users"]["officer"],
            action=DecisionAction.APPROVE,
            data={"comment": ""},
        )
    assert line.sent and all("quickReply" not in push["messages"][0] for push in line.sent)
