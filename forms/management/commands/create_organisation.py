"""Make what an organisation needs on this installation (forms/organisation.py). Run once after `migrate` on a new
installation; running it again changes nothing and says so."""

import re

from django.core.management.base import BaseCommand, CommandError

from forms.organisation import AnotherOrganisationExists, create_organisation
from workflow.constants import REFERENCE_PREFIX

PREFIX = re.compile(r"[A-Z][A-Z0-9]{1,11}")
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


class Command(BaseCommand):
    help = (
        "Create an organisation's site and pages, service settings, staff groups, approval workflows and refusal"
        " reasons (idempotent; refuses a second organisation)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", required=True, help="the public host name, e.g. cctv.example.go.th")
        parser.add_argument("--name", required=True, help="the organisation's name in Thai")
        parser.add_argument("--name-en", default="", help="the organisation's name in English")
        parser.add_argument(
            "--port", type=int, default=443, help="the public port (443: links in messages start with https://)"
        )
        parser.add_argument("--phone", default="", help="the phone number applicants call")
        parser.add_argument(
            "--prefix",
            default=REFERENCE_PREFIX,
            help=f"the reference prefix, capital letters and digits (default {REFERENCE_PREFIX}, as in "
            f"{REFERENCE_PREFIX}-2569-000001)",
        )

    def handle(self, *args, host, name, name_en, port, phone, prefix, **options):
        host, name = host.strip().lower(), name.strip()
        if not HOST_NAME.fullmatch(host):
            raise CommandError(f"--host {host!r}: give the host name alone, e.g. cctv.example.go.th")
        if not name:
            raise CommandError("--name: give the organisation's name in Thai")
        prefix = prefix.strip().upper()
        if not PREFIX.fullmatch(prefix):
            raise CommandError(f"--prefix {prefix!r}: 2 to 12 capital letters and digits, starting with a letter")
        try:
            setup = create_organisation(
                host=host, name=name, name_en=name_en.strip(), port=port, phone=phone.strip(), prefix=prefix
            )
        except AnotherOrganisationExists as exc:
            raise CommandError(str(exc)) from exc
        if setup.made:
            self.stdout.write(self.style.SUCCESS(f"Created for {host}:"))
            for item in setup.made:
                self.stdout.write(f"  {item}")
        else:
            self.stdout.write(f"Nothing changed: the organisation at {host} already has everything it needs.")
        for item in setup.kept:
            self.stdout.write(self.style.WARNING(f"Kept {item}."))
        self.stdout.write(f"Request form: {setup.form_page.get_full_url()}")
