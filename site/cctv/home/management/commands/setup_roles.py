from django.core.management.base import BaseCommand

from cctv.roles import other_groups_with_reserved_permissions, setup_roles


class Command(BaseCommand):
    help = (
        "Create or update the staff groups and their permissions, and take the administrator's rights back from"
        " the other roles (idempotent; run on every deploy)"
    )

    def handle(self, *args, **options):
        groups = setup_roles()
        self.stdout.write(", ".join(group.name for group in groups.values()))
        for name in other_groups_with_reserved_permissions():
            self.stderr.write(
                self.style.WARNING(
                    f"Group {name!r} can change workflows, tasks, groups, users or request types:"
                    " check it is meant to (Settings → Groups)."
                )
            )
