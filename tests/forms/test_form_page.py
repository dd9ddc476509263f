import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cctv.thai.dates import format_be_date
from forms.models import RequestFormField, RequestFormPageAdminForm
from tests.factories import altcha_solution, national_id, png_bytes
from workflow.constants import AttachmentKind
from workflow.lifecycle import PublicStatus
from workflow.request.models import Attachment, FootageRequest

SIGNATURE = "data:image/png;base64," + __import__("base64").b64encode(png_bytes()).decode()


def valid_post(stations, request_types, **overrides):
    today = timezone.localdate()
    data = {
        "written_on": format_be_date(today),
        "title": "mr",
        "first_name": "สมศักดิ์",
        "last_name": "ใจดี",
        "national_id": "๑-๑๐๑๗-๐๐๒๐๓-๔๕-" + "๐๑๒๓๔๕๖๗๘๙"[int(national_id()[-1])],
        "age": "40",
        "race": "",
        "nationality": "ไทย",
        "address_house_no": "99/1",
        "address_village": "หมู่ 3",
        "address_road": "",
        "address_subdistrict": "ศาลา",
        "address_district": "เกาะคา",
        "address_province": "ลำปาง",
        "address_postcode": "52130",
        "phone": "081-234-5678",
        "email": "",
        "request_type": str(request_types["copy"].pk),
        "file_count": "2",
        "station": str(stations[0].pk),
        "cameras": [str(c.pk) for c in stations[0].cameras.all()[:1]],
        "incident_date": format_be_date(today - timedelta(days=2)),
        "incident_time": "14:30",
        "incident_time_end": "",
        "reason": "ต้องการค้นหาของที่สูญหาย",
        "consent": "on",
        "signature": SIGNATURE,
        "altcha": altcha_solution(),
    }
    data.update(overrides)
    return data


def id_card_file(name="id-card.png"):
    return SimpleUploadedFile(name, png_bytes(size=(200, 120)), content_type="image/png")


def test_form_page_renders_the_seed_fields_in_thai(client, form_page, django_assert_max_num_queries):
    client.get(form_page.url)  # warm the form options cache, as in production
    with django_assert_max_num_queries(5):
        response = client.get(form_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("วันที่เขียน", "เลขบัตรประชาชน", "เหตุเกิดบริเวณ", "สำเนาบัตรประชาชน", "ลายมือชื่อผู้ยื่นคำร้อง"):
        assert label in html, label
    assert "สวนสาธารณะหนองกระทิง" in html
    assert "สถานีที่ปิดแล้ว" not in html  # inactive stations are not offered
    assert "ข้าพเจ้าได้อ่านและยอมรับนโยบายความเป็นส่วนตัวแล้ว" in html
    assert "<script>" not in html and "onclick=" not in html and 'style="' not in html


def test_form_page_query_count_does_not_grow_with_stations(client, form_page, django_assert_max_num_queries):
    from tests.factories import CameraFactory, StationFactory

    for _ in range(20):
        CameraFactory(station=StationFactory())
    client.get(form_page.url)
    with django_assert_max_num_queries(5):
        assert client.get(form_page.url).status_code == 200


def test_valid_submission_redirects_to_confirmation_with_reference_and_qr(client, form_page, stations, request_types):
    response = client.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()})
    assert response.status_code == 302
    assert response["Location"] == "/request/submitted/"
    created = FootageRequest.objects.get()
    assert created.national_id == national_id()
    assert created.phone == "0812345678"
    assert created.file_count == 2
    assert created.public_status == PublicStatus.PENDING
    assert list(created.cameras.all()) == list(stations[0].cameras.all()[:1])
    assert (
        created.privacy_policy_revision_id
        == form_page.get_parent()
        .get_children()
        .type(__import__("cctv.home.models", fromlist=["PrivacyPolicyPage"]).PrivacyPolicyPage)
        .first()
        .live_revision_id
    )
    assert Attachment.objects.get(request=created).kind == AttachmentKind.ID_CARD

    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert created.reference in html
    assert f"/status/{created.token}/qr.svg" in html
    assert "ส*** ใจ***" in html and "สมศักดิ์" not in html and "ใจดี" not in html  # one letter of each name
    assert national_id() not in html


def test_confirmation_is_only_for_the_browser_that_submitted(client, form_page, stations, request_types):
    client.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()})
    from django.test import Client

    assert Client().get("/request/submitted/").status_code == 302


def test_invalid_submission_keeps_typed_values_signature_and_valid_files(client, form_page, stations, request_types):
    data = valid_post(stations, request_types, national_id="1234567890123", phone="12")
    response = client.post(form_page.url, {**data, "id_card": id_card_file()})
    assert response.status_code == 200
    html = response.content.decode()
    assert FootageRequest.objects.count() == 0
    assert 'class="error-summary"' in html
    assert 'value="สมศักดิ์"' in html
    assert SIGNATURE in html  # the drawn signature comes back in its hidden field
    kept = re.search(r'name="id_card_kept" value="([^"]+)"', html)
    assert kept, "the valid ID-card copy must be kept"

    # Second attempt: only the wrong fields are corrected, no file is chosen again (the browser's
    # anti-robot widget solves a fresh challenge on each send).
    data.update(national_id=national_id(), phone="0812345678", id_card_kept=kept.group(1), altcha=altcha_solution())
    response = client.post(form_page.url, data)
    assert response.status_code == 302
    created = FootageRequest.objects.get()
    assert Attachment.objects.filter(request=created, kind=AttachmentKind.ID_CARD).count() == 1


