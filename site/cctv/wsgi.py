import os
import sys
from pathlib import Path

# site/ is a plain folder (a package named "site" would shadow the standard library's).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cctv.settings.production")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
