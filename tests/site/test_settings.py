"""The settings keep their own rules: the environment read in base.py only, one list of periodic jobs."""

import ast
from pathlib import Path

import pytest
from celery import Task
from django.conf import settings
from django.utils.module_loading import import_string

SETTINGS = Path(__file__).resolve().parents[2] / "site" / "cctv" / "settings"


def _environment_reads(tree: ast.AST) -> list[str]:
    """Every read of the environment, except ``os.environ.setdefault(...)`` (a default for base.py to read)."""
    allowed = {
        id(node.func.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setdefault"
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "environ"
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and id(node) not in allowed:
            found.append(f"line {node.lineno}: os.{node.attr}")
        elif isinstance(node, ast.Name) and node.id == "env":
            found.append(f"line {node.lineno}: env")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
            names = [alias.asname or alias.name for alias in node.names]
            if "environ" in modules or "env" in names:
                found.append(f"line {node.lineno}: import of the environment reader")
    return found


@pytest.mark.parametrize("name", ["dev", "test", "production", "bench"])
def test_only_base_reads_the_environment(name):
    tree = ast.parse((SETTINGS / f"{name}.py").read_text())
    assert _environment_reads(tree) == []


def test_the_check_sees_a_read_of_the_environment():
    tree = ast.parse('import os\nfrom cctv.settings.base import env\nX = env.bool("X")\nY = os.environ["Y"]\n')
    assert len(_environment_reads(tree)) == 3
    assert _environment_reads(ast.parse('import os\nos.environ.setdefault("X", "1")\n')) == []


def _schedule_writes(tree: ast.AST) -> list[ast.AST]:
    writes = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            named = target.value if isinstance(target, ast.Subscript) else target
            if isinstance(named, ast.Name) and named.id == "CELERY_BEAT_SCHEDULE":
                writes.append(node)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "CELERY_BEAT_SCHEDULE"
        ):
            writes.append(node)
    return writes


def test_every_periodic_job_is_in_one_schedule_in_base():
    writes = {
        name: _schedule_writes(ast.parse((SETTINGS / f"{name}.py").read_text()))
        for name in ("base", "dev", "test", "production", "bench")
    }
    assert len(writes.pop("base")) == 1
    assert writes == {"dev": [], "test": [], "production": [], "bench": []}
    base = ast.parse((SETTINGS / "base.py").read_text())
    (assignment,) = _schedule_writes(base)
    assert isinstance(assignment.value, ast.Dict)


def test_every_scheduled_job_is_a_celery_task():
    assert len(settings.CELERY_BEAT_SCHEDULE) == 4
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = import_string(entry["task"])
        assert isinstance(task, Task) and task.name == entry["task"]


def test_workflow_is_installed_after_wagtail_admin():
    """workflow's ready() disconnects the e-mail handlers wagtail.admin's ready() connects."""
    apps = settings.INSTALLED_APPS
    assert apps.index("workflow") > apps.index("wagtail.admin")
    assert apps.index("wagtail.admin") < apps.index("django.contrib.admin")
