"""Two beat processes against one Redis and one database send each periodic job once (ADR 0018).

A real redis-server on a free loopback port holds the leader lock; the schedule and its last runs are
django-celery-beat's rows, whose total_run_count counts the jobs sent (beat sends by name, to the in-memory
broker here). DatabaseScheduler closes old database connections as it ticks, which would end a test
transaction: these tests use transactional_db.
"""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cctv.beat import LOCK_KEY, LeaderLock, SingleBeatScheduler, lock_for
from cctv.celery import app
from tests.site.test_redis_outage import RedisServer


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.kill()


def beat(server: RedisServer) -> SingleBeatScheduler:
    scheduler = SingleBeatScheduler(app=app)
    scheduler.lock = LeaderLock(server.client, seconds=30)
    scheduler.leading = False
    return scheduler


def runs() -> dict[str, int]:
    return dict(
        PeriodicTask.objects.filter(name__in=settings.CELERY_BEAT_SCHEDULE).values_list("name", "total_run_count")
    )


def tick_all(*schedulers, times: int = 12) -> None:
    for _ in range(times):
        for scheduler in schedulers:
            scheduler.tick()


def test_beat_schedule_is_copied_into_the_database(transactional_db):
    SingleBeatScheduler(app=app).close()
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert tasks[name] == entry["task"]


def test_two_beats_send_each_due_job_once(transactional_db, redis_server):
    first, second = beat(redis_server), beat(redis_server)
    PeriodicTask.objects.filter(name__in=settings.CELERY_BEAT_SCHEDULE).update(
        last_run_at=timezone.now() - datetime.timedelta(days=2)
    )
    for scheduler in (first, second):
        scheduler._initial_read = True  # as at start: both read the overdue rows

    tick_all(first, second)

    assert first.leading and not second.leading
    assert runs() == dict.fromkeys(settings.CELERY_BEAT_SCHEDULE, 1)
    assert redis_server.client.get(LOCK_KEY) == first.lock.token.encode()

    # The leader stops; the other takes over and, reading the last runs the first wrote, sends nothing again.
    first.close()
    assert redis_server.client.get(LOCK_KEY) is None
    tick_all(second)
    assert second.leading
    assert runs() == dict.fromkeys(settings.CELERY_BEAT_SCHEDULE, 1)


def test_a_dead_leaders_lock_expires_and_another_takes_over(redis_server):
    dead = LeaderLock(redis_server.client, seconds=1)
    other = LeaderLock(redis_server.client, seconds=1)
    assert dead.hold() and dead.hold()  # takes, then renews
    assert not other.hold()
    assert 0 < redis_server.client.pttl(LOCK_KEY) <= 1000
    time.sleep(1.2)  # the holder stopped renewing; its TTL runs out
    assert other.hold()
    assert not dead.hold()  # it cannot renew a lock another now holds
    dead.release()  # and releasing is a no-op for it
    assert redis_server.client.get(LOCK_KEY) == other.token.encode()


def test_beat_with_redis_unreachable_sends_nothing(transactional_db):
    scheduler = SingleBeatScheduler(app=app)
    scheduler.lock = lock_for("redis://127.0.0.1:1/0")
    scheduler.leading = False
    PeriodicTask.objects.update(last_run_at=timezone.now() - datetime.timedelta(days=2))
    scheduler._initial_read = True
    before = runs()
    tick_all(scheduler, times=3)
    assert not scheduler.leading
    assert runs() == before


def test_without_redis_the_one_beat_leads():
    assert lock_for("memory://") is None
    assert isinstance(lock_for("redis://127.0.0.1:6379/0"), LeaderLock)
