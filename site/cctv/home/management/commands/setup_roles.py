from django.core.management.base import BaseCommand

from cctv.roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the staff groups and their permissions (idempotent; run on every deploy)"

    def handle(self, *args, **options):
        groups = setup_roles()
        self.stdout.write(", ".join(group.name for group in groups.values()))
