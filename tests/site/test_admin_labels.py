"""Fields and models Wagtail or Django would name in English get a Thai name (site/cctv/admin_labels.py): the
sign-in form's password, the workflow editor's page and content-type fields, and the plural of every model of ours
("2 บันทึกการปฏิบัติงานs" was Django adding an s to the Thai singular)."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.models import Workflow

pytestmark = pytest.mark.django_db

OUR_APPS = ("cctv_home", "cctv_stations", "cctv_two_factor", "cctv_forms", "cctv_workflow")


def labels(html: str) -> list[str]:
    """Each <label>'s text, without the required mark."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", text.replace("*", "")).split())
        for text in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]


def test_the_sign_in_page_labels_its_fields_in_thai(client):
    found = labels(client.get("/admin/login/").content.decode())
    assert found == ["ชื่อผู้ใช้", "รหัสผ่าน", "จดจำการเข้าสู่ระบบ"]


def test_the_sign_in_form_still_signs_in(client):
    get_user_model().objects.create_superuser(username="officer.th", password="x-" * 8)
    response = client.post("/admin/login/", {"username": "officer.th", "password": "x-" * 8})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_workflow_editor_labels_its_page_and_content_type_fields_in_thai(client, home_page):
    client.force_login(get_user_model().objects.create_superuser(username="admin.th", password="x-" * 8))
    workflow = Workflow.objects.create(name="อนุมัติคำร้อง")
    found = labels(client.get(f"/admin/workflows/edit/{workflow.pk}/").content.decode())
    # The page chooser of the existing row and of the row template JavaScript copies.
    assert found.count("หน้า") == 2, found
    assert "ประเภทเนื้อหา" in found
    assert not {"Page", "Content types"} & set(found)


# The history models are django-simple-history's, named by it ("historical ...") and not shown in the admin.
NAMED_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in OUR_APPS
    and "verbose_name" in model._meta.original_attrs
    and not model.__name__.startswith("Historical")
]


@pytest.mark.parametrize("model", NAMED_MODELS, ids=lambda model: model._meta.label)
def test_every_model_we_name_has_a_plural_name_in_thai(model):
    assert "verbose_name_plural" in model._meta.original_attrs, f"Django would call {model.__name__} '...s'"
    with translation.override("th"):
        plural = str(model._meta.verbose_name_plural)
    assert not re.search(r"[A-Za-z]", plural), plural
