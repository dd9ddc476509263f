"""Wagtail's own admin (pages, reports, workflows and steps, staff accounts and groups) shows staff of one
organisation only their organisations' objects: generated over every URL of those namespaces, for each role
(ADR 0016, step 4). A URL Wagtail adds to them later is requested the same way, so it cannot arrive unscoped."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern
from wagtail.log_actions import log
from wagtail.models import Page, Workflow, WorkflowTask

from cctv.roles import ROLES, setup_roles
from tests.factories import another_organisation, first_organisation
from workflow.approval.models import ApprovalTask

THEIRS = "nan.example.test"
# Names that only the other organisation's objects carry.
THEIR_NAMES = ("ข่าวของน่าน", "ขั้นของน่าน", "ลำดับของน่าน", "staff-of-nan", "เทศบาลเมืองน่าน", THEIRS)
SCOPED_URLS = (
    "wagtailadmin_explore",
    "wagtailadmin_pages:",
    "wagtailadmin_choose_page",
    "wagtailadmin_api:pages:",
    "wagtailadmin_reports:",
    "wagtailadmin_workflows:",
    "wagtailusers_users:",
    "wagtailusers_groups:",
    "wagtailforms:",
    "wagtail_bulk_action",
)


def admin_url_patterns():
    """(name, kwarg names, is a regular expression) of every admin URL in the namespaces above."""

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif pattern.name:
                regex = isinstance(pattern.pattern, RegexPattern)
                yield namespace + pattern.name, tuple(getattr(pattern.pattern, "converters", {})), regex

    return sorted({found for found in walk(get_resolver()) if found[0].startswith(SCOPED_URLS)})


def make_workflow(organisation, name, step, group):
    task = ApprovalTask.objects.create(name=step, organisation=organisation)
    task.groups.set([group])
    workflow = Workflow.objects.create(name=name)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow, task


@pytest.fixture
def client(client):
    client.defaults["HTTP_HOST"] = "localhost"
    return client


@pytest.fixture
def two_organisations(settings, home_page):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", THEIRS]
    groups = setup_roles()
    ours, theirs = first_organisation(), another_organisation(code="NAN", host=THEIRS)
    their_home = Page.objects.get(pk=theirs.site.root_page_id)
    their_page = their_home.add_child(instance=Page(title="ข่าวของน่าน", slug="news"))
    our_page = home_page.add_child(instance=Page(title="ข่าวของเรา", slug="news"))
    for page in (their_page, our_page):
        page.save_revision().publish()
    their_workflow, their_task = make_workflow(theirs, "ลำดับของน่าน", "ขั้นของน่าน", groups["officer"])
    our_workflow, _our_task = make_workflow(ours, "ลำดับของเรา", "ขั้นของเรา", groups["officer"])
    superuser = get_user_model().objects.create_superuser("root", password="x" * 16)
    their_state = their_workflow.start(their_page, superuser)
    our_workflow.start(our_page, superuser)
    Page.objects.filter(pk__in=[their_page.pk, our_page.pk]).update(locked=True, locked_by=superuser)
    their_staff = get_user_model().objects.create_user("staff-of-nan", password="x" * 16)
    theirs.members.add(their_staff)
    our_staff = get_user_model().objects.create_user("staff-of-ours", password="x" * 16)
    ours.members.add(our_staff)
    log(instance=their_staff, action="wagtail.edit", user=superuser)
    log(instance=our_staff, action="wagtail.edit", user=superuser)
    return {
        "ours": ours,
        "theirs": theirs,
        "groups": groups,
        "their_home": their_home,
        "their_page": their_page,
        "their_revision": their_page.latest_revision,
        "their_workflow": their_workflow,
        "their_task": their_task,
        "their_state": their_state,
        "their_staff": their_staff,
        "our_page": our_page,
    }


def staff_of(organisation, groups, role_key: str):
    user = get_user_model().objects.create_user(username=f"{role_key}-{organisation.code}", password="x" * 16)
    user.groups.add(groups[role_key])
    organisation.members.add(user)
    return user


def their_url(name, kwarg_names, regex, rows) -> str:
    """The URL ``name`` pointing at the other organisation's objects."""
    if regex:  # revisions_compare: page id, then the two revisions
        return reverse(name, args=[rows["their_page"].pk, "earliest", "latest"])
    page = rows["their_page"].pk
    if name.startswith("wagtailadmin_workflows:"):
        is_task = name.endswith("_task") or ":task" in name
        pk = rows["their_task"].pk if is_task else rows["their_workflow"].pk
    elif name.startswith("wagtailusers_users:"):
        pk = rows["their_staff"].pk
    elif name.startswith("wagtailusers_groups:"):
        pk = rows["groups"]["officer"].pk
    else:
        pk = page
    task_state = rows["their_state"].current_task_state
    values = {
        "pk": pk,
        "page_id": page,
        "parent_page_id": rows["their_home"].pk,
        "page_to_move_id": page,
        "destination_id": rows["their_home"].pk,
        "page_pk": page,
        "workflow_pk": rows["their_workflow"].pk,
        "task_id": rows["their_task"].pk,
        "revision_id": rows["their_revision"].pk,
        "workflow_state_id": rows["their_state"].pk,
        "task_state_id": task_state.pk,
        "action_name": "approve",
        "content_type_app_name": "wagtailcore",
        "content_type_model_name": "page",
        "app_label": "cctv_workflow" if name.startswith("wagtailadmin_workflows:") else "wagtailcore",
        "model_name": "approvaltask" if name.startswith("wagtailadmin_workflows:") else "page",
        "action": "delete",
    }
    url = reverse(name, kwargs={key: values[key] for key in kwarg_names})
    if name == "wagtail_bulk_action":
        url += f"?id={page}"
    elif not kwarg_names:  # a listing searched for their name; a chooser asked to return their page
        url += f"?q=น่าน&id={page}"
    return url


