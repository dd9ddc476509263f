"""The applicant rates the service once their request has ended, on the status page; staff read a monthly report
per request type, with a CSV export; an erased request's rating stays in the report without its comment."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cctv.roles import setup_roles
from tests.factories import RequestTypeFactory, StationFactory, another_organisation, submission
from workflow import log_actions
from workflow.approval.services import decline_request
from workflow.constants import RequestKind
from workflow.privacy import retention
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request
from workflow.satisfaction.models import SatisfactionRating

REPORT = "/admin/cctv/satisfaction/"


def end(chain, footage_request):
    decline_request(
        task_state=footage_request.current_workflow_task_state,
        user=chain["users"]["officer"],
        reason_id=chain["reason"].pk,
        comment="ไม่มีกล้อง",
    )
    return FootageRequest.objects.get(pk=footage_request.pk)


@pytest.fixture
def ended(chain):
    return end(chain, chain["new"]())


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = "localhost"
    return client


def rate(client, footage_request, **data):
    return client.post(reverse("cctv_forms:status_rating", args=[footage_request.token]), data)


def status_page(client, footage_request) -> str:
    response = client.get(reverse("cctv_forms:status", args=[footage_request.token]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_ended_request_asks_for_a_rating_and_keeps_it(client, ended):
    assert 'name="rating-score"' in status_page(client, ended)
    response = rate(client, ended, **{"rating-score": "4", "rating-comment": "รวดเร็วดี"})
    assert response.status_code == 302 and response["Location"].endswith("#satisfaction")
    rating = SatisfactionRating.objects.get(request=ended)
    assert (rating.score, rating.comment, rating.request_type_id) == (4, "รวดเร็วดี", ended.request_type_id)
    assert rating.organisation_id == ended.organisation_id
    assert ModelLogEntry.objects.filter(object_id=str(ended.pk), action=log_actions.RATED).count() == 1
    page = status_page(client, ended)  # the cached page is forgotten: the rating shows at once
    assert 'data-rating="4"' in page and 'name="rating-score"' not in page
    assert "ขอบคุณที่ประเมินความพึงพอใจต่อบริการ" in page


def test_an_open_request_is_not_rated(client, chain):
    footage_request = chain["new"]()
    assert "data-satisfaction" not in status_page(client, footage_request)
    rate(client, footage_request, **{"rating-score": "5"})
    assert not SatisfactionRating.objects.exists()
    assert "ท่านประเมินความพึงพอใจได้เมื่อคำร้องสิ้นสุดแล้ว" in status_page(client, footage_request)


def test_a_request_is_rated_once(client, ended):
    rate(client, ended, **{"rating-score": "5"})
    rate(client, ended, **{"rating-score": "1"})
    assert list(SatisfactionRating.objects.values_list("score", flat=True)) == [5]


def test_a_rating_without_a_score_comes_back_with_the_comment_kept(client, ended):
    response = rate(client, ended, **{"rating-comment": "ข้อความที่พิมพ์ไว้"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "กรุณาเลือกระดับความพึงพอใจ ตั้งแต่ 1 ถึง 5" in page
    assert "ข้อความที่พิมพ์ไว้" in page
    assert not SatisfactionRating.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", "x"])
def test_a_score_outside_1_to_5_is_refused(client, ended, score):
    assert rate(client, ended, **{"rating-score": score}).status_code == 400
    assert not SatisfactionRating.objects.exists()


def test_a_dissatisfied_applicant_is_offered_the_office(client, ended):
    from cctv.home.models import ServiceSettings

    ServiceSettings.objects.update(contact_phone="053-000000")
    rate(client, ended, **{"rating-score": "2"})
    page = status_page(client, ended)
    assert "data-contact-office" in page and 'href="tel:053-000000"' in page


def test_erasure_keeps_the_rating_for_the_report_without_the_request_or_comment(ended):
    SatisfactionRating.objects.create(
        request=ended, request_type=ended.request_type, organisation=ended.organisation, score=3, comment="ชื่อฉัน"
    )
    retention.erase_requests(queryset=FootageRequest.objects.filter(pk=ended.pk))
    rating = SatisfactionRating.objects.get()
    assert (rating.request_id, rating.comment, rating.score) == (None, "", 3)


def staff(role):
    user = get_user_model().objects.create_user(username=f"{role}-reader", password="x" * 16)
    user.groups.add(setup_roles()[role])
    return user


def test_the_report_counts_each_month_and_type_and_exports_csv(client, chain, ended):
    for score in (1, 4, 5):
        footage_request = end(chain, chain["new"]())
        SatisfactionRating.objects.create(
            request=footage_request, request_type=footage_request.request_type, score=score
        )
    client.force_login(staff("head"))
    response = client.get(REPORT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ความพึงพอใจ" in page and ended.request_type.name_th in page
    csv = client.get(REPORT + "?export=csv")
    assert csv.status_code == 200
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0].startswith("เดือน,ประเภทคำร้อง,จำนวนผู้ประเมิน,คะแนนเฉลี่ย (1 ถึง 5),1 · ไม่พอใจมาก")
    assert lines[1].split(",")[2:] == ["3", "3.33", "1", "0", "0", "1", "1", "1"]


@pytest.mark.parametrize("role,allowed", [("head", True), ("auditor", True), ("officer", False), ("editor", False)])
def test_the_report_is_for_the_head_and_auditors(client, role, allowed, db):
    client.force_login(staff(role))
    assert (client.get(REPORT).status_code == 200) is allowed


def test_the_report_costs_the_same_queries_however_many_ratings(client, chain):
    client.force_login(staff("head"))
    client.get(REPORT)  # warm
    footage_request = end(chain, chain["new"]())
    SatisfactionRating.objects.create(request=footage_request, request_type=footage_request.request_type, score=4)
    with CaptureQueriesContext(connection) as one:
        client.get(REPORT)
    for score in (1, 2, 3, 5):
        more = end(chain, chain["new"]())
        SatisfactionRating.objects.create(request=more, request_type=more.request_type, score=score)
    with CaptureQueriesContext(connection) as five:
        client.get(REPORT)
    assert len(five) == len(one)


def test_the_report_of_one_organisation_counts_none_of_another(client, settings, chain, ended):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", "nan.example.test"]
    SatisfactionRating.objects.create(request=ended, request_type=ended.request_type, score=5)
    theirs = another_organisation(code="NAN", host="nan.example.test")
    their_type = RequestTypeFactory(kind=RequestKind.VIEW, name_th="ขอดูภาพของน่าน", organisation=theirs)
    their_station = StationFactory(code="nan", organisation=theirs)
    their_request = submit_request(submission=submission(station=their_station, request_type=their_type))
    SatisfactionRating.objects.create(request=their_request, request_type=their_type, score=1, organisation=theirs)
    head = staff("head")
    ended.organisation.members.add(head)
    client.force_login(head)
    page = client.get(REPORT).content.decode()
    assert ended.request_type.name_th in page and "ขอดูภาพของน่าน" not in page
