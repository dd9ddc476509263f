"""No role widens its own access: workflows, tasks, groups, users and request types belong to the administrator
(and superusers), every change of who may do what is in Wagtail's audit log, and setup_roles takes the rights
back from groups that still hold them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import translation
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import GroupPagePermission, ModelLogEntry, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cctv import admin_audit
from cctv.roles import MANAGE_ACCESS, RESERVED_MODELS, ROLES, reserved_permissions, setup_roles
from workflow.approval.models import ApprovalTask
from workflow.request.models import RequestType

User = get_user_model()
PASSWORD = "x-password-1234"
GROUP = {role.key: role.group for role in ROLES}
OFFICERS, HEADS, AUDITORS, EDITORS = GROUP["officer"], GROUP["head"], GROUP["auditor"], GROUP["editor"]


@pytest.fixture
def access(db, chain, form_page):
    """The chain's workflow and tasks, an editor, an administrator, and the objects the table's URLs name."""
    groups = {role.key: Group.objects.get(name=role.group) for role in ROLES}
    editor = User.objects.create_user(username="editor-user", password=PASSWORD, email="editor@example.invalid")
    editor.groups.add(groups["editor"])
    administrator = User.objects.create_user(
        username="administrator-user", password=PASSWORD, email="administrator@example.invalid"
    )
    administrator.groups.add(groups["administrator"])
    workflow = Workflow.objects.get(name="ขอดูข้อมูลภาพ")
    spare_group = Group.objects.create(name="Spare")
    spare_user = User.objects.create_user(username="spare", password=PASSWORD)
    return {
        "groups": groups,
        "editor": editor,
        "administrator": administrator,
        "workflow": workflow,
        "officer_task": ApprovalTask.objects.get(name="officer"),
        "spare_group": spare_group,
        "spare_user": spare_user,
        "request_type": RequestType.objects.get(kind="view"),
        "form_page": form_page,
    }


def who_may_do_what():
    """Everything that decides who sees requests: compared before and after each refused post."""
    return (
        sorted(
            (task.pk, task.name, task.active, tuple(sorted(task.groups.values_list("name", flat=True))))
            for task in ApprovalTask.objects.all()
        ),
        sorted(
            (
                workflow.pk,
                workflow.name,
                workflow.active,
                tuple(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True)),
            )
            for workflow in Workflow.objects.all()
        ),
        sorted(
            (group.name, tuple(sorted(group.permissions.values_list("codename", flat=True))))
            for group in Group.objects.all()
        ),
        sorted(
            (user.username, user.is_superuser, tuple(sorted(user.groups.values_list("name", flat=True))))
            for user in User.objects.all()
        ),
        sorted(RequestType.objects.values_list("pk", "name_th", "workflow_id", "active")),
        sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
    )


def workflow_post(access, task_ids):
    return nested_form_data(
        {
            "name": "ทางลัด",
            "workflow_tasks": inline_formset([{"task": pk} for pk in task_ids]),
            "pages": inline_formset([]),
        }
    )


def workflow_edit_post(access):
    """The chain without the officer's step (the request would skip the first check)."""
    workflow = access["workflow"]
    steps = list(workflow.workflow_tasks.order_by("sort_order"))
    forms = [
        {"id": step.pk, "task": step.task_id, "ORDER": order, "DELETE": step.task_id == access["officer_task"].pk}
        for order, step in enumerate(steps, start=1)
    ]
    data = nested_form_data(
        {
            "name": workflow.name,
            "workflow_tasks": inline_formset(forms, initial=len(steps)),
            "pages": inline_formset([]),
        }
    )
    return {key: value for key, value in data.items() if value is not False}


def user_post(access, user, groups, **extra):
    return {
        "username": user.username,
        "email": user.email or f"{user.username}@example.invalid",
        "first_name": "ทดสอบ",
        "last_name": "ระบบ",
        "is_active": "on",
        "groups": [group.pk for group in groups],
        **extra,
    }


