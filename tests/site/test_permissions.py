"""Who may open what, role by role (anonymous, officer, head, deputy, chief, editor, auditor, administrator)."""

import pytest
from django.contrib.auth import get_user_model

from cctv.roles import setup_roles

ROLES = ["anonymous", "officer", "head", "deputy", "chief", "editor", "auditor", "administrator"]

# url -> the roles that get the page (others are sent to the login page or refused)
TABLE = {
    "/admin/": {"officer", "head", "deputy", "chief", "editor", "auditor", "administrator"},
    "/admin/cctv/queue/": {"officer", "head", "deputy", "chief", "editor", "auditor", "administrator"},
    "/admin/snippets/cctv_workflow/footagerequest/": {"officer", "head", "deputy", "chief", "auditor"},
    # Supervisors read any request and its files (access-logged); acting stays with the step's group.
    "/admin/snippets/cctv_workflow/footagerequest/edit/{request}/": {"officer", "head", "deputy", "chief"},
    "/admin/cctv/attachments/{attachment}/": {"officer", "head", "deputy", "chief"},
    "/admin/snippets/cctv_stations/station/add/": {"editor"},
    "/admin/snippets/cctv_workflow/refusalreason/add/": {"editor"},
    "/admin/snippets/cctv_workflow/messagetemplate/add/": {"editor"},
    "/admin/settings/cctv_home/servicesettings/{site}/": {"editor"},
    "/admin/pages/{form_page}/edit/": {"editor"},
    # Who may do what is the administrator's alone (tests/site/test_privilege_escalation.py has every such page).
    "/admin/workflows/list/": {"administrator"},
    "/admin/workflows/tasks/index/": {"administrator"},
    "/admin/groups/": {"administrator"},
    "/admin/users/": {"administrator"},
    "/admin/snippets/cctv_workflow/requesttype/": {"administrator", "auditor"},
    "/admin/snippets/cctv_workflow/requesttype/add/": {"administrator"},
    "/admin/cctv/enrolment-links/": {"administrator"},
    "/admin/cctv/audit/": {"auditor"},
    "/admin/cctv/standard/": {"head", "auditor"},
    "/admin/cctv/requests/{request}/preserve/": {"officer", "head"},
    "/admin/snippets/cctv_workflow/servicestep/add/": {"editor"},
    "/admin/snippets/cctv_stations/station/": {"editor", "auditor"},
}


@pytest.fixture
def people(db, home_page):
    groups = setup_roles()
    users = {}
    for role in ROLES[1:]:
        user = get_user_model().objects.create_user(username=f"{role}-user", password="x" * 16)
        user.groups.add(groups[role])
        users[role] = user
    return users


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(TABLE))
def test_role_access(client, people, chain, form_page, role, url):
    from workflow.request.models import Attachment

    footage_request = chain["new"]()
    target = url.format(
        request=footage_request.pk,
        attachment=Attachment.objects.get(request=footage_request).pk,
        site=form_page.get_site().pk,
        form_page=form_page.pk,
    )
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(target)
    if role in TABLE[url]:
        assert response.status_code == 200, (role, url, response.status_code)
    else:
        assert response.status_code in (302, 403), (role, url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(("/admin/login/", "/admin/")), response["Location"]
            assert response["Location"] != target
