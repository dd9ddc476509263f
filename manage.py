#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    root = Path(__file__).resolve().parent
    # site/ holds the project package, so it goes on the path for "import cctv". It is a plain folder, not a
    # package: Python loads the standard library's "site" at start-up, so a package of that name cannot be
    # imported (docs/decisions/0008-site-folder-and-app-labels.md).
    sys.path.insert(0, str(root / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cctv.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
