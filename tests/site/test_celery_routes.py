"""Each project task goes to the queue its worker unit consumes (deploy/cctv-worker@.service, one per queue).

A task added without a route would land on "default" unnoticed; the second test fails for it instead.
"""

import pytest
from django.conf import settings

from cctv.celery import app

PROJECT_MODULES = ("cctv.", "forms.", "workflow.")

EXPECTED = {
    "workflow.tasks.deliver_notification": "notifications",
    "workflow.tasks.deliver_pending_notifications": "notifications",
    "workflow.tasks.notify_footage_at_risk": "notifications",
    "cctv.two_factor.tasks.send_password_reset": "notifications",
    "forms.tasks.purge_staged_uploads": "media",
    "workflow.tasks.purge_expired_requests": "media",
}


def project_tasks() -> list[str]:
    app.loader.import_default_modules()  # what a worker imports at start: every app's tasks module
    return sorted(name for name in app.tasks if name.startswith(PROJECT_MODULES))


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


@pytest.mark.parametrize(("name", "queue"), sorted(EXPECTED.items()))
def test_task_goes_to_its_queue(name, queue):
    assert name in project_tasks()
    assert queue_of(name) == queue


def test_every_project_task_has_an_explicit_route():
    tasks = project_tasks()
    assert set(EXPECTED) <= set(tasks)
    unrouted = [name for name in tasks if name not in settings.CELERY_TASK_ROUTES]
    assert unrouted == []
    for name in tasks:
        assert settings.CELERY_TASK_ROUTES[name]["queue"] in settings.CCTV_CELERY_QUEUES, name


def test_unknown_task_goes_to_default():
    assert queue_of("somewhere.else.task") == "default"


def test_periodic_jobs_are_routed_project_tasks():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in settings.CELERY_TASK_ROUTES


def test_eager_mode_still_runs_a_routed_task(db):
    """Tests and dev run tasks in the process; routing must not change that."""
    from workflow.tasks import deliver_pending_notifications

    assert app.conf.task_always_eager
    assert deliver_pending_notifications.delay().get() == 0


def test_a_worker_without_queues_consumes_all_three():
    """dev and tests/integration start one `celery worker` with no --queues: it must serve every queue."""
    consumed = app.amqp.queues.consume_from
    assert sorted(consumed) == sorted(settings.CCTV_CELERY_QUEUES)
