"""`make drill` (issue #15): build the cluster of deploy/cluster/ on this machine (bench/drill_cluster.py), drive
real load through it, kill its parts one after another, and count what was lost.

Load, for LOAD_SECONDS: citizens submitting the request form with two attachments and a drawn signature (the
whole form, through HAProxy's web port: the form page, the POST, the confirmation with the reference), citizens
opening their status pages, and an officer approving the first step of waiting requests (in this process, through
HAProxy's database port, as the admin's action does). Every request is written to the load log (var/drill).

Faults, in order: the PostgreSQL leader (Patroni and PostgreSQL killed together), one web node, the Redis master
(restarted FAULT_GAP seconds later: a VM coming back, which Sentinel makes a replica), one Celery worker.

Then it counts, from the database, the object store, the SMS provider's and the mail folder's own records and the
load log: every submission that got a reference is stored with its files; no reference twice; every
notification delivered exactly once; the longest window of failed requests after each fault. Throughput with one
web node and with two is measured first, in the same run, with wrk on the form page.
"""

import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import drill_cluster as c

ROOT = c.ROOT
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

LOAD_SECONDS = 150
FAULT_AT = {"postgres leader": 25, "web node": 65, "redis master": 90, "worker": 120}
FAULT_GAP = 12  # the Redis VM comes back after this long
SUBMITTERS = 4
VIEWERS = 2
OUTAGE_BUDGET = 30
TWO_NODES_AT_LEAST = 1.6
SMS_PORT = 9391
BUCKET = "cctv-drill-private"


