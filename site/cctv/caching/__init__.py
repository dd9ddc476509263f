"""The project's caching; it imports none of the project's apps (layer contract in make lint)."""

from cctv.caching.readthrough import cache_key, cached, release

__all__ = ["cache_key", "cached", "release"]
