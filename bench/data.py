"""`make bench-data`: the 10,000- and 1,000,000-request databases, built once and reused.

Each database gets the demo site (stations, form, workflows, accounts) through the real commands, then
one request submitted through the real service becomes the template that PostgreSQL copies N times with
INSERT ... SELECT over generate_series: the request row, its revision (the JSON a Wagtail revision holds),
two attachment rows, an audit-log entry, and for the newest 2% a workflow in progress at one of the four
steps. The other rows are approved or cancelled over the past three years, as in a real service.

A many-organisation database (ADR 0016) gets the other organisations from bench/organisations.py, copies of the
demo's, and the rows are dealt out in turn: row g is organisation (g - 1) mod N's, with its stations, request
types, workflows and steps and its reference prefix. Its manifest names one organisation in the middle, its host
and two staff members of it alone, and the benchmark measures that organisation's pages.

    python bench/data.py                # every size of common.DATASETS (skips a database already complete)
    python bench/data.py --only 10k
    python bench/data.py --only 100k-100org  # the same code path at a smaller size (any <n>k|m[-<n>org])
    python bench/data.py --purge 20000  # a throwaway database of expired requests for the purge benchmark
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

LOOKUPS = 1000
SPAN_DAYS = 3 * 365


def build(name: str, count: int, *, expired: bool = False, organisations: int = 1) -> None:
    common.start_postgres()
    if common.database_exists(name):
        if (common.VAR / f"{name}.json").exists():
            common.log(f"{name}: already built")
            return
        common.psql(f'DROP DATABASE "{name}"')
    common.log(f"{name}: creating, {count:,} requests over {organisations} organisation(s)")
    common.psql(f'CREATE DATABASE "{name}"')
    env = common.django_env(name, settings="cctv.settings.dev")
    env["CCTV_DEMO_PASSWORD"] = "bench-demo-password"
    common.manage(env, "migrate", "--no-input", stdout=subprocess.DEVNULL)
    common.manage(env, "seed_demo", stdout=subprocess.DEVNULL)
    started = time.monotonic()
    subprocess.run(
        [
            common.PYTHON,
            __file__,
            "--inside",
            name,
            str(count),
            "--expired" if expired else "--current",
            "--organisations",
            str(organisations),
        ],
        env=env,
        check=True,
        cwd=common.ROOT,
        stdout=subprocess.DEVNULL,  # the demo's console e-mails
    )
    common.log(f"{name}: {count:,} requests in {time.monotonic() - started:.0f} s")


def _generate(name: str, count: int, expired: bool, organisations: int) -> None:
    """Runs inside Django (dev settings, the bench database)."""
    import django

    django.setup()
    import organisations as orgs
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from wagtail.models import ModelLogEntry, Site, TaskState, WorkflowState

    from cctv.stations.models import Station
    from forms.models import RequestFormPage
    from tests.factories import national_id, submission
    from workflow.request.encryption import lookup_digest
    from workflow.request.models import Attachment, FootageRequest, RequestType
    from workflow.request.services import submit_request

    stations = list(Station.objects.order_by("pk").values_list("pk", flat=True))
    types = list(RequestType.objects.order_by("pk"))
    template = submit_request(submission=submission(station=Station.objects.get(pk=stations[0]), request_type=types[0]))
    template_attachment = Attachment.objects.filter(request=template).first()
    template_log = ModelLogEntry.objects.filter(object_id=str(template.pk)).order_by("pk").first()
    workflow_state = WorkflowState.objects.get(base_content_type__model="footagerequest", object_id=str(template.pk))
    task_state = workflow_state.current_task_state
    every = orgs.make_organisations(organisations)
    n = len(every)
    measured = every[n // 2]
    # Row g's organisation, and its ordinal among that organisation's rows (1-based arrays in SQL).
    org, nth = f"(1 + (g - 1) % {n})", f"((g - 1) / {n})"

    def per_org(key: str) -> str:
        """Row g's entry of each organisation's list `key` (all organisations have lists of the same length)."""
        return f"(ARRAY{[o[key] for o in every]})[{org}][1 + {nth} % {len(every[0][key])}]"

    in_progress = 0 if expired else max(count // 50, 50)
    step = SPAN_DAYS * 86400 / count
    offset = "interval '4 years'" if expired else "interval '0 days'"

    def base(model) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000

    rb, vb, ab, lb, wb, tb = (
        base(FootageRequest),
        base(type(template.latest_revision)),
        base(Attachment),
        base(ModelLogEntry),
        base(WorkflowState),
        base(TaskState),
    )
    when = f"(now() - {offset} - g * interval '{step:.3f} seconds')"
    prefix = f"(ARRAY{[o['code'] for o in every]})[{org}]"
    reference = f"{prefix} || '-' || (2569 - (g * 3 / {count + 1}))::text || '-' || lpad(g::text, 7, '0')"
    statuses = (
        f"CASE WHEN g <= {in_progress} THEN (CASE WHEN g % 4 = 0 THEN 'pending' ELSE 'received' END) "
        "WHEN g % 10 = 0 THEN 'cancelled' ELSE 'approved' END"
    )

    def clone(table: str, template_id: int, rows: int, overrides: dict[str, str]) -> None:
        with connection.cursor() as cursor:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            unknown = set(overrides) - set(columns)
            assert not unknown, f"{table} has no {unknown}"
            select = ", ".join(overrides.get(column, f't."{column}"') for column in columns).replace("%", "%%")
            cursor.execute(
                f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
                f'SELECT {select} FROM generate_series(1, %s) AS g, "{table}" AS t WHERE t.id = %s',
                [rows, template_id],
            )

    with transaction.atomic():
        clone(
            "wagtailcore_revision",
            template.latest_revision_id,
            count,
            {"id": f"{vb} + g", "object_id": f"({rb} + g)::text", "created_at": when, "object_str": reference},
        )
        clone(
            FootageRequest._meta.db_table,
            template.pk,
            count,
            {
                "id": f"{rb} + g",
                "reference": reference,
                # 32 URL-safe characters, as new_token() makes (the status URL accepts no other).
                "token": "substr(md5('t' || g) || md5('u' || g), 1, 32)",
                "national_id_digest": f"md5('p' || g % {count // 3 + 1}) || md5('q' || g % {count // 3 + 1})",
                "phone": "'08' || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0')",
                "organisation_id": f"(ARRAY{[o['id'] for o in every]})[{org}]",
                "station_id": per_org("stations"),
                "request_type_id": per_org("types"),
                "submitted_at": when,
                "written_on": f"{when}::date",
                "incident_date": f"({when} - interval '2 days')::date",
                "consented_at": when,
                "status_changed_at": f"CASE WHEN g <= {in_progress} THEN {when} ELSE {when} + interval '3 days' END",
                "public_status": statuses,
                "latest_revision_id": f"{vb} + g",
                "current_task_id": f"CASE WHEN g <= {in_progress} THEN {per_org('tasks')} END",
                "step_started_at": f"CASE WHEN g <= {in_progress} THEN {when} END",
                "footage_overwritten_on": f"({when} - interval '2 days')::date + 30",
            },
        )
        for kind, shift in (("id_card", 0), ("police_report", count)):
            clone(
                Attachment._meta.db_table,
                template_attachment.pk,
                count,
                {"id": f"{ab} + {shift} + g", "request_id": f"{rb} + g", "kind": f"'{kind}'", "uploaded_at": when},
            )
        clone(
            ModelLogEntry._meta.db_table,
            template_log.pk,
            count,
            {
                "id": f"{lb} + g",
                "object_id": f"({rb} + g)::text",
                "timestamp": when,
                "label": reference,
                "uuid": "gen_random_uuid()",
            },
        )
        if in_progress:
            clone(
                WorkflowState._meta.db_table,
                workflow_state.pk,
                in_progress,
                {
                    "id": f"{wb} + g",
                    "workflow_id": per_org("workflows"),
                    "object_id": f"({rb} + g)::text",
                    "created_at": when,
                    "current_task_state_id": f"{tb} + g",
                },
            )
            clone(
                TaskState._meta.db_table,
                task_state.pk,
                in_progress,
                {
                    "id": f"{tb} + g",
                    "workflow_state_id": f"{wb} + g",
                    "revision_id": f"{vb} + g",
                    "task_id": per_org("tasks"),
                    "started_at": when,
                },
            )
        with connection.cursor() as cursor:
            for model in (
                FootageRequest,
                type(template.latest_revision),
                Attachment,
                ModelLogEntry,
                WorkflowState,
                TaskState,
            ):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"
                )
        # People who can look their request up: real ID numbers whose keyed digest is on sampled rows of the
        # measured organisation (row g is its when (g - 1) mod n is its index).
        lookups = []
        sample = FootageRequest.objects.filter(pk__gt=rb).order_by("pk")
        stride = max(count // n // LOOKUPS, 1)
        for index in range(min(LOOKUPS, count // n)):
            g = 1 + every.index(measured) + n * (index * stride)
            target = sample.filter(pk=rb + g).only("pk", "reference", "phone").first()
            number = national_id(f"3{(10_000_000_000 + index * 7919 + rb) % 10**11:011d}")
            FootageRequest.objects.filter(pk=target.pk).update(national_id_digest=lookup_digest(number))
            lookups.append([number, target.reference, target.phone])
    usernames = (
        {"officer": "officer", "head": "head"} if n == 1 else orgs.staff_of(measured["id"], measured["code"].lower())
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rows = FootageRequest.objects.filter(pk__gt=rb, organisation_id=measured["id"])
    form_page = RequestFormPage.objects.live().descendant_of(Site.objects.get(hostname=measured["host"]).root_page)
    manifest = {
        "requests": FootageRequest.objects.count(),
        "revisions": type(template.latest_revision).objects.count(),
        "attachments": Attachment.objects.count(),
        "log_entries": ModelLogEntry.objects.count(),
        "workflows_in_progress": WorkflowState.objects.filter(status="in_progress").count(),
        "organisations": n,
        "host": measured["host"],
        "organisation_requests": rows.count(),
        "form_url": form_page.first().get_url_parts()[2],
        "tokens": list(rows.order_by("?").values_list("token", flat=True)[:LOOKUPS]),
        "lookups": lookups,
        "station": measured["stations"][-1],
        # With one organisation the demo's staff, its members; with more, two members of the measured one alone.
        "usernames": usernames,
        "users": {role: get_user_model().objects.get(username=name).pk for role, name in usernames.items()},
    }
    (common.VAR / f"{name}.json").write_text(json.dumps(manifest))


def build_purge(count: int) -> None:
    """A fresh database whose requests all ended four years ago (the purge deletes it all)."""
    common.start_postgres()
    if common.database_exists("cctv_bench_purge"):
        common.psql('DROP DATABASE "cctv_bench_purge"')
    (common.VAR / "cctv_bench_purge.json").unlink(missing_ok=True)
    build("cctv_bench_purge", count, expired=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="one dataset, by label: " + ", ".join(common.DATASETS) + ", 100k-100org ...")
    parser.add_argument("--purge", type=int, help="build cctv_bench_purge with this many expired requests")
    parser.add_argument("--inside", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--expired", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--current", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--organisations", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        _generate(args.inside[0], int(args.inside[1]), args.expired, args.organisations)
        return
    if args.purge:
        build_purge(args.purge)
        return
    for label in [args.only] if args.only else common.DATASETS:
        count, organisations = common.dataset(label)
        build(f"cctv_bench_{label}", count, organisations=organisations)


if __name__ == "__main__":
    main()
