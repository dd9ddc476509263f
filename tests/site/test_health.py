def test_health_reports_each_dependency(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["healthy"] is True
    assert set(body["checks"]) == {"database", "cache", "broker", "storage"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_answers_503_when_the_database_is_gone(client, db, monkeypatch):
    from cctv import health

    def broken_cursor():
        raise ConnectionError("database down")

    fake_connection = type("Connection", (), {"cursor": staticmethod(broken_cursor)})
    monkeypatch.setattr(health, "connection", fake_connection)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "ConnectionError"}


def test_health_checks_a_real_broker_when_celery_is_not_eager_and_reports_it_degraded(client, db, settings):
    """The outbox keeps every message while the broker is down: the server keeps serving, so it stays in rotation."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from cctv.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["broker"]["ok"] is False
    assert (body["healthy"], body["degraded"]) == (True, True)


def test_liveness_checks_nothing_but_the_process_and_readiness_everything(
    client, db, monkeypatch, django_assert_num_queries
):
    from cctv import health

    def broken_cursor():
        raise ConnectionError("database down")

    monkeypatch.setattr(health, "connection", type("Connection", (), {"cursor": staticmethod(broken_cursor)}))
    # A database outage is not mended by restarting the process: the liveness probe stays 200.
    with django_assert_num_queries(0):
        live = client.get("/health/live/")
    assert (live.status_code, live.json()) == (200, {"live": True})
    assert live["Cache-Control"].startswith("max-age=0")
    ready = client.get("/health/ready/")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"]["ok"] is False
