"""The parts of the benchmark that run inside Django, with the same environment as the server.

prepare OUT_DIR PAYLOADS   sessions, a CSRF pair, solved ALTCHA challenges and request bodies for wrk
queries                    query counts of every page in the targets table (JSON on stdout)
approval                   the query count of one approval
migration                  seconds to apply a schema migration of organisation-keyed tables (rolled back)
times                      wall and CPU milliseconds of each admin page rendered in-process
purge                      erases the expired requests of the purge database and reports the rate
"""

import json
import os
import sys
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.client import encode_multipart  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cctv.stations.models import Station  # noqa: E402
from cctv.thai.dates import format_be_date  # noqa: E402
from tests.factories import altcha_solution, national_id, png_bytes  # noqa: E402
from workflow.request.models import FootageRequest, RequestType  # noqa: E402

VAR = Path(__file__).resolve().parents[1] / "var" / "bench"
BOUNDARY = "BenchBoundary7MA4YWxkTrZu0gW"
PLACEHOLDER = "@@ALTCHA@@"


def manifest() -> dict:
    """The data's manifest. One built before organisations (bench/organisations.py) has no host or usernames: its
    one organisation is on 127.0.0.1, with the demo's staff."""
    path = os.environ.get("BENCH_MANIFEST") or VAR / f"{connection.settings_dict['NAME']}.json"
    data = json.loads(Path(path).read_text())
    data.setdefault("host", "127.0.0.1")
    data.setdefault("organisations", 1)
    data.setdefault("usernames", {"officer": "officer", "head": "head"})
    return data


def session_for(username: str) -> str:
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def submission_fields(csrf_token: str) -> dict:
    station = Station.objects.prefetch_related("cameras").order_by("pk").first()
    today = timezone.localdate()
    signature = "data:image/png;base64," + __import__("base64").b64encode(png_bytes()).decode()
    return {
        "csrfmiddlewaretoken": csrf_token,
        "written_on": format_be_date(today),
        "title": "mr",
        "first_name": "สมศักดิ์",
        "last_name": "ใจดี",
        "national_id": national_id(),
        "age": "40",
        "nationality": "ไทย",
        "address_house_no": "99/1",
        "address_subdistrict": "ศาลา",
        "address_district": "เกาะคา",
        "address_province": "ลำปาง",
        "address_postcode": "52130",
        "phone": "0812345678",
        "request_type": str(RequestType.objects.filter(kind="copy").values_list("pk", flat=True).first()),
        "file_count": "2",
        "station": str(station.pk),
        "cameras": [str(c.pk) for c in station.cameras.all()[:1]],
        "incident_date": format_be_date(today - timedelta(days=2)),
        "incident_time": "14:30",
        "reason": "ต้องการค้นหาของที่สูญหาย",
        "consent": "on",
        "signature": signature,
        "altcha": PLACEHOLDER,
    }


def prepare(out: Path, payloads: int) -> None:
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    out.mkdir(parents=True, exist_ok=True)
    data = manifest()
    secret = _get_new_csrf_string()
    token = _mask_cipher_secret(secret)
    (out / "tokens.txt").write_text("\n".join(data["tokens"]) + "\n")
    # Every POST needs its own solved challenge (a solution is accepted once).
    with (out / "submit-altcha.txt").open("w") as raw, (out / "lookup-altcha.txt").open("w") as quoted:
        for _ in range(payloads):
            raw.write(altcha_solution() + "\n")
            quoted.write(urllib.parse.quote(altcha_solution(), safe="") + "\n")
    lookups = [
        urllib.parse.urlencode({"csrfmiddlewaretoken": token, "national_id": number, "phone": phone})
        for number, _reference, phone in data["lookups"]
    ]
    (out / "lookups.txt").write_text("\n".join(lookups) + "\n")
    fields = submission_fields(token)
    fields["id_card"] = SimpleUploadedFile("id-card.png", png_bytes(size=(640, 400)), "image/png")
    fields["police_report"] = SimpleUploadedFile("report.png", png_bytes(size=(600, 800)), "image/png")
    (out / "submit.body").write_bytes(encode_multipart(BOUNDARY, fields))
    print(
        json.dumps(
            {
                "csrf_cookie": secret,
                "boundary": BOUNDARY,
                "placeholder": PLACEHOLDER,
                "sessions": {role: session_for(username) for role, username in data["usernames"].items()},
            }
        )
    )


def count(client: Client, method: str, url: str, **kwargs) -> dict:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    return {"status": response.status_code, "queries": len(queries)}


