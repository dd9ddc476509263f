"""Make what an organisation needs on this installation (forms/organisation.py). Run once after `migrate` for each
municipality the installation serves; running it again changes nothing and says so."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cctv.organisations.naming import HOST_NAME, PREFIX
from forms.organisation import OrganisationRefused, create_organisation
from workflow.constants import REFERENCE_PREFIX


class Command(BaseCommand):
    help = (
        "Create an organisation's site and pages, service settings, approval steps and workflows, request types and"
        " lists (idempotent; each municipality of the installation is one run, with its own host and prefix)"
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
            default=None,
            help=f"the reference prefix, capital letters and digits, as in {REFERENCE_PREFIX}-2569-000001 (the first"
            f" organisation's default: {REFERENCE_PREFIX}; each later one needs its own; a second run keeps it)",
        )

    def handle(self, *args, host, name, name_en, port, phone, prefix, **options):
        host, name = host.strip().lower(), name.strip()
        if not HOST_NAME.fullmatch(host):
            raise CommandError(f"--host {host!r}: give the host name alone, e.g. cctv.example.go.th")
        if not name:
            raise CommandError("--name: give the organisation's name in Thai")
        if prefix is not None:
            prefix = prefix.strip().upper()
            if not PREFIX.fullmatch(prefix):
                raise CommandError(f"--prefix {prefix!r}: 2 to 12 capital letters and digits, starting with a letter")
        try:
            setup = create_organisation(
                host=host, name=name, name_en=name_en.strip(), port=port, phone=phone.strip(), prefix=prefix
            )
        except OrganisationRefused as exc:
            with translation.override("en"):  # the operator's console, like every other line here
                raise CommandError(f"--{exc.field}: {exc}") from exc
        if setup.made:
            self.stdout.write(self.style.SUCCESS(f"Created for {host}:"))
            for item in setup.made:
                self.stdout.write(f"  {item}")
        else:
            self.stdout.write(f"Nothing changed: the organisation at {host} already has everything it needs.")
        for item in setup.kept:
            self.stdout.write(self.style.WARNING(f"Kept {item}."))
        self.stdout.write(f"Request form: {setup.form_page.get_full_url()}")