def test_missing_id_card_copy_is_an_error(client, form_page, stations, request_types):
    response = client.post(form_page.url, valid_post(stations, request_types))
    assert response.status_code == 200
    assert FootageRequest.objects.count() == 0
    assert 'id="id_id_card_error"' in response.content.decode()


def test_forged_kept_token_is_ignored(client, form_page, stations, request_types):
    data = valid_post(stations, request_types, id_card_kept="forged-token")
    response = client.post(form_page.url, data)
    assert response.status_code == 200
    assert FootageRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"file_count": ""}, "file_count", id="copy_needs_the_number_of_files"),
        pytest.param({"incident_date": "24/11/2026"}, "incident_date", id="christian_era_year_is_refused"),
        pytest.param({"station": "999999"}, "station", id="unknown_station"),
        pytest.param({"signature": ""}, "signature", id="signature_is_required"),
        pytest.param({"consent": ""}, "consent", id="consent_is_required"),
        pytest.param({"incident_time_end": "10:00"}, "incident_time_end", id="end_time_before_start"),
        pytest.param({"address_postcode": "5213"}, "address_postcode", id="postcode_has_five_digits"),
    ],
)
def test_field_errors_are_reported_on_the_field(client, form_page, stations, request_types, overrides, field):
    response = client.post(
        form_page.url, {**valid_post(stations, request_types, **overrides), "id_card": id_card_file()}
    )
    assert response.status_code == 200
    assert FootageRequest.objects.count() == 0
    assert f'id="id_{field}_error"' in response.content.decode()


def test_camera_of_another_station_is_refused(client, form_page, stations, request_types):
    other_camera = stations[1].cameras.first()
    data = valid_post(stations, request_types, cameras=[str(other_camera.pk)])
    response = client.post(form_page.url, {**data, "id_card": id_card_file()})
    assert 'id="id_cameras_error"' in response.content.decode()


def test_view_request_ignores_file_count(client, form_page, stations, request_types):
    data = valid_post(stations, request_types, request_type=str(request_types["view"].pk), file_count="3")
    client.post(form_page.url, {**data, "id_card": id_card_file()})
    assert FootageRequest.objects.get().file_count is None


def test_editor_extra_fields_are_rendered_and_stored(client, form_page, stations, request_types):
    RequestFormField.objects.create(page=form_page, label="ทะเบียนรถที่เกี่ยวข้อง", field_type="singleline", required=True)
    RequestFormField.objects.create(page=form_page, label="ภาพถ่ายเพิ่มเติม", field_type="file", required=False)
    html = client.get(form_page.url).content.decode()
    assert "ทะเบียนรถที่เกี่ยวข้อง" in html
    field_name = RequestFormField.objects.get(label="ทะเบียนรถที่เกี่ยวข้อง").clean_name
    file_name = RequestFormField.objects.get(label="ภาพถ่ายเพิ่มเติม").clean_name
    data = {**valid_post(stations, request_types), field_name: "กข 1234", "id_card": id_card_file()}
    data[file_name] = SimpleUploadedFile("extra.png", png_bytes(), content_type="image/png")
    assert client.post(form_page.url, data).status_code == 302
    created = FootageRequest.objects.get()
    assert created.extra_answers[field_name] == {"label": "ทะเบียนรถที่เกี่ยวข้อง", "value": "กข 1234"}
    assert Attachment.objects.get(request=created, kind=AttachmentKind.EXTRA).label == "ภาพถ่ายเพิ่มเติม"


def test_extra_field_named_like_a_core_field_is_refused_in_the_admin(form_page):
    form_class = form_page.get_edit_handler().get_form_class()
    assert issubclass(form_class, RequestFormPageAdminForm)
    field = RequestFormField(page=form_page, label="phone", field_type="singleline")
    with pytest.raises(ValidationError) as raised:
        field.full_clean(exclude=["page"])
    assert "label" in raised.value.message_dict


def test_extra_field_colliding_with_a_core_field_never_replaces_it(client, form_page, stations, request_types):
    # Even if such a field reached the database, the validated core field stays.
    RequestFormField.objects.bulk_create(
        [RequestFormField(page=form_page, label="phone", clean_name="phone", field_type="singleline")]
    )
    data = valid_post(stations, request_types, phone="not a phone")
    response = client.post(form_page.url, {**data, "id_card": id_card_file()})
    assert response.status_code == 200
    assert 'id="id_phone_error"' in response.content.decode()


