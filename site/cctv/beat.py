"""Celery beat that sends each periodic job once in the cluster, however many beat processes run (ADR 0018).

The schedule lives in the database (django-celery-beat), so when one beat stops another carries on from the
last run written there instead of from its own memory. Only the beat holding a Redis lock sends anything: the
others keep the lock's key under watch and take over within LOCK_SECONDS of the holder's death. With a broker
that is not Redis (dev's memory://) there is no cluster to share, and the one process always leads.
"""

import logging
import uuid

import redis
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

LOCK_KEY = "cctv:beat:leader"
LOCK_SECONDS = 60
# Renew well before the lock expires, so that a slow tick cannot let a second beat in.
RENEW_EVERY = LOCK_SECONDS / 4

# Extends the lock only for its owner: compare and set in one step.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""


class LeaderLock:
    """A Redis key with a TTL that names the one beat allowed to send; renewed on every tick while held."""

    def __init__(self, client: redis.Redis, key: str = LOCK_KEY, seconds: int = LOCK_SECONDS):
        self.client, self.key, self.milliseconds = client, key, int(seconds * 1000)
        self.token = uuid.uuid4().hex
        self._renew = client.register_script(_RENEW)

    def hold(self) -> bool:
        """True while this process leads: renews its lock, or takes a free one."""
        if self._renew(keys=[self.key], args=[self.token, self.milliseconds]):
            return True
        return bool(self.client.set(self.key, self.token, nx=True, px=self.milliseconds))

    def release(self) -> None:
        if self.client.get(self.key) == self.token.encode():
            self.client.delete(self.key)


def lock_for(broker_url: str) -> LeaderLock | None:
    if broker_url.startswith(("redis://", "rediss://", "unix://")):
        return LeaderLock(redis.Redis.from_url(broker_url, socket_timeout=5))
    return None


class SingleBeatScheduler(DatabaseScheduler):
    """DatabaseScheduler that ticks only while it holds the leader lock."""

    def __init__(self, *args, **kwargs):
        self.lock = lock_for(kwargs["app"].conf.broker_url or "")
        self.leading = self.lock is None
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        if self.lock is not None:
            try:
                leading = self.lock.hold()
            except redis.RedisError:
                # Cannot tell whether another beat leads: send nothing (the broker is that Redis, so jobs
                # could not be queued now anyway).
                logger.warning("beat: Redis unreachable, not sending periodic jobs")
                leading = False
            if leading and not self.leading:
                logger.info("beat: took the lead")
                self._initial_read = True  # read last runs from the database, written by the previous leader
            elif self.leading and not leading:
                logger.warning("beat: lost the lead")
            self.leading = leading
            if not leading:
                return RENEW_EVERY
        return min(super().tick(*args, **kwargs), RENEW_EVERY)

    def reserve(self, entry):
        # DatabaseScheduler keeps the entry as it was before this run in its schedule; when the heap is rebuilt
        # from that schedule (it is, on the tick after a reload), the job just sent looks due again and goes
        # twice. Keep the next entry, as Celery's own Scheduler.reserve does.
        new_entry = super().reserve(entry)
        self._schedule[entry.name] = new_entry
        return new_entry

    def close(self):
        super().close()
        if self.lock is not None and self.leading:
            try:
                self.lock.release()
            except redis.RedisError:
                pass  # the lock expires by itself