def say(message: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


class Provider(BaseHTTPRequestHandler):
    """The SMS provider, keeping its side of workflow/notifications/sms.py: one message per Idempotency-Key."""

    messages: dict = {}
    posts = 0
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers["Idempotency-Key"]
        with Provider.lock:
            Provider.posts += 1
            Provider.messages.setdefault(key, body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(json.dumps({"id": key}).encode())

    def log_message(self, *args):
        pass


def django_env() -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import common

    env = common.django_env("cctv")
    env.update(
        DATABASE_URL=f"postgres://cctv:{c.APP_PASSWORD}@{c.HAPROXY_DB}/cctv",
        DATABASE_CONNECT_TIMEOUT="3",
        CACHE_URL=c.sentinel_url(1),
        CELERY_BROKER_URL=c.sentinel_url(2),
        CELERY_TASK_ALWAYS_EAGER="false",
        REDIS_SENTINEL_MASTER="cctv",
        CCTV_PRIVATE_STORAGE="s3",
        CCTV_S3_BUCKET=BUCKET,
        CCTV_S3_ENDPOINT_URL=f"http://127.0.0.1:{c.S3_PORT}",
        CCTV_S3_REGION="ap-southeast-1",
        CCTV_S3_ACCESS_KEY_ID="drill",
        CCTV_S3_SECRET_ACCESS_KEY="drill-secret",
        CCTV_SMS_BACKEND="workflow.notifications.sms.HttpGateway",
        CCTV_SMS_URL=f"http://127.0.0.1:{SMS_PORT}/send",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(c.VAR / "mail"),
        # Rows a killed worker left "sending" are sent again (same key) by the periodic job after this long.
        CCTV_NOTIFICATION_SENDING_TIMEOUT="20",
        CCTV_NOTIFICATION_RETRY_BACKOFF="2",
        CCTV_PUBLIC_BASE_URL=c.WEB_BALANCER,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(c.VAR / "media"),
        STATIC_ROOT=str(c.VAR / "static"),
    )
    return env


def make_database() -> None:
    import psycopg

    node = c.leader()
    with psycopg.connect(
        host=c.ip(node), port=5432, user="postgres", password=c.SECRETS["PATRONI_SUPERUSER_PASSWORD"], dbname="postgres"
    ) as connection:
        connection.autocommit = True
        connection.execute(f"CREATE ROLE cctv LOGIN PASSWORD '{c.APP_PASSWORD}'")
        connection.execute("CREATE DATABASE cctv OWNER cctv")
    with psycopg.connect(
        host=c.ip(node), port=5432, user="postgres", password=c.SECRETS["PATRONI_SUPERUSER_PASSWORD"], dbname="cctv"
    ) as connection:
        connection.autocommit = True
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def manage(env: dict, *args: str) -> None:
    log = (c.VAR / "logs" / "manage.log").open("ab")
    subprocess.run([c.PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, stdout=log, stderr=log)


def make_bucket(env: dict) -> None:
    import boto3

    boto3.client(
        "s3",
        endpoint_url=env["CCTV_S3_ENDPOINT_URL"],
        region_name=env["CCTV_S3_REGION"],
        aws_access_key_id="drill",
        aws_secret_access_key="drill-secret",
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": env["CCTV_S3_REGION"]})


def seed_organisation() -> dict:
    """The municipality on the balancer's address, a station with two cameras, and its officer."""
    from django.contrib.auth import get_user_model

    from cctv.roles import setup_roles
    from cctv.stations.models import Camera, Station
    from forms.organisation import create_organisation
    from workflow.constants import RequestKind
    from workflow.request.models import RequestType

    setup = create_organisation(host="127.0.0.1", port=8100, name="เทศบาลเมืองซ้อมระบบ", phone="054-000000")
    organisation = setup.organisation
    station = Station.objects.create(
        organisation=organisation, code="drill-1", name_th="สี่แยกซ้อมระบบ", name_en="Drill junction"
    )
    for n in (1, 2):
        Camera.objects.create(station=station, code=f"D{n}", name=f"กล้อง {n}")
    officer = get_user_model().objects.create_user("drill-officer")
    officer.groups.add(setup_roles()["officer"])
    organisation.members.add(officer)
    request_type = RequestType.objects.select_related("workflow").get(organisation=organisation, kind=RequestKind.COPY)
    first_step = request_type.workflow.workflow_tasks.order_by("sort_order").first().task_id
    return {"station": station.pk, "request_type": request_type.pk, "officer": officer.pk, "first_step": first_step}


class LoadLog:
    def __init__(self, path: Path, started: float):
        self.path, self.started = path, started
        self.rows: list[dict] = []
        self.lock = threading.Lock()
        self.tokens: list[str] = []
        # The (made-up) ID numbers of submissions sent but never shown a reference; kept out of the log's file.
        self.unconfirmed: list[str] = []

    def add(self, kind: str, begun: float, ok: bool, answer=None, **extra) -> None:
        """One request of the load; a failed ``answer`` is kept as its status and whether it was the site's Thai
        page (Django's or the balancer's) or something else (an English page, a stack trace)."""
        row = {"kind": kind, "t": round(begun - self.started, 3), "end": round(time.monotonic() - self.started, 3)}
        row.update(ok=ok, **extra)
        if answer is not None and not ok:
            row.update(status=answer.status_code, thai_page=THAI_PAGE in answer.text)
        with self.lock:
            self.rows.append(row)

    def write(self) -> None:
        self.path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in self.rows) + "\n")


THAI_PAGE = '<html lang="th">'
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"data-reference>\s*([A-Z0-9]+-\d{4}-\d+)\s*<")
STATUS_LINK = re.compile(r'href="/status/([^/"]+)/"')


def submission_fields() -> dict:
    """The answers of bench/inside.py's submissions (its database has one station and one organisation too), read
    once before the load: during a failover the load itself must not need the database."""
    import inside

    fields = inside.submission_fields("")
    del fields["csrfmiddlewaretoken"], fields["altcha"], fields["signature"]
    return fields


class Citizen:
    """A phone's browser on https:// (the balancer ends TLS on the VMs; here the load reaches it in plain HTTP):
    it sends back the site's cookies, which are Secure, and the Referer Django's CSRF check wants over HTTPS."""

    def __init__(self):
        self.session = requests.Session()
        self.cookies: dict[str, str] = {}
        self.headers = {"Referer": c.WEB_BALANCER.replace("http://", "https://") + "/request/"}

    def _kept(self, response):
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, url: str, **kwargs):
        return self._kept(self.session.get(url, cookies=self.cookies, headers=self.headers, **kwargs))

    def post(self, url: str, **kwargs):
        return self._kept(self.session.post(url, cookies=self.cookies, headers=self.headers, **kwargs))