def group_post(group, codenames):
    return {
        "name": group.name,
        "permissions": list(
            Permission.objects.filter(
                content_type__app_label__in=["cctv_workflow", "cctv_stations"], codename__in=codenames
            ).values_list("pk", flat=True)
        ),
        **{
            f"{panel}_permissions-{count}": "0"
            for panel in ("page", "collection", "document", "image")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }


# (method, url, data) for every page of Settings → Workflows, Workflow tasks, Groups, Users and Request types.
# Each post, if it went through, would let its author reach requests: add the editors' group to a step, drop a step,
# give a group the right to read requests, put oneself in the officers' group, point a request type elsewhere.
SETTINGS = [
    ("get", "/admin/workflows/list/", None),
    ("get", "/admin/workflows/add/", None),
    ("post", "/admin/workflows/add/", lambda a: workflow_post(a, [a["officer_task"].pk])),
    ("get", "/admin/workflows/edit/{workflow}/", None),
    ("post", "/admin/workflows/edit/{workflow}/", workflow_edit_post),
    ("get", "/admin/workflows/usage/{workflow}/", None),
    ("get", "/admin/workflows/disable/{workflow}/", None),
    ("post", "/admin/workflows/disable/{workflow}/", lambda a: {}),
    ("post", "/admin/workflows/enable/{workflow}/", lambda a: {}),
    ("post", "/admin/workflows/remove/{form_page}/", lambda a: {}),
    ("get", "/admin/workflows/tasks/index/", None),
    ("get", "/admin/workflows/tasks/select_type/", None),
    ("get", "/admin/workflows/tasks/add/cctv_workflow/approvaltask/", None),
    (
        "post",
        "/admin/workflows/tasks/add/cctv_workflow/approvaltask/",
        lambda a: {"name": "ทางลัด", "groups": [a["groups"]["editor"].pk]},
    ),
    ("get", "/admin/workflows/tasks/edit/{officer_task}/", None),
    (
        "post",
        "/admin/workflows/tasks/edit/{officer_task}/",
        lambda a: {"groups": [a["groups"]["officer"].pk, a["groups"]["editor"].pk]},
    ),
    ("get", "/admin/workflows/tasks/disable/{officer_task}/", None),
    ("post", "/admin/workflows/tasks/disable/{officer_task}/", lambda a: {}),
    ("post", "/admin/workflows/tasks/enable/{officer_task}/", lambda a: {}),
    (
        "post",
        "/admin/workflows/task_chooser/create/",
        lambda a: {
            "create-task-task_type": "cctv_workflow.approvaltask",
            "create-task-name": "ทางลัด",
            "create-task-groups": [a["groups"]["editor"].pk],
        },
    ),
    ("get", "/admin/groups/", None),
    ("get", "/admin/groups/new/", None),
    ("post", "/admin/groups/new/", lambda a: group_post(Group(name="ผู้อ่านคำร้อง"), ["change_footagerequest"])),
    ("get", "/admin/groups/edit/{editor_group}/", None),
    (
        "post",
        "/admin/groups/edit/{editor_group}/",
        lambda a: group_post(a["groups"]["editor"], ["change_footagerequest", "change_station"]),
    ),
    ("get", "/admin/groups/delete/{spare_group}/", None),
    ("post", "/admin/groups/delete/{spare_group}/", lambda a: {}),
    ("get", "/admin/users/", None),
    ("get", "/admin/users/new/", None),
    (
        "post",
        "/admin/users/new/",
        lambda a: user_post(
            a,
            User(username="shadow", email="shadow@example.invalid"),
            [a["groups"]["officer"]],
            password1="a-Long-pass-9876",
            password2="a-Long-pass-9876",
        ),
    ),
    ("get", "/admin/users/edit/{editor}/", None),
    (
        "post",
        "/admin/users/edit/{editor}/",
        lambda a: user_post(a, a["editor"], [a["groups"]["editor"], a["groups"]["officer"]]),
    ),
    ("get", "/admin/users/delete/{spare_user}/", None),
    ("post", "/admin/users/delete/{spare_user}/", lambda a: {}),
    (
        "post",
        "/admin/bulk/auth/user/assign_role/?id={editor}",
        lambda a: {"role": a["groups"]["officer"].pk},
    ),
    ("get", "/admin/snippets/cctv_workflow/requesttype/", None),
    ("get", "/admin/snippets/cctv_workflow/requesttype/add/", None),
    ("get", "/admin/snippets/cctv_workflow/requesttype/edit/{request_type}/", None),
    (
        "post",
        "/admin/snippets/cctv_workflow/requesttype/edit/{request_type}/",
        lambda a: {
            "kind": "view",
            "name_th": "ขอดูข้อมูลภาพ",
            "name_en": "View footage",
            "workflow": "",
            "active": "on",
            "sort_order": "0",
        },
    ),
    ("get", "/django-admin/auth/group/", None),
]
# Wagtail's task chooser answers "cannot create here" with 400 rather than the admin's refusal.
REFUSED = {"/admin/workflows/task_chooser/create/": {400}}


def target(access, url):
    return url.format(
        workflow=access["workflow"].pk,
        form_page=access["form_page"].pk,
        officer_task=access["officer_task"].pk,
        editor_group=access["groups"]["editor"].pk,
        spare_group=access["spare_group"].pk,
        editor=access["editor"].pk,
        spare_user=access["spare_user"].pk,
        request_type=access["request_type"].pk,
    )


@pytest.mark.parametrize(("method", "url", "data"), SETTINGS, ids=[f"{m} {u}" for m, u, _d in SETTINGS])
def test_an_editor_is_refused_every_access_setting(client, access, method, url, data):
    client.force_login(access["editor"])
    before = who_may_do_what()
    path = target(access, url)
    if method == "get":
        response = client.get(path)
    else:
        response = client.post(path, data(access))
    assert response.status_code in REFUSED.get(url, {302, 403}), (path, response.status_code)
    if response.status_code == 302:
        assert response["Location"].split("?")[0] in ("/admin/", "/django-admin/login/"), response["Location"]
    assert who_may_do_what() == before, path


def test_the_editor_who_added_editors_to_a_step_now_changes_nothing(client, access):
    """The incident: an editor added the editors' group to the officers' step in Settings → Workflow tasks."""
    client.force_login(access["editor"])
    task = access["officer_task"]
    response = client.post(
        f"/admin/workflows/tasks/edit/{task.pk}/",
        {"groups": [access["groups"]["officer"].pk, access["groups"]["editor"].pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert list(task.groups.values_list("name", flat=True)) == [OFFICERS]
    assert not ModelLogEntry.objects.filter(user=access["editor"]).exists()


# The workflow's usage page lists the pages using it, which only page editors see.
ADMINISTRATOR_PAGES = [
    url for method, url, _d in SETTINGS if method == "get" and "django-admin" not in url and "/usage/" not in url
]


@pytest.mark.parametrize("url", ADMINISTRATOR_PAGES)
def test_the_administrator_opens_every_access_setting(client, access, url):
    client.force_login(access["administrator"])
    response = client.get(target(access, url))
    assert response.status_code == 200, (url, response.status_code)


def administrator_rows(access, action=None):
    rows = ModelLogEntry.objects.filter(user=access["administrator"])
    return rows.filter(action=action) if action else rows


def test_the_administrator_adds_a_group_to_a_step_and_the_old_and_new_groups_are_logged(client, access):
    client.force_login(access["administrator"])
    task = access["officer_task"]
    response = client.post(
        f"/admin/workflows/tasks/edit/{task.pk}/",
        {"groups": [access["groups"]["head"].pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(task.groups.values_list("name", flat=True)) == [HEADS]
    (row,) = administrator_rows(access, admin_audit.TASK_CHANGED)
    assert row.object_id == str(task.pk)
    assert row.data == {
        "field": "groups",
        "old": [OFFICERS],
        "new": [HEADS],
        "added": [HEADS],
        "removed": [OFFICERS],
    }
    # Wagtail's own edit entry is there once; ours adds what changed, not a second "edit".
    assert administrator_rows(access, "wagtail.edit").count() == 1


def test_dropping_a_step_from_the_workflow_is_logged_with_the_old_and_new_steps(client, access):
    client.force_login(access["administrator"])
    workflow = access["workflow"]
    response = client.post(f"/admin/workflows/edit/{workflow.pk}/", workflow_edit_post(access))
    assert response.status_code == 302, response.content.decode()[:3000]
    names = ["officer", "head", "deputy", "chief"]
    tasks = {task.name: task.pk for task in ApprovalTask.objects.all()}
    assert list(workflow.workflow_tasks.order_by("sort_order").values_list("task__name", flat=True)) == names[1:]
    (row,) = administrator_rows(access, admin_audit.WORKFLOW_CHANGED)
    assert row.data["field"] == "steps"
    assert row.data["old"] == [f"{name} (#{tasks[name]})" for name in names]
    assert row.data["new"] == [f"{name} (#{tasks[name]})" for name in names[1:]]
    assert row.data["removed"] == [f"officer (#{tasks['officer']})"]


def test_disabling_a_workflow_and_a_task_is_logged(client, access):
    client.force_login(access["administrator"])
    workflow, task = access["workflow"], access["officer_task"]
    assert client.post(f"/admin/workflows/disable/{workflow.pk}/").status_code == 302
    assert client.post(f"/admin/workflows/enable/{workflow.pk}/").status_code == 302
    assert client.post(f"/admin/workflows/tasks/disable/{task.pk}/").status_code == 302
    rows = administrator_rows(access).filter(action__startswith="cctv.admin.").order_by("pk")
    assert [(row.action, row.data.get("field"), row.data.get("old"), row.data.get("new")) for row in rows] == [
        (admin_audit.WORKFLOW_CHANGED, "active", True, False),
        (admin_audit.WORKFLOW_CHANGED, "active", False, True),
        (admin_audit.TASK_CHANGED, "active", True, False),
    ]


def test_a_groups_permissions_are_logged_as_added_and_removed(client, access):
    client.force_login(access["administrator"])
    spare = access["spare_group"]
    # view_requesttype is not offered in Wagtail's group editor: its form keeps it (and we see no change to it).
    spare.permissions.add(*Permission.objects.filter(codename__in=["change_requesttype", "view_requesttype"]))
    response = client.post(f"/admin/groups/edit/{spare.pk}/", group_post(spare, ["change_footagerequest"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    (row,) = administrator_rows(access, admin_audit.GROUP_CHANGED)
    assert row.data == {
        "field": "permissions",
        "old": ["cctv_workflow.change_requesttype", "cctv_workflow.view_requesttype"],
        "new": ["cctv_workflow.change_footagerequest", "cctv_workflow.view_requesttype"],
        "added": ["cctv_workflow.change_footagerequest"],
        "removed": ["cctv_workflow.change_requesttype"],
    }


def test_a_users_groups_are_logged_once_per_save_with_old_and_new(client, access):
    client.force_login(access["administrator"])
    spare = access["spare_user"]
    spare.groups.add(access["groups"]["auditor"])
    response = client.post(f"/admin/users/edit/{spare.pk}/", user_post(access, spare, [access["groups"]["officer"]]))
    assert response.status_code == 302, response.content.decode()[:3000]
    (row,) = administrator_rows(access, admin_audit.USER_GROUPS_CHANGED)
    assert row.object_id == str(spare.pk)
    assert row.data == {
        "field": "groups",
        "old": [AUDITORS],
        "new": [OFFICERS],
        "added": [OFFICERS],
        "removed": [AUDITORS],
    }


def test_assigning_a_role_in_bulk_is_logged_for_each_user(client, access):
    client.force_login(access["administrator"])
    spare, editor = access["spare_user"], access["editor"]
    response = client.post(
        f"/admin/bulk/auth/user/assign_role/?id={spare.pk}&id={editor.pk}", {"role": access["groups"]["head"].pk}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = administrator_rows(access, admin_audit.USER_GROUPS_CHANGED)
    assert {row.object_id: row.data["added"] for row in rows} == {
        str(spare.pk): [HEADS],
        str(editor.pk): [HEADS],
    }
    assert rows.get(object_id=str(editor.pk)).data["old"] == [EDITORS]


def test_pointing_a_request_type_at_another_workflow_is_logged(client, access):
    client.force_login(access["administrator"])
    request_type, old = access["request_type"], access["workflow"]
    shortcut = Workflow.objects.create(name="ทางลัด")
    response = client.post(
        f"/admin/snippets/cctv_workflow/requesttype/edit/{request_type.pk}/",
        {
            "kind": "view",
            "name_th": request_type.name_th,
            "name_en": request_type.name_en,
            "workflow": shortcut.pk,
            "active": "on",
            "sort_order": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (row,) = administrator_rows(access, admin_audit.REQUEST_TYPE_CHANGED)
    assert row.data == {"field": "workflow", "old": f"{old.name} (#{old.pk})", "new": f"ทางลัด (#{shortcut.pk})"}


def test_only_a_superuser_makes_or_edits_a_superuser(client, access):
    client.force_login(access["administrator"])
    spare = access["spare_user"]
    response = client.post(f"/admin/users/edit/{spare.pk}/", user_post(access, spare, [], is_superuser="on"))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    response = client.post(
        "/admin/users/new/",
        user_post(
            access,
            User(username="root2", email="root2@example.invalid"),
            [],
            is_superuser="on",
            password1="a-Long-pass-9876",
            password2="a-Long-pass-9876",
        ),
    )
    assert response["Location"] == "/admin/"
    superuser = User.objects.create_superuser(username="root", password=PASSWORD, email="root@example.invalid")
    assert client.get(f"/admin/users/edit/{superuser.pk}/")["Location"] == "/admin/"
    assert not User.objects.filter(username="root2").exists()
    assert not User.objects.get(pk=spare.pk).is_superuser

    superuser_client = client.__class__()
    superuser_client.force_login(superuser)
    response = superuser_client.post(f"/admin/users/edit/{spare.pk}/", user_post(access, spare, [], is_superuser="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=spare.pk).is_superuser
    (row,) = ModelLogEntry.objects.filter(user=superuser, action=admin_audit.USER_SUPERUSER_CHANGED)
    assert row.data == {"field": "is_superuser", "old": False, "new": True}


def test_changes_outside_the_admin_are_logged_as_the_system(access):
    officers = access["groups"]["officer"]
    spare = access["spare_user"]
    officers.user_set.add(spare)
    spare.groups.remove(officers)
    spare.groups.add(officers, access["groups"]["head"])
    officers.user_set.clear()  # from the group's side: every member's entry
    rows = ModelLogEntry.objects.filter(action=admin_audit.USER_GROUPS_CHANGED, object_id=str(spare.pk))
    assert [(row.user, row.data["old"], row.data["new"]) for row in rows.order_by("pk")] == [
        (None, [], [OFFICERS]),
        (None, [OFFICERS], []),
        (None, [], sorted([OFFICERS, HEADS])),
        (None, sorted([OFFICERS, HEADS]), [HEADS]),
    ]
    officer = ModelLogEntry.objects.filter(
        action=admin_audit.USER_GROUPS_CHANGED, object_id=str(User.objects.get(username="officer").pk)
    ).latest("pk")
    assert officer.data["removed"] == [OFFICERS]


def test_every_audit_code_has_a_label_and_describes_its_change(access):
    for code, _label, _message in admin_audit.LOG_ACTIONS:
        assert log_action_registry.action_exists(code), code
    entry = ModelLogEntry.objects.filter(
        action=admin_audit.TASK_CHANGED, object_id=str(access["officer_task"].pk)
    ).first()
    assert entry is not None  # the chain fixture set the steps' groups
    message = str(log_action_registry.get_formatter(entry).format_message(entry))
    assert OFFICERS in message, message
    with translation.override("th"):
        message = str(log_action_registry.get_formatter(entry).format_message(entry))
    assert message.startswith("ขั้นตอนย่อยของการอนุมัติถูกเปลี่ยน: "), message


def test_setup_roles_takes_reserved_rights_back_from_existing_groups(access):
    editors = access["groups"]["editor"]
    dangerous = [
        Permission.objects.get(content_type__app_label="wagtailcore", codename="change_task"),
        Permission.objects.get(content_type__app_label="wagtailcore", codename="add_workflow"),
        Permission.objects.get(content_type__app_label="auth", codename="change_group"),
        Permission.objects.get(content_type__app_label="cctv_workflow", codename="change_requesttype"),
    ]
    editors.permissions.add(*dangerous)
    access["groups"]["officer"].permissions.add(dangerous[2])
    setup_roles()
    for role in ROLES:
        held = Group.objects.get(name=role.group).permissions.filter(pk__in=reserved_permissions())
        assert not {_dotted(permission) for permission in held} - set(role.permissions), role.key
    (row,) = ModelLogEntry.objects.filter(
        action=admin_audit.GROUP_CHANGED, object_id=str(editors.pk), user=None
    ).order_by("-pk")[:1]
    assert sorted(row.data["removed"]) == sorted(_dotted(permission) for permission in dangerous)
    # Idempotent: a second deploy changes nothing and logs nothing.
    before, rows = who_may_do_what(), ModelLogEntry.objects.count()
    setup_roles()
    assert (who_may_do_what(), ModelLogEntry.objects.count()) == (before, rows)


def test_the_administrator_holds_exactly_the_access_rights_and_no_request_data(access):
    administrator = access["administrator"]
    assert administrator.has_perms([*MANAGE_ACCESS, "cctv_two_factor.add_enrolmentlink"])
    assert {permission.split(".")[1].split("_", 1)[1] for permission in MANAGE_ACCESS} <= {
        model.split(".")[1] for model in RESERVED_MODELS
    }
    assert not administrator.has_perm("cctv_workflow.view_footagerequest")
    assert not administrator.has_perm("cctv_workflow.change_footagerequest")
    editor = access["editor"]
    assert not any(editor.has_perm(_dotted(permission)) for permission in reserved_permissions())


def test_setup_roles_names_other_groups_that_hold_reserved_rights(access, capsys):
    access["spare_group"].permissions.add(Permission.objects.get(codename="change_group"))
    call_command("setup_roles")
    assert "Spare" in capsys.readouterr().err


def _dotted(permission):
    return f"{permission.content_type.app_label}.{permission.codename}"
