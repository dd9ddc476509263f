"""One way to read through the cache, and one way to name what is kept there.

``cached(key, seconds, load)`` returns the value kept under ``key``, or loads, keeps and returns it.
``cache_key(name, *parts, families=...)`` names an entry by the release, the current version of each family whose
edits must forget it (versions.py) and the parts that tell entries apart. Values are pickles, and a pickle names
the module of each class in it: after a deploy that moved, renamed or changed a class, an old entry would fail to
load or load wrong. The release is in every key, so a deploy starts on fresh keys.
"""

import hashlib
import sys
from collections.abc import Callable, Iterable
from functools import cache as memoize
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache

from cctv.caching import versions

T = TypeVar("T")


def cached(key: str, seconds: int, load: Callable[[], T]) -> T | None:
    """The value under ``key``, else ``load()``'s, kept for ``seconds``. A None from ``load`` is returned and not
    kept (there is nothing to keep: the next call loads again)."""
    value = cache.get(key)
    if value is None:
        value = load()
        if value is not None:
            cache.set(key, value, seconds)
    return value


def cache_key(name: str, *parts: object, families: tuple[str, ...] = ()) -> str:
    version = ".".join(str(versions.current(family)) for family in families)
    return ":".join(["cctv", release(), name, version, *(str(part) for part in parts)])


def fingerprint(files: Iterable[Path], base: Path) -> str:
    """Changes when a file is added, removed, moved or edited (files are named relative to ``base``)."""

    def name(path: Path) -> str:
        return (path.relative_to(base) if path.is_relative_to(base) else path).as_posix()

    digest = hashlib.sha256()
    for path in sorted(files, key=name):
        digest.update(name(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _first_party_roots(base: Path) -> set[Path]:
    """The top-level package folder of each installed app of the project (not those in the virtualenv)."""
    roots = set()
    for app in apps.get_app_configs():
        depth = app.name.count(".")
        root = Path(app.path).parents[depth - 1] if depth else Path(app.path)
        if root.is_relative_to(base) and not root.is_relative_to(sys.prefix):
            roots.add(root)
    return roots


def release_files() -> list[Path]:
    """What a deploy changes and a cached value depends on: the project's code, templates, compiled
    translations and the static files' manifest (the hashed names are in cached pages)."""
    base = Path(settings.BASE_DIR)
    files = [path for root in _first_party_roots(base) for path in root.rglob("*.py")]
    for engine in settings.TEMPLATES:
        files += [path for folder in engine.get("DIRS", ()) for path in Path(folder).rglob("*") if path.is_file()]
    files += [path for folder in settings.LOCALE_PATHS for path in Path(folder).rglob("*.mo")]
    if settings.STATIC_ROOT:
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.is_file():
            files.append(manifest)
    return files


@memoize
def release() -> str:
    """Once per process: reading the files takes a few milliseconds."""
    return fingerprint(release_files(), Path(settings.BASE_DIR))