def test_race_is_not_asked_when_switched_off(client, form_page):
    from cctv.home.models import ServiceSettings

    settings_row = ServiceSettings.objects.get()
    settings_row.collect_race = False
    settings_row.save()
    html = client.get(form_page.url).content.decode()
    assert 'name="race"' not in html


def test_form_shows_english_when_chosen(client, form_page):
    client.post("/i18n/setlang/", {"language": "en", "next": form_page.url})
    html = client.get(form_page.url).content.decode()
    assert "National ID number" in html
    assert 'lang="en"' in html


def test_content_security_policy_forbids_inline_scripts(client, form_page):
    response = client.get(form_page.url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_thai_is_shown_even_to_browsers_asking_for_english(client, form_page):
    html = client.get(form_page.url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "เลขบัตรประชาชน" in html
    assert 'lang="th"' in html


def test_confirmation_warns_when_footage_may_be_overwritten(client, form_page, stations, request_types):
    old = timezone.localdate() - timedelta(days=20)  # the monument keeps footage for 15 days
    data = valid_post(
        stations, request_types, station=str(stations[1].pk), cameras=[], incident_date=format_be_date(old)
    )
    response = client.post(form_page.url, {**data, "id_card": id_card_file()}, follow=True)
    assert "เครื่องบันทึกของสถานีนี้เก็บภาพไว้ 15 วัน" in response.content.decode()


def test_submission_is_rate_limited_per_address(client, form_page, stations, request_types, settings):
    settings.CCTV_SUBMIT_RATE = "2/h"
    for _ in range(2):
        client.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()})
    response = client.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()})
    assert response.status_code == 429
    assert FootageRequest.objects.count() == 2
    # Answered before the body is read: nothing of it is kept (tests/forms/test_refuse_early.py).
    assert 'name="id_card_kept"' not in response.content.decode()


def test_the_core_form_asks_every_applicant_field():
    # The view builds the Applicant from the form's answers by these names; a missing one would store "".
    from forms.forms import CoreRequestForm
    from workflow.request.submission import APPLICANT_FIELDS

    assert set(APPLICANT_FIELDS) <= set(CoreRequestForm.base_fields)


def test_the_citizen_chooses_how_to_be_told(client, form_page, stations, request_types):
    """SMS unless chosen otherwise; e-mail needs an address (the rest of the form stays as typed); LINE is offered
    only when the municipality has a LINE Official Account."""
    html = client.get(form_page.url).content.decode()
    assert 'name="notify_by" value="sms"' in html and 'name="notify_by" value="line"' not in html

    response = client.post(
        form_page.url, {**valid_post(stations, request_types, notify_by="email"), "id_card": id_card_file()}
    )
    assert response.status_code == 200
    assert "กรุณากรอกอีเมล หรือเลือกช่องทางอื่นในการรับแจ้งผล" in response.content.decode()
    assert 'value="สมศักดิ์"' in response.content.decode()
    assert not FootageRequest.objects.exists()

    data = valid_post(stations, request_types, notify_by="email", email="somsak@example.com")
    assert client.post(form_page.url, {**data, "id_card": id_card_file()}).status_code == 302
    assert FootageRequest.objects.get().notify_by == "email"


def test_a_form_loaded_before_the_choice_existed_still_sends_and_is_told_by_sms(
    client, form_page, stations, request_types
):
    data = valid_post(stations, request_types)
    data.pop("notify_by", None)
    assert client.post(form_page.url, {**data, "id_card": id_card_file()}).status_code == 302
    assert FootageRequest.objects.get().notify_by == "sms"


def test_line_is_offered_on_the_form_when_the_municipality_has_a_line_account(client, form_page, line):
    html = client.get(form_page.url).content.decode()
    assert 'name="notify_by" value="line"' in html
    assert "หากเลือกไลน์ ให้เชื่อมต่อไลน์ในหน้าที่แสดงหลังส่งคำร้อง" in html


def test_a_submission_is_routed_from_the_route_cache_and_its_queries_do_not_grow_with_stations(
    client, chain, form_page, stations, request_types, django_assert_max_num_queries
):
    """The early admission check finds the form page in the route cache, as serving it does: a warm submission
    costs no routing query, and the same queries with 20 more stations."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CameraFactory, StationFactory

    client.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()})
    with CaptureQueriesContext(connection) as warm:
        assert (
            client.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()}).status_code
            == 302
        )
    assert not [q["sql"] for q in warm.captured_queries if 'FROM "wagtailcore_site"' in q["sql"]]
    assert not [q["sql"] for q in warm.captured_queries if 'FROM "wagtailcore_page"' in q["sql"]]
    warm_queries = len(warm.captured_queries)
    for _ in range(20):
        CameraFactory(station=StationFactory())
    client.get(form_page.url)  # the form's options, forgotten when the stations changed, read again
    with django_assert_max_num_queries(warm_queries):
        assert (
            client.post(form_page.url, {**valid_post(stations, request_types), "id_card": id_card_file()}).status_code
            == 302
        )
