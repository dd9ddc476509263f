from django.core.management.base import BaseCommand

from workflow.line.links import purge_leftovers
from workflow.privacy import retention


class Command(BaseCommand):
    help = "Delete requests whose retention has passed, with their files, revisions and history"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be deleted")

    def handle(self, *args, dry_run=False, **options):
        expired = retention.expired_requests()
        summary = retention.summarise(expired)
        for (month, station, kind, status), count in sorted(summary.items()):
            self.stdout.write(f"{month:%Y-%m}  {station:<20} {kind:<5} {status:<10} {count}")
        total = sum(summary.values())
        if dry_run:
            periods = ", ".join(f"{code} {days}" for code, days in retention.retention_by_organisation().items())
            self.stdout.write(f"{total} request(s) would be deleted (retention in days: {periods})")
            return
        deleted = retention.erase_requests(queryset=expired)
        self.stdout.write(f"{deleted} request(s) deleted")
        self.stdout.write(f"{purge_leftovers()} old LINE event id(s) and link code(s) deleted")
