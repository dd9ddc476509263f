"""Editors maintain stations, the form's extra questions, the policy and settings in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cctv.home.models import ServiceSettings
from cctv.roles import setup_roles
from cctv.stations.models import Camera, Station
from forms.models import RequestFormField


@pytest.fixture
def groups(db, home_page):
    return setup_roles()


def login_as(client, groups, role):
    user = get_user_model().objects.create_user(username=role, password="x-" * 8)
    user.groups.add(groups[role])
    client.force_login(user)
    return user


def station_post(**overrides):
    data = {
        "code": "night-market",
        "name_th": "ตลาดโต้รุ่ง",
        "name_en": "Night market",
        "district": "อ.เมือง",
        "description": "",
        "active": "on",
        "sort_order": "7",
        "recorder_retention_days": "21",
        "cameras": inline_formset(
            [
                {"code": "C01", "name": "ทางเข้าตลาด", "position": "หันไปทางถนน", "active": "on"},
                {"code": "C02", "name": "ลานจอดรถ", "position": "", "active": "on"},
            ]
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_adds_a_station_with_cameras_and_history_is_kept(client, groups):
    login_as(client, groups, "editor")
    response = client.post("/admin/snippets/cctv_stations/station/add/", station_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    station = Station.objects.get(code="night-market")
    assert sorted(station.cameras.values_list("code", flat=True)) == ["C01", "C02"]
    assert station.history.count() == 1
    assert Camera.history.filter(station_id=station.pk).count() == 2
    assert station.history.first().history_user.username == "editor"


def test_editor_changes_retention_and_history_records_both_versions(client, groups):
    login_as(client, groups, "editor")
    client.post("/admin/snippets/cctv_stations/station/add/", station_post())
    station = Station.objects.get(code="night-market")
    cameras = list(station.cameras.order_by("sort_order"))
    data = station_post(recorder_retention_days="45")
    data.update(
        nested_form_data(
            {
                "cameras": inline_formset(
                    [
                        {"id": cameras[0].pk, "code": "C01", "name": "ทางเข้าตลาด", "active": "on"},
                        {"id": cameras[1].pk, "code": "C02", "name": "ลานจอดรถ", "active": "on"},
                    ],
                    initial=2,
                )
            }
        )
    )
    response = client.post(f"/admin/snippets/cctv_stations/station/edit/{station.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(station.history.order_by("history_date").values_list("recorder_retention_days", flat=True)) == [
        21,
        45,
    ]


def test_auditor_cannot_add_stations(client, groups):
    login_as(client, groups, "auditor")
    response = client.post("/admin/snippets/cctv_stations/station/add/", station_post())
    assert response.status_code in (302, 403)
    assert not Station.objects.filter(code="night-market").exists()


def form_page_post(form_page, labels):
    return nested_form_data(
        {
            "title": form_page.title,
            "slug": form_page.slug,
            "intro": rich_text("<p>แนะนำ</p>"),
            "help_text": rich_text(""),
            "thank_you_text": rich_text(""),
            "form_fields": inline_formset(
                [{"label": label, "field_type": "singleline", "required": "", "help_text": ""} for label in labels]
            ),
            "action-publish": "publish",
        }
    )


def test_editor_adds_an_extra_question_to_the_form(client, groups, form_page):
    login_as(client, groups, "editor")
    response = client.post(f"/admin/pages/{form_page.pk}/edit/", form_page_post(form_page, ["ทะเบียนรถ"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert RequestFormField.objects.filter(page=form_page, label="ทะเบียนรถ").exists()
    assert "ทะเบียนรถ" in client.get(form_page.url).content.decode()


def test_extra_question_named_like_a_core_field_is_refused_with_a_message(client, groups, form_page):
    login_as(client, groups, "editor")
    response = client.post(f"/admin/pages/{form_page.pk}/edit/", form_page_post(form_page, ["national_id"]))
    assert response.status_code == 200
    assert "ชื่อนี้ซ้ำกับช่องข้อมูลหลักของแบบฟอร์มคำร้อง" in response.content.decode()
    assert not RequestFormField.objects.filter(page=form_page).exists()


def test_editor_switches_off_race_in_settings_and_history_keeps_it(client, groups, form_page):
    login_as(client, groups, "editor")
    service = ServiceSettings.objects.get()
    data = {
        "organisation_name": service.organisation_name,
        "organisation_name_en": "",
        "contact_unit": service.contact_unit,
        "contact_phone": service.contact_phone,
        "retention_days": "1095",
        "approved_instructions": "",
    }
    response = client.post(f"/admin/settings/cctv_home/servicesettings/{service.site_id}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    service.refresh_from_db()
    assert service.collect_race is False
    assert service.history.filter(collect_race=False).exists()
    assert 'name="race"' not in client.get(form_page.url).content.decode()
