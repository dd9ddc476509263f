"""A fresh clone has no var/: the development settings make the folders they point into, so the first
`manage.py migrate` works, and say clearly which folder cannot be made."""

import shutil
from pathlib import Path

from tests.manage_process import run_manage

ROOT = Path(__file__).resolve().parents[2]
# What `manage.py migrate` loads: the project package and the two apps (templates, static files and translations
# are not read by it).
TREE = ("manage.py", "site", "forms", "workflow")


def _environment(home: Path, **extra) -> dict:
    """The development settings' own defaults: none of the suite's variables (DATABASE_URL, MEDIA_ROOT, ...)."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **extra}


def test_migrate_in_a_fresh_clone_makes_var(tmp_path):
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in TREE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, clone / name, ignore=shutil.ignore_patterns("__pycache__", "var"))
        else:
            shutil.copy2(source, clone / name)
    assert not (clone / "var").exists()

    result = run_manage("migrate", "contenttypes", "--no-input", cwd=clone, env=_environment(tmp_path))

    assert result.returncode == 0, result.stderr[-2000:]
    assert (clone / "var" / "db.sqlite3").is_file()
    assert (clone / "var" / "media").is_dir()
    assert (clone / "var" / "private").is_dir()


def test_a_folder_that_cannot_be_made_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_manage(
        "check",
        env=_environment(
            tmp_path,
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            MEDIA_ROOT=str(blocker / "media"),
            PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        ),
    )
    assert result.returncode != 0
    assert f"MEDIA_ROOT: the folder {blocker / 'media'} does not exist and cannot be created" in result.stderr
