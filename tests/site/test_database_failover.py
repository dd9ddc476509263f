"""A request that meets a database failover (cctv/database_failover.py, issue #15): a read is answered on retry,
a write gets the Thai 503 page and leaves nothing behind, neither rows nor files nor a reference number.

On PostgreSQL the failure is real: the test's own server connection is ended with ``pg_terminate_backend`` (what a
killed leader does to every connection), or every new connection is sent to a port where nothing listens (no
leader yet). SQLite's in-memory test database cannot be disconnected, so there the middleware is driven by an
inner chain that fails as Django's handler reports a failure."""

import logging
import socket
import threading
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

from cctv.database_failover import DatabaseFailoverMiddleware, is_database_unavailable
from tests.factories import submission
from tests.forms.test_form_page import id_card_file, valid_post
from workflow.notifications.models import Notification
from workflow.request.models import Attachment, FootageRequest
from workflow.request.services import submit_request

THAI_503 = "ระบบไม่พร้อมให้บริการชั่วคราว"


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a real disconnection needs PostgreSQL (the SQLite test database lives in memory)")


def end_own_connection() -> None:
    """What a killed leader does to this process's connection: the server side ends it."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


@pytest.fixture
def footage_request(home_page, stations, request_types):
    return submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))


@pytest.mark.django_db(transaction=True)
def test_a_status_page_read_through_a_connection_the_server_ended_is_answered_on_retry(
    browser, footage_request, caplog
):
    postgresql_only()
    end_own_connection()
    with caplog.at_level(logging.WARNING, logger="cctv.database_failover"):
        response = browser.get(f"/status/{footage_request.token}/")
    assert response.status_code == 200
    assert footage_request.reference in response.content.decode()
    assert "Answered after 2 tries while the database was unavailable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_read_while_no_leader_answers_gets_the_thai_503_page_once_the_retry_time_is_up(
    browser, settings, footage_request
):
    postgresql_only()
    settings.CCTV_DATABASE_RETRY_SECONDS = 1
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        response = browser.get(f"/status/{footage_request.token}/")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert THAI_503 in page and 'lang="th"' in page
    assert "ข้อมูลที่ท่านส่งไว้แล้วไม่สูญหาย" in page
    assert footage_request.reference not in page


@pytest.mark.django_db(transaction=True)
def test_a_read_answers_once_the_new_leader_takes_connections(browser, settings, footage_request):
    """No leader for half a second, then one: the read waits it out instead of failing."""
    postgresql_only()
    settings.CCTV_DATABASE_RETRY_SECONDS = 10
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    promoted = threading.Timer(0.5, lambda: connection.settings_dict.__setitem__("PORT", real_port))
    promoted.start()
    try:
        response = browser.get(f"/status/{footage_request.token}/")
    finally:
        promoted.join()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 200
    assert footage_request.reference in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_submission_sent_while_no_leader_answers_waits_for_the_new_one_and_is_stored_once(
    browser, settings, form_page, stations, request_types, caplog
):
    postgresql_only()
    settings.CCTV_DATABASE_RETRY_SECONDS = 10
    url, data = form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()}
    browser.get(url)  # the form page, while there was a leader
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    promoted = threading.Timer(0.6, lambda: connection.settings_dict.__setitem__("PORT", real_port))
    promoted.start()
    try:
        with caplog.at_level(logging.WARNING, logger="cctv.database_failover"):
            response = browser.post(url, data)
    finally:
        promoted.join()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 302
    assert FootageRequest.objects.count() == 1
    assert "POST waited for the database" in caplog.text
    confirmation = browser.get(response["Location"])
    assert FootageRequest.objects.get().reference in confirmation.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_submission_sent_when_no_leader_answers_in_time_gets_the_thai_page_and_nothing_is_stored(
    browser, settings, form_page, stations, request_types
):
    postgresql_only()
    settings.CCTV_DATABASE_RETRY_SECONDS = 1
    url, data = form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()}
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        response = browser.post(url, data)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    assert "อาจยังไม่ได้รับ" in response.content.decode()
    assert FootageRequest.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_submission_cut_off_at_its_last_write_is_not_stored_and_the_citizen_is_told_in_thai(
    browser, monkeypatch, form_page, stations, request_types
):
    """The connection ends just before the outbox row, the transaction's last write: the request row, its
    attachments, its revision and workflow, the files already in private storage and the reference number all go
    with it. Sent again, the request is stored whole under the first number."""
    postgresql_only()
    from workflow.request import services

    storage = storages["private"]
    queue = services.queue_for_applicant

    def cut_off(**kwargs):
        end_own_connection()
        return queue(**kwargs)

    monkeypatch.setattr(services, "queue_for_applicant", cut_off)
    data = valid_post(stations, request_types)
    response = browser.post(form_page.url, {**data, "id_card": id_card_file()})
    assert response.status_code == 503
    page = response.content.decode()
    assert THAI_503 in page and "อาจยังไม่ได้รับ" in page and "เลขที่คำร้อง" in page
    assert response["Retry-After"] == "30"
    assert FootageRequest.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Notification.objects.count() == 0
    assert [path for path in Path(storage.location).rglob("*") if path.is_file()] == []

    monkeypatch.setattr(services, "queue_for_applicant", queue)
    again = browser.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()})
    assert again.status_code == 302
    stored = FootageRequest.objects.get()
    assert stored.reference.endswith("-000001")
    assert stored.attachments.count() == 1
    assert stored.notifications.count() == 1  # the outbox row the first try never wrote


def test_a_failure_that_is_not_the_database_is_left_to_the_500_page():
    assert is_database_unavailable(OperationalError("server closed the connection unexpectedly"))
    try:
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError as error:
            raise RuntimeError("a template tag failed") from error
    except RuntimeError as wrapped:
        assert is_database_unavailable(wrapped)
    assert not is_database_unavailable(ValueError("a bug"))
    assert not is_database_unavailable(None)


class FailingChain:
    """The inner middleware chain as Django's handler reports a failure: the exception signalled through
    got_request_exception, a 500 returned."""

    def __init__(self, failures: int):
        self.failures, self.calls = failures, 0

    def __call__(self, request):
        from django.core.handlers.exception import response_for_exception

        self.calls += 1
        if self.calls <= self.failures:
            try:
                raise OperationalError("could not connect to server: Connection refused")
            except OperationalError as error:
                return response_for_exception(request, error)
        return HttpResponse("answered")


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_safe_request_is_answered_again(settings, method):
    settings.CCTV_DATABASE_RETRY_SECONDS = 5
    chain = FailingChain(failures=2)
    response = DatabaseFailoverMiddleware(chain)(getattr(RequestFactory(), method)("/status/"))
    assert response.status_code == 200 and chain.calls == 3


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_is_never_replayed(settings, method):
    settings.CCTV_DATABASE_RETRY_SECONDS = 5
    chain = FailingChain(failures=1)
    response = DatabaseFailoverMiddleware(chain)(getattr(RequestFactory(), method)("/request/"))
    assert response.status_code == 503 and chain.calls == 1
    assert "อาจยังไม่ได้รับ" in response.content.decode()


def test_a_read_stops_trying_when_its_time_is_up(settings):
    settings.CCTV_DATABASE_RETRY_SECONDS = 0.6
    chain = FailingChain(failures=100)
    response = DatabaseFailoverMiddleware(chain)(RequestFactory().get("/status/"))
    assert response.status_code == 503
    assert chain.calls == 2  # at 0 and 0.25 s: the next, at 0.75 s, would be past the deadline
    assert "อาจยังไม่ได้รับ" not in response.content.decode()