def queries() -> None:
    data = manifest()
    # On the measured organisation's host, as its staff (members of it alone): the middleware scopes by both.
    public = Client(HTTP_HOST=data["host"])
    public.get(data["form_url"])  # warm the caches, as a running server has them
    number, reference, phone = data["lookups"][len(data["lookups"]) // 2]
    officer = Client(HTTP_HOST=data["host"])
    officer.force_login(get_user_model().objects.get(username=data["usernames"]["officer"]))
    head = Client(HTTP_HOST=data["host"])
    head.force_login(get_user_model().objects.get(username=data["usernames"]["head"]))
    listing = "/admin/snippets/cctv_workflow/footagerequest/"
    head.get(listing)
    officer.get("/admin/cctv/queue/")
    results = {
        "form": count(public, "get", data["form_url"]),
        "status": count(public, "get", f"/status/{data['tokens'][0]}/"),
        "lookup": count(
            public,
            "post",
            "/status/",
            data={"national_id": number, "phone": phone, "altcha": altcha_solution()},
        ),
        "admin_list": count(head, "get", listing),
        "admin_search_reference": count(head, "get", listing, data={"q": reference}),
        "admin_search_phone": count(head, "get", listing, data={"q": phone}),
        "admin_filter_station": count(head, "get", listing, data={"station": data["station"]}),
        "work_queue": count(officer, "get", "/admin/cctv/queue/"),
    }
    results.update(approval_action())
    print(json.dumps(results))


def page_times(renders: int = 15) -> None:
    """Each admin page rendered in-process by its staff on its host: the median wall time and the median CPU time
    of this process (which other work on a shared machine changes less than the wall time), in milliseconds."""
    data = manifest()
    _number, reference, phone = data["lookups"][len(data["lookups"]) // 2]
    listing = "/admin/snippets/cctv_workflow/footagerequest/"
    pages = {
        "admin_list": ("head", listing, {}),
        "admin_search_reference": ("head", listing, {"q": reference}),
        "admin_search_phone": ("head", listing, {"q": phone}),
        "admin_filter_station": ("head", listing, {"station": data["station"]}),
        "work_queue": ("officer", "/admin/cctv/queue/", {}),
    }
    clients = {}
    for role in ("head", "officer"):
        clients[role] = Client(HTTP_HOST=data["host"])
        clients[role].force_login(get_user_model().objects.get(username=data["usernames"][role]))
    results = {}
    for name, (role, url, query) in pages.items():
        clients[role].get(url, query)  # warm
        walls, cpus = [], []
        for _ in range(renders):
            wall, cpu = time.perf_counter(), time.process_time()
            assert clients[role].get(url, query).status_code == 200
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        results[name] = {
            "wall_ms": round(sorted(walls)[renders // 2], 1),
            "cpu_ms": round(sorted(cpus)[renders // 2], 1),
        }
    print(json.dumps(results))


def approval_action() -> dict:
    """One approval through the service the admin's action calls, on a request in the big table."""
    from workflow.approval.services import approve_step

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    officer = get_user_model().objects.get(username=manifest()["usernames"]["officer"])
    from workflow.approval.models import ApprovalTask

    waiting = FootageRequest.objects.filter(
        current_task__in=ApprovalTask.objects.filter(groups__user=officer), organisation__members=officer
    )
    footage_request = waiting.order_by("-pk").first()
    task_state = footage_request.current_workflow_task_state if footage_request else None
    if task_state is None:
        return {"approval": {"status": "no task waiting for the officer", "queries": None}}
    with CaptureQueriesContext(connection) as captured:
        approve_step(task_state=task_state, user=officer, comment="bench")
    return {"approval": {"status": "approved", "queries": len(captured), "mails_sent": len(mail.outbox)}}


def migration(repeats: int = 7) -> None:
    """A deploy's schema migration on the tables that carry the organisation key: a new nullable column on the
    requests, a column with a default on the stations, a longer name on the request types, an index leading with the
    organisation on the stations. Applied with Django's migration operations in a transaction that is rolled back,
    so the database stays as built; the median of a few runs."""
    from django.db import migrations, models, transaction
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    leaves = {app: loader.graph.leaf_nodes(app)[0] for app in ("cctv_workflow", "cctv_stations")}
    state = loader.project_state(list(leaves.values()))

    def operations():
        return [
            ("cctv_workflow", migrations.AddField("footagerequest", "bench_note", models.TextField(null=True))),
            ("cctv_stations", migrations.AddField("station", "bench_flag", models.BooleanField(default=True))),
            (
                "cctv_workflow",
                migrations.AlterField("requesttype", "name_th", models.CharField(max_length=120)),
            ),
            (
                "cctv_stations",
                migrations.AddIndex(
                    "station", models.Index(fields=["organisation", "sort_order"], name="bench_station_order")
                ),
            ),
        ]

    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        with transaction.atomic():
            with connection.schema_editor(atomic=False) as editor:
                current = state.clone()
                for app, operation in operations():
                    after = current.clone()
                    operation.state_forwards(app, after)
                    operation.database_forwards(app, editor, current, after)
                    current = after
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        runs.append(round(seconds, 4))
    print(json.dumps({"seconds": sorted(runs)[len(runs) // 2], "runs": runs}))


def purge() -> None:
    from wagtail.models import ModelLogEntry, Revision

    from workflow.privacy.retention import erase_requests, expired_requests

    expired = expired_requests()
    total = expired.count()
    revisions_before = Revision.objects.count()
    started = time.perf_counter()
    erased = erase_requests(queryset=expired)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "expired": total,
                "erased": erased,
                "seconds": round(seconds, 3),
                "per_second": round(erased / seconds, 1) if seconds else None,
                "revisions_removed": revisions_before - Revision.objects.count(),
                "requests_left": FootageRequest.objects.count(),
                "log_entries_naming_people": ModelLogEntry.objects.filter(data__has_key="national_id").count(),
            }
        )
    )


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "prepare":
        prepare(Path(sys.argv[2]), int(sys.argv[3]))
    elif command == "queries":
        queries()
    elif command == "purge":
        purge()
    elif command == "approval":
        print(json.dumps(approval_action()))
    elif command == "migration":
        migration()
    elif command == "times":
        page_times()
    else:
        sys.exit(__doc__)