def submitter(log: LoadLog, files: dict, until: float) -> None:
    from tests.factories import altcha_solution, national_id

    form = f"{c.WEB_BALANCER}/request/"
    while time.monotonic() < until:
        begun = time.monotonic()
        session = Citizen()
        step, number = "form", national_id(f"{random.randrange(1, 9)}{random.randrange(10**10, 10**11)}")
        try:
            page = session.get(form, timeout=15)
            token = CSRF.search(page.text)
            if page.status_code != 200 or not token:
                log.add("submit", begun, False, page, step="form")
                continue
            step = "post"
            data = {
                **files["fields"],
                "national_id": number,
                "altcha": altcha_solution(),
                "csrfmiddlewaretoken": token.group(1),
                "signature": files["signature"],
            }
            upload = {
                "id_card": ("id-card.png", files["id_card"], "image/png"),
                "police_report": ("report.png", files["report"], "image/png"),
            }
            sent = session.post(form, data=data, files=upload, timeout=30, allow_redirects=False)
            if sent.status_code != 302:
                log.add("submit", begun, False, sent, step="post")
                log.unconfirmed.append(number)
                time.sleep(1)  # a citizen reads the page, goes back and sends again
                continue
            step = "confirmation"
            shown = session.get(c.WEB_BALANCER + sent.headers["Location"], timeout=15)
            reference, link = REFERENCE.search(shown.text), STATUS_LINK.search(shown.text)
            if shown.status_code != 200 or not reference:
                log.add("submit", begun, False, shown, step="confirmation")
                log.unconfirmed.append(number)
                continue
            log.add("submit", begun, True, reference=reference.group(1))
            if link:
                with log.lock:
                    log.tokens.append(link.group(1))
        except requests.RequestException as error:
            log.add("submit", begun, False, error=type(error).__name__, step=step)
            if step != "form":
                log.unconfirmed.append(number)
            time.sleep(0.2)


def viewer(log: LoadLog, until: float) -> None:
    session = Citizen()
    while time.monotonic() < until:
        with log.lock:
            token = random.choice(log.tokens) if log.tokens else None
        if token is None:
            time.sleep(0.5)
            continue
        begun = time.monotonic()
        try:
            page = session.get(f"{c.WEB_BALANCER}/status/{token}/", timeout=30)
            log.add("status", begun, page.status_code == 200, page)
        except requests.RequestException as error:
            log.add("status", begun, False, error=type(error).__name__)
            time.sleep(0.2)
        time.sleep(0.1)


def approver(log: LoadLog, seed: dict, until: float) -> None:
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, connection

    from workflow.approval.services import approve_step
    from workflow.request.models import FootageRequest

    officer = None
    while time.monotonic() < until:
        begun = time.monotonic()
        try:
            officer = officer or get_user_model().objects.get(pk=seed["officer"])
            waiting = (
                FootageRequest.objects.filter(current_task_id=seed["first_step"], public_status="pending")
                .order_by("pk")
                .first()
            )
            if waiting is None:
                time.sleep(1)
                continue
            approve_step(task_state=waiting.current_workflow_task_state, user=officer, comment="")
            log.add("approve", begun, True, reference=waiting.reference)
        except DatabaseError as error:
            log.add("approve", begun, False, error=type(error).__name__)
            connection.close()
            time.sleep(0.5)
        time.sleep(0.5)


def wrk_rate(url: str, seconds: int = 8) -> float:
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def throughput() -> tuple[float, float]:
    """The form page (cached whole: the middleware, the session and the cache, as every public page costs) with
    one web node and with two behind HAProxy, alternated three times; medians."""
    one, two = [], []
    for _ in range(3):
        one.append(wrk_rate(f"http://127.0.0.1:{c.WEB_PORTS[1]}/request/"))
        two.append(wrk_rate(f"{c.WEB_BALANCER}/request/"))
    return statistics.median(one), statistics.median(two)


# Failed requests less than this far apart are one window of failure; a window that begins this soon after a
# fault is the fault's and counts from the kill.
WINDOW_GAP = 1.0
CAUSED_WITHIN = 5.0


def outages(rows: list[dict], faults: dict[str, float], end: float) -> dict[str, float]:
    """Per fault, its longest window of failed requests (0: none failed). A window belongs to the last fault
    before it ended; one that began within CAUSED_WITHIN of that kill counts from the kill."""
    windows: list[list[float]] = []
    for row in sorted((r for r in rows if not r["ok"]), key=lambda r: r["t"]):
        if windows and row["t"] <= windows[-1][1] + WINDOW_GAP:
            windows[-1][1] = max(windows[-1][1], row["end"])
        else:
            windows.append([row["t"], row["end"]])
    found = dict.fromkeys(faults, 0.0)
    for start, stop in windows:
        before = [(at, name) for name, at in faults.items() if at <= stop]
        if not before:
            continue  # before the first fault
        at, name = max(before)
        found[name] = max(found[name], round(stop - (at if start <= at + CAUSED_WITHIN else start), 1))
    return found


