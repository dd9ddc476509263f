from django.core.management.base import BaseCommand

from cctv.roles import (
    group_renames,
    groups_left_under_previous_names,
    other_groups_with_reserved_permissions,
    setup_roles,
)


class Command(BaseCommand):
    help = (
        "Create or update the staff groups and their permissions, rename those found under an earlier name, and"
        " take the administrator's rights back from the other roles (idempotent; run on every deploy)"
    )

    def handle(self, *args, **options):
        renames = group_renames()
        groups = setup_roles()
        for earlier, name in renames:
            self.stdout.write(f"Renamed group {earlier!r} to {name!r} (its members, steps and permissions kept).")
        self.stdout.write(", ".join(group.name for group in groups.values()))
        for earlier, name in groups_left_under_previous_names():
            self.stderr.write(
                self.style.ERROR(
                    f"Groups {earlier!r} and {name!r} both exist: {earlier!r} is the earlier name of {name!r}."
                    f" Nothing was merged and only {name!r} is kept up to date. Move the members and workflow"
                    f" steps of {earlier!r} to {name!r}, then delete {earlier!r} (Settings → Groups, Workflow tasks)."
                )
            )
        for name in other_groups_with_reserved_permissions():
            self.stderr.write(
                self.style.WARNING(
                    f"Group {name!r} can change workflows, tasks, groups, users or request types:"
                    " check it is meant to (Settings → Groups)."
                )
            )
