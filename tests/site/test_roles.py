"""The role groups have Thai names. setup_roles (every deploy) renames a group found under its earlier English
name, so an installation's memberships, workflow steps and permissions carry over; it never makes a second group,
and when both names exist it merges nothing and says so."""

import io
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation
from wagtail.models import GroupApprovalTask, GroupPagePermission, ModelLogEntry
from wagtail.users.forms import UserEditForm

from cctv.roles import ROLES, SUPERVISOR_LEVELS, WAGTAIL_SEEDED_GROUPS, is_supervisor, setup_roles
from workflow.approval.models import ApprovalTask

User = get_user_model()
LATIN = re.compile(r"[A-Za-z]")
THAI = {role.key: role.group for role in ROLES}
NAMED = [(role.group, role.previous_names) for role in ROLES] + list(WAGTAIL_SEEDED_GROUPS)
ENGLISH = {
    "editor": "Editors",
    "officer": "CCTV officers",
    "head": "Head of CCTV centre",
    "deputy": "Deputy chief",
    "chief": "Chief executive",
    "auditor": "Auditors",
    "administrator": "Administrators",
}


def setup_roles_command() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("setup_roles", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def access_state() -> tuple:
    """Each group with its members, permissions and page permissions, each step with its groups, and the log."""
    groups = sorted(
        (
            group.pk,
            group.name,
            tuple(sorted(group.user_set.values_list("username", flat=True))),
            tuple(sorted(group.permissions.values_list("pk", flat=True))),
            tuple(sorted(GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission_id"))),
        )
        for group in Group.objects.all()
    )
    steps = sorted(
        (task.pk, tuple(sorted(task.groups.values_list("pk", flat=True)))) for task in GroupApprovalTask.objects.all()
    )
    return groups, steps, ModelLogEntry.objects.count()


def test_the_group_names_are_thai_unique_and_remember_their_english_names():
    names = [name for name, _earlier in NAMED]
    earlier = [old for _name, previous in NAMED for old in previous]
    assert not [name for name in names if LATIN.search(name)], names
    assert len(set(names)) == len(names)
    assert len(set(earlier)) == len(earlier) and not set(earlier) & set(names)
    assert {role.key: role.previous_names for role in ROLES} == {key: (name,) for key, name in ENGLISH.items()}
    # In the user editor the superuser box is "ผู้ดูแลระบบ": the administrator role's group is not called so.
    with translation.override("th"):
        superuser_box = str(UserEditForm.base_fields["is_superuser"].label)
    assert superuser_box not in names


def test_wagtails_seeded_groups_are_renamed_not_doubled(db):
    seeded = {name: Group.objects.get(name=name) for name in ("Editors", "Moderators")}
    moderation = GroupApprovalTask.objects.get(groups=seeded["Moderators"])
    count = Group.objects.count()

    groups = setup_roles()

    assert groups["editor"].pk == seeded["Editors"].pk
    moderators = Group.objects.get(pk=seeded["Moderators"].pk)
    assert moderators.name == WAGTAIL_SEEDED_GROUPS[0][0]
    assert list(moderation.groups.all()) == [moderators]
    assert GroupPagePermission.objects.filter(group=moderators, permission__codename="publish_page").exists()
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert Group.objects.count() == count + len(ROLES) - 1  # every role's group but the editors' is new


def test_an_installation_with_english_names_keeps_its_members_and_steps(chain):
    groups = {role.key: Group.objects.get(name=role.group) for role in ROLES}
    moderators = Group.objects.get(name=WAGTAIL_SEEDED_GROUPS[0][0])
    for key, group in groups.items():
        group.name = ENGLISH[key]
        group.save()
    moderators.name = "Moderators"
    moderators.save()
    auditor = User.objects.create_user(username="auditor")
    auditor.groups.add(groups["auditor"])
    before = access_state()

    out, err = setup_roles_command()

    for role in ROLES:
        assert Group.objects.get(pk=groups[role.key].pk).name == role.group
        assert f"Renamed group {ENGLISH[role.key]!r} to {role.group!r}" in out
    assert Group.objects.get(pk=moderators.pk).name == WAGTAIL_SEEDED_GROUPS[0][0]
    assert not Group.objects.filter(name__in=[*ENGLISH.values(), "Moderators"]).exists()
    assert err == ""
    # Only the names changed: the same groups hold the same members, permissions and steps.
    renamed = access_state()
    assert [row[:1] + row[2:] for row in renamed[0]] == [row[:1] + row[2:] for row in before[0]]
    assert renamed[1:] == before[1:]
    for level, user in chain["users"].items():
        assert list(user.groups.values_list("pk", "name")) == [(groups[level].pk, THAI[level])]
        step = ApprovalTask.objects.get(name=level)
        assert list(step.groups.values_list("pk", flat=True)) == [groups[level].pk]
        assert is_supervisor(user) == (level in SUPERVISOR_LEVELS)
    assert list(auditor.groups.values_list("pk", flat=True)) == [groups["auditor"].pk]

    # A second deploy renames nothing, changes nothing and logs nothing.
    out, err = setup_roles_command()
    assert "Renamed" not in out and err == ""
    assert access_state() == renamed


def test_an_english_group_beside_the_thai_one_is_reported_and_not_merged(chain):
    thai = Group.objects.get(name=THAI["officer"])
    english = Group.objects.create(name=ENGLISH["officer"])
    made_by_hand = User.objects.create_user(username="made-by-hand")
    english.user_set.add(made_by_hand)
    before = access_state()

    out, err = setup_roles_command()

    assert f"Groups {ENGLISH['officer']!r} and {thai.name!r} both exist" in err
    assert "Nothing was merged" in err
    assert "Renamed" not in out
    assert access_state() == before
    assert list(english.user_set.all()) == [made_by_hand]
    assert list(thai.user_set.values_list("username", flat=True)) == ["officer"]
    # Said again at every deploy until the administrator moves the members and deletes the English group.
    assert "both exist" in setup_roles_command()[1]
    english.delete()
    assert setup_roles_command()[1] == ""
