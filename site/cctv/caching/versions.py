"""Versioned cache keys: a read puts the current version of a family in its key, and an edit bumps the
version, so every entry of the family is forgotten at once, in every process sharing the cache.

Each process remembers a version for up to a second, so a page view does not ask Redis for every family
again: an edit shows at once in the process that made it and within a second everywhere else. A version
that has to be created anew (the cache was emptied) starts from the clock, so it never repeats an old one.
"""

import time

from django.core.cache import cache

MEMO_SECONDS = 1.0
_memo: dict[str, tuple[float, int]] = {}


def _key(family: str) -> str:
    return f"cctv:{family}:version"


def _fresh() -> int:
    return time.time_ns() // 1000


def current(family: str) -> int:
    now = time.monotonic()
    remembered = _memo.get(family)
    if remembered is not None and now - remembered[0] < MEMO_SECONDS:
        return remembered[1]
    version = cache.get_or_set(_key(family), _fresh, None)
    _memo[family] = (now, version)
    return version


def bump(family: str) -> None:
    try:
        version = cache.incr(_key(family))
    except ValueError:  # not in the cache (evicted or never read): a number never used before
        version = _fresh()
        cache.set(_key(family), version, None)
    _memo[family] = (time.monotonic(), version)


def forget_memo() -> None:
    """For tests that empty the cache between them."""
    _memo.clear()
