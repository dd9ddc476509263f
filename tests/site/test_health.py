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