def count(log: LoadLog) -> dict:
    from django.core.files.storage import storages
    from django.db.models import Count
    from wagtail.models import WorkflowState

    from workflow.notifications.models import Notification
    from workflow.request import encryption
    from workflow.request.models import FootageRequest

    given = [row["reference"] for row in log.rows if row["kind"] == "submit" and row["ok"]]
    storage = storages["private"]
    everything = list(FootageRequest.objects.prefetch_related("attachments"))
    started = {int(pk) for pk in WorkflowState.objects.values_list("object_id", flat=True)}
    told = set(Notification.objects.values_list("request_id", flat=True))

    def whole(request) -> bool:
        """Stored with everything the submission writes: its three files in the object store, its workflow and
        the outbox row of its SMS."""
        files = [a.file.name for a in request.attachments.all()] + [request.signature.name]
        stored_files = len(files) == 3 and all(storage.exists(name) for name in files)
        return stored_files and request.pk in started and request.pk in told

    by_reference = {request.reference: request for request in everything}
    lost = [reference for reference in given if reference not in by_reference or not whole(by_reference[reference])]
    # Every request in the database, also those whose citizen saw an error: none may be half-written.
    half_written = [request.reference for request in everything if not whole(request)]
    unconfirmed = {encryption.lookup_digest(number) for number in log.unconfirmed}
    stored_unconfirmed = [r.reference for r in everything if r.national_id_digest in unconfirmed]
    failed = [row for row in log.rows if not row["ok"]]
    duplicated = (
        len(given)
        - len(set(given))
        + FootageRequest.objects.values("reference").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    mail = (
        "".join(path.read_text(errors="replace") for path in (c.VAR / "mail").glob("*"))
        if (c.VAR / "mail").exists()
        else ""
    )
    undelivered, twice = [], []
    for notification in Notification.objects.all():
        if notification.channel == "sms":
            times = 1 if notification.idempotency_key in Provider.messages else 0
        else:
            times = mail.count(f"<{notification.idempotency_key}@")
        if notification.status != Notification.Status.SENT or times == 0:
            undelivered.append(notification.pk)
        elif times > 1:
            twice.append(notification.pk)
    stuck = Counter(
        (n.channel, n.status, n.last_error, n.attempts) for n in Notification.objects.filter(pk__in=undelivered)
    )
    keys = set(Notification.objects.values_list("idempotency_key", flat=True))
    strays = [key for key in Provider.messages if key not in keys]  # an SMS no notification accounts for
    return {
        "references_given": len(given),
        "lost": lost,
        "half_written": half_written,
        "sent_without_a_reference_shown": len(log.unconfirmed),
        "of_those_stored_whole": len(stored_unconfirmed),
        "failed_answers": dict(Counter(str(row.get("status", row.get("error"))) for row in failed)),
        "failed_answers_not_thai": sum(1 for row in failed if "status" in row and not row["thai_page"]),
        "duplicated_references": duplicated,
        "notifications": Notification.objects.count(),
        "undelivered": undelivered,
        "undelivered_by_state": {" ".join(map(str, key)): n for key, n in stuck.items()},
        "delivered_twice": twice + strays,
        "sms_posts": Provider.posts,
        "sms_messages": len(Provider.messages),
    }


def drain(env: dict) -> None:
    """What the beat's periodic job does every five minutes, run now: pending rows and rows a killed worker left
    "sending" are queued again (the latter once CCTV_NOTIFICATION_SENDING_TIMEOUT has passed)."""
    from django.db import DatabaseError, connection

    from workflow.notifications.models import Notification
    from workflow.tasks import deliver_pending_notifications

    connection.close()  # this thread's connection went to the leader the drill killed
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        try:
            left = Notification.objects.exclude(status__in=[Notification.Status.SENT, Notification.Status.FAILED])
            by_status = dict(Counter(left.values_list("status", flat=True)))
            if not by_status:
                return
            say(f"  not delivered yet: {by_status}; running the periodic job")
            deliver_pending_notifications.delay()
        except DatabaseError:
            connection.close()
        except Exception as error:  # noqa: BLE001 - the broker, whatever kombu raises: said, tried again
            say(f"  the periodic job could not be queued ({type(error).__name__}: {error})")
        time.sleep(8)


def main() -> int:
    # Stopped (Ctrl-C, SIGTERM, the timeout of CI): still take the whole cluster down, in the finally below.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    begun = time.monotonic()
    c.fresh_folders()
    cluster = c.Cluster()
    server = ThreadingHTTPServer(("127.0.0.1", SMS_PORT), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        say("etcd, Patroni, HAProxy, Redis with Sentinels, the S3 server")
        c.start_etcd(cluster)
        c.start_postgres_cluster(cluster)
        c.start_haproxy(cluster)
        c.start_redis(cluster)
        c.start_s3(cluster)
        make_database()
        env = django_env()
        os.environ.update(env)
        import django

        django.setup()
        make_bucket(env)
        say(f"cluster up in {time.monotonic() - begun:.0f} s; leader cctv{c.leader()}; migrating")
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        seed = seed_organisation()
        for node in (1, 2):
            c.start_web(cluster, node, env)
            c.start_worker(cluster, node, env)
        cluster.supervise("web1", "web2", "worker1", "worker2")
        for node in (1, 2):
            c.wait_for_web(node)
        c.wait_for(lambda: c.http_status(c.WEB_BALANCER + "/health/ready/") == 200, within=30, what="the balancer")
        one, two = throughput()
        say(f"form page: one web node {one:.0f}/s, two {two:.0f}/s ({two / one:.2f}x)")

        from tests.factories import png_bytes

        files = {
            "id_card": png_bytes(size=(640, 400)),
            "report": png_bytes(size=(600, 800)),
            "signature": "data:image/png;base64," + __import__("base64").b64encode(png_bytes()).decode(),
            "fields": submission_fields(),
        }
        started = time.monotonic()
        log = LoadLog(c.VAR / "load.jsonl", started)
        until = started + LOAD_SECONDS
        threads = [threading.Thread(target=submitter, args=(log, files, until)) for _ in range(SUBMITTERS)]
        threads += [threading.Thread(target=viewer, args=(log, until)) for _ in range(VIEWERS)]
        threads.append(threading.Thread(target=approver, args=(log, seed, until)))
        for thread in threads:
            thread.start()
        faults = {}
        for name, at in sorted(FAULT_AT.items(), key=lambda item: item[1]):
            time.sleep(max(0, started + at - time.monotonic()))
            faults[name] = round(time.monotonic() - started, 1)
            if name == "postgres leader":
                node = c.leader()
                c.kill_patroni_node(cluster, node)
                say(f"killed the PostgreSQL leader cctv{node}")
            elif name == "web node":
                cluster.kill("web2")
                say("killed web node 2")
            elif name == "redis master":
                cluster.kill("redis1")
                say("killed the Redis master")
                time.sleep(FAULT_GAP)
                cluster.restart("redis1")
                say("the Redis VM is back (Sentinel makes it a replica)")
            elif name == "worker":
                cluster.kill("worker1")
                say("killed worker 1")
        for thread in threads:
            thread.join()
        log.write()
        say(f"load over: {len(log.rows)} requests; new leader cctv{c.leader()}; delivering what is left")
        drain(env)
        time.sleep(3)
        counted = count(log)
        windows = outages(log.rows, faults, LOAD_SECONDS)
        restarts = [(round(at - started, 1), name) for at, name in cluster.restarts]
        counted.update(outages=windows, one_node=one, two_nodes=two, faults=faults, restarted_by_systemd=restarts)
        (c.VAR / "result.json").write_text(json.dumps(counted, indent=2, ensure_ascii=False))
        ok_rows = sum(row["ok"] for row in log.rows)
        say(f"{ok_rows} of {len(log.rows)} requests answered; {counted['references_given']} references given")
        for name, seconds in windows.items():
            say(f"  {name}: failed requests for {seconds:.1f} s")
        say(
            f"  failed answers {counted['failed_answers']}, {counted['failed_answers_not_thai']} of them not the Thai "
            f"page; {counted['sent_without_a_reference_shown']} submissions saw no reference, "
            f"{counted['of_those_stored_whole']} of them stored whole; {len(counted['half_written'])} half-written"
        )
        for at, name in restarts:
            say(f"  {name} exited by itself at {at} s and was started again (systemd's Restart=always)")
        say(f"  {counted['notifications']} notifications, {counted['sms_messages']} SMS, {counted['sms_posts']} posts")
        say(f"details in {c.VAR}/result.json and {c.VAR}/load.jsonl; took {time.monotonic() - begun:.0f} s")
        longest = max(windows.values()) if windows else 0
        lost, dup = len(counted["lost"]), counted["duplicated_references"] + len(counted["delivered_twice"])
        undelivered, half = len(counted["undelivered"]), len(counted["half_written"])
        print(
            f"drill: {lost} lost, {half} half-written, {dup} duplicated, {undelivered} undelivered, "
            f"longest outage {longest:.0f} s, 2 nodes {two / one:.1f}x one",
            flush=True,
        )
        passed = (
            not lost
            and not half
            and not dup
            and not undelivered
            and not counted["failed_answers_not_thai"]
            and longest <= OUTAGE_BUDGET
            and two / one >= TWO_NODES_AT_LEAST
        )
        return 0 if passed and counted["references_given"] > 0 else 1
    finally:
        cluster.stop_all()
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
