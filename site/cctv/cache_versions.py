"""Versioned cache keys: a read puts the current version of a family in its key, and an edit bumps the
version, so every entry of the family is forgotten at once, in every process sharing the cache."""

from django.core.cache import cache


def current(family: str) -> int:
    return cache.get_or_set(f"cctv:{family}:version", 1, None)


def bump(family: str) -> None:
    key = f"cctv:{family}:version"
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (evicted or never read): any new number will do
        cache.set(key, 2, None)