def shows_their_objects(response) -> list[str]:
    shown = response.content.decode().replace('value="น่าน"', "")
    return [name for name in THEIR_NAMES if name in shown]


def test_the_generated_urls_cover_every_kind_of_wagtail_admin_screen():
    names = {name for name, _kwargs, _regex in admin_url_patterns()}
    for expected in (
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:search",
        "wagtailadmin_explore",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_workflows:edit_task",
        "wagtailusers_users:edit",
        "wagtailusers_groups:edit",
    ):
        assert expected in names


@pytest.mark.parametrize("role", [role.key for role in ROLES])
def test_staff_of_one_organisation_reach_nothing_of_another_in_wagtails_admin(client, two_organisations, role):
    client.force_login(staff_of(two_organisations["ours"], two_organisations["groups"], role))
    leaks = []
    for name, kwarg_names, regex in admin_url_patterns():
        url = their_url(name, kwarg_names, regex, two_organisations)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200 and shows_their_objects(response):
            leaks.append((url, shows_their_objects(response)))
    assert leaks == []


def test_an_editor_explores_and_searches_only_their_own_pages(client, two_organisations):
    client.force_login(staff_of(two_organisations["ours"], two_organisations["groups"], "editor"))
    root = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert "หน้าแรก" in root
    assert "เทศบาลเมืองน่าน" not in root
    found = client.get(reverse("wagtailadmin_pages:search"), {"q": "ข่าว"}).content.decode()
    assert "ข่าวของเรา" in found
    assert "ข่าวของน่าน" not in found
    assert client.get(reverse("wagtailadmin_pages:edit", args=[two_organisations["our_page"].pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[two_organisations["their_page"].pk])).status_code == 404
    our_home = client.get(reverse("wagtailadmin_explore", args=[two_organisations["our_page"].get_parent().pk]))
    assert "ข่าวของเรา" in our_home.content.decode()
    assert not shows_their_objects(our_home)  # nor the other site in the explorer's site filter
    api = client.get(reverse("wagtailadmin_api:pages:listing"), {"child_of": "root", "for_explorer": "1"}).json()
    assert [item["title"] for item in api["items"]] == ["หน้าแรก"]


def test_an_administrator_sees_their_own_workflows_steps_staff_and_history(client, two_organisations):
    client.force_login(staff_of(two_organisations["ours"], two_organisations["groups"], "administrator"))
    workflows = client.get(reverse("wagtailadmin_workflows:index")).content.decode()
    assert "ลำดับของเรา" in workflows
    assert "ลำดับของน่าน" not in workflows
    tasks = client.get(reverse("wagtailadmin_workflows:task_index")).content.decode()
    assert "ขั้นของเรา" in tasks
    assert "ขั้นของน่าน" not in tasks
    staff = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "staff-of-ours" in staff
    assert "staff-of-nan" not in staff
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "staff-of-ours" in history
    assert "staff-of-nan" not in history


def test_a_superuser_still_sees_every_organisation(client, two_organisations):
    client.force_login(get_user_model().objects.get(username="root"))
    workflows = client.get(reverse("wagtailadmin_workflows:index")).content.decode()
    assert "ลำดับของเรา" in workflows
    assert "ลำดับของน่าน" in workflows
    assert client.get(reverse("wagtailadmin_pages:edit", args=[two_organisations["their_page"].pk])).status_code == 200


def test_an_account_a_scoped_administrator_creates_works_for_their_organisation(client, two_organisations):
    client.force_login(staff_of(two_organisations["ours"], two_organisations["groups"], "administrator"))
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "new-officer",
            "email": "new@example.test",
            "first_name": "ใหม่",
            "last_name": "เจ้าหน้าที่",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            "groups": [two_organisations["groups"]["officer"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = get_user_model().objects.get(username="new-officer")
    assert list(created.organisations.all()) == [two_organisations["ours"]]


def test_only_a_superuser_changes_a_group_once_there_are_two_organisations(client, two_organisations):
    client.force_login(staff_of(two_organisations["ours"], two_organisations["groups"], "administrator"))
    officer = two_organisations["groups"]["officer"]
    assert client.get(reverse("wagtailusers_groups:index")).status_code == 200
    response = client.post(reverse("wagtailusers_groups:edit", args=[officer.pk]), {"name": "เปลี่ยนชื่อ"}, follow=True)
    assert "เฉพาะผู้ดูแลสูงสุด" in response.content.decode()
    assert Group.objects.filter(pk=officer.pk, name=officer.name).exists()
    assert client.post(reverse("wagtailusers_groups:add"), {"name": "กลุ่มใหม่"}).status_code == 302
    assert not Group.objects.filter(name="กลุ่มใหม่").exists()


LIBRARY_URLS = (
    "wagtailimages:",
    "wagtailimages_chooser:",
    "wagtaildocs:",
    "wagtaildocs_chooser:",
    "wagtailadmin_collections:",
)


def library_urls():
    """Every admin URL of Wagtail's image and document libraries and collections, with an id where one is named."""

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif pattern.name and (namespace + pattern.name).startswith(LIBRARY_URLS):
                converters = getattr(pattern.pattern, "converters", {})
                values = {key: ("fill-100x100" if key == "filter_spec" else 1) for key in converters}
                yield reverse(namespace + pattern.name, kwargs=values)

    return sorted(set(walk(get_resolver())))


@pytest.mark.parametrize("role", [role.key for role in ROLES])
def test_the_shared_image_and_document_libraries_are_closed_to_staff_of_an_organisation(
    client, two_organisations, role
):
    """One library for every organisation of the installation would show one municipality's uploads to another's
    editors: no role holds rights on it, and its URLs answer 404 to staff of an organisation (ADR 0020)."""
    from wagtail.models import GroupCollectionPermission

    assert not GroupCollectionPermission.objects.filter(group__in=two_organisations["groups"].values()).exists()
    assert not Group.objects.filter(
        pk__in=[g.pk for g in two_organisations["groups"].values()],
        permissions__content_type__app_label__in=("wagtailimages", "wagtaildocs"),
    ).exists()
    client.force_login(staff_of(two_organisations["ours"], two_organisations["groups"], role))
    urls = library_urls()
    assert "/admin/images/" in urls and "/admin/documents/chooser/" in urls and "/admin/collections/" in urls
    answers = {url: client.get(url).status_code for url in urls}
    assert {url: status for url, status in answers.items() if status != 404} == {}
    assert client.get("/admin/api/main/images/").status_code == 404


def test_rich_text_takes_no_image_document_or_embed(client, two_organisations):
    from cctv.home.models import PrivacyPolicyPage

    widget = PrivacyPolicyPage._meta.get_field("body").formfield().widget
    assert not {"image", "document-link", "embed"} & set(widget.features)
    assert "link" in widget.features


@pytest.mark.parametrize("role", [role.key for role in ROLES])
def test_the_dashboard_counts_only_their_organisations_pages(client, two_organisations, role):
    from wagtail.models import Site

    client.force_login(staff_of(two_organisations["ours"], two_organisations["groups"], role))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert shows_their_objects(response) == []
    heading = response.content.decode().split('<h1 class="w-h1 w-mt-0">', 1)[1].split("</h1>", 1)[0]
    assert heading.strip() == two_organisations["ours"].display_name  # not the installation's name
    if role == "editor":  # the one role with page rights: the count of its organisation's pages, by its name
        ours = Site.objects.get(organisation=two_organisations["ours"])
        html = " ".join(response.content.decode().split())
        assert f'2 หน้า <span class="w-sr-only">ที่สร้างใน {ours.site_name}' in html
