"""The questions editors add with Wagtail's form builder: no question may ask again what the core form asks
(by its name or by its meaning), dates are Buddhist-Era dates stored in the Christian Era, new questions are
optional, and the field types read in proper Thai."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cctv.roles import setup_roles
from forms.forms import CoreRequestForm
from forms.models import EXTRA_FIELD_CHOICES, RequestFormField
from forms.question_labels import core_field_asking, label_errors
from tests.forms.test_form_page import id_card_file, valid_post
from workflow.request.models import FootageRequest


def refusal(label: str) -> str | None:
    with translation.override("th"):
        return label_errors(label)


@pytest.mark.parametrize(
    ("label", "named"),
    [
        ("เลขบัตรประชาชน", "เลขบัตรประชาชน"),
        ("เลขประจำตัวประชาชน", "เลขบัตรประชาชน"),
        ("บัตรประชาชน", "เลขบัตรประชาชน"),
        ("หมายเลขบัตรประจำตัวประชาชน", "เลขบัตรประชาชน"),
        ("เลขประจำตัวประชาชน ๑๓ หลัก", "เลขบัตรประชาชน"),  # Thai digits
        ("เลขบัตร\u200bประชาชน", "เลขบัตรประชาชน"),  # a zero-width space, as Thai editors often paste
        ("National ID number", "เลขบัตรประชาชน"),
        ("ID card number", "เลขบัตรประชาชน"),
        ("ชื่อ", "ชื่อ"),
        ("นามสกุล", "นามสกุล"),
        ("ชื่อ-สกุล", "ชื่อ”, “นามสกุล"),
        ("ชื่อ - นามสกุล ผู้ยื่นคำร้อง", "ชื่อ”, “นามสกุล"),
        ("Name", "ชื่อ”, “นามสกุล"),
        ("Full name", "ชื่อ”, “นามสกุล"),
        ("โทรศัพท์", "หมายเลขโทรศัพท์"),
        ("เบอร์โทร", "หมายเลขโทรศัพท์"),
        ("  เบอร์  โทร  ", "หมายเลขโทรศัพท์"),
        ("มือถือ", "หมายเลขโทรศัพท์"),
        ("กรุณาระบุเบอร์โทรศัพท์ของท่าน", "หมายเลขโทรศัพท์"),
        ("เบอร์ติดต่อ", "หมายเลขโทรศัพท์"),
        ("Mobile", "หมายเลขโทรศัพท์"),
        ("Your Phone Number:", "หมายเลขโทรศัพท์"),
        ("อีเมล", "อีเมล"),
        ("อีเมล์ (ถ้ามี)", "อีเมล"),
        ("E-mail address", "อีเมล"),
        ("ที่อยู่", "ที่อยู่ปัจจุบัน"),
        ("ที่อยู่ที่ติดต่อได้", "ที่อยู่ปัจจุบัน"),
        ("Address", "ที่อยู่ปัจจุบัน"),
        ("ตำบล", "ตำบล/แขวง"),
        ("รหัสไปรษณีย์", "รหัสไปรษณีย์"),
        ("อายุ", "อายุ"),
        ("อายุ (ปี)", "อายุ"),
        ("เชื้อชาติ", "เชื้อชาติ"),
        ("สัญชาติ", "สัญชาติ"),
        ("ลายมือชื่อ", "ลายมือชื่อผู้ยื่นคำร้อง"),
        ("ลายเซ็น", "ลายมือชื่อผู้ยื่นคำร้อง"),
        ("วันที่เกิดเหตุ", "วันที่เกิดเหตุ"),
        ("วันเกิดเหตุ", "วันที่เกิดเหตุ"),
        ("Date of the incident", "วันที่เกิดเหตุ"),
        ("เวลาที่เกิดเหตุ", "เวลา (โดยประมาณ)"),
        ("สถานที่เกิดเหตุ", "เหตุเกิดบริเวณ"),
        ("เหตุผล", "เหตุผล/ความจำเป็น"),
        ("ใบแจ้งความ", "สำเนาบันทึกแจ้งความ"),
    ],
)
def test_a_question_the_core_form_already_asks_is_refused_naming_the_built_in_field(label, named):
    error = refusal(label)
    assert error is not None, label
    assert error.startswith("แบบคำร้องถามข้อมูลนี้อยู่แล้วในช่อง"), error
    assert f"“{named}”" in error


@pytest.mark.parametrize(
    ("label", "named"),
    [("phone", "หมายเลขโทรศัพท์"), ("Email", "อีเมล"), ("national_id", "เลขบัตรประชาชน"), ("id_card_kept", None)],
)
def test_a_question_with_a_core_field_s_name_is_still_refused_by_its_clean_name(label, named):
    error = refusal(label)
    assert error is not None and error.startswith("ชื่อนี้ซ้ำกับช่องข้อมูลหลักของแบบฟอร์มคำร้อง"), error
    if named:
        assert f"“{named}”" in error


@pytest.mark.parametrize(
    "label",
    [
        "วันที่ต้องการรับภาพ",
        "ทะเบียนรถที่เกี่ยวข้อง",
        "ภาพถ่ายเพิ่มเติม",
        "ชื่อผู้ขับขี่",
        "ชื่อผู้ติดต่อ",
        "วันเกิด",
        "ที่อยู่ตามทะเบียนบ้าน",
        "ยี่ห้อรถ",
        "สีของรถ",
        "ช่องทางที่สะดวกให้ติดต่อกลับ",
        "Vehicle plate",
        "Preferred pick-up date",
    ],
)
def test_a_new_question_is_accepted(label):
    assert refusal(label) is None


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_core_field_label_is_known_as_that_field(language):
    # A synonym that meant another field would shadow a core label; this table would show it.
    for name, field in CoreRequestForm.base_fields.items():
        with translation.override(language):
            label = str(field.label)
        with translation.override("th"):
            assert core_field_asking(label) == str(field.label), (name, label)


def test_the_model_refuses_a_duplicate_question_on_its_label(form_page):
    question = RequestFormField(page=form_page, label="เลขบัตรประชาชน", field_type="singleline")
    with translation.override("th"), pytest.raises(ValidationError) as raised:
        question.full_clean(exclude=["page"])
    assert "“เลขบัตรประชาชน”" in raised.value.message_dict["label"][0]


def test_the_admin_refuses_a_duplicate_question_and_keeps_what_was_typed(client, form_page):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user(username="editor", password="x-" * 8)
    editor.groups.add(setup_roles()["editor"])
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": form_page.title,
            "slug": form_page.slug,
            "intro": rich_text(""),
            "help_text": rich_text(""),
            "thank_you_text": rich_text(""),
            "form_fields": inline_formset([{"label": "เบอร์โทรศัพท์มือถือ", "field_type": "singleline", "help_text": ""}]),
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/{form_page.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "แบบคำร้องถามข้อมูลนี้อยู่แล้วในช่อง “หมายเลขโทรศัพท์”" in html
    assert 'value="เบอร์โทรศัพท์มือถือ"' in html
    assert not RequestFormField.objects.exists()


def test_new_questions_are_optional_by_default():
    assert RequestFormField(label="ยี่ห้อรถ", field_type="singleline").required is False
    assert RequestFormField._meta.get_field("required").default is False


def test_field_types_read_in_thai_and_wagtail_s_own_words_are_untouched():
    with translation.override("th"):
        labels = {value: str(label) for value, label in EXTRA_FIELD_CHOICES}
        assert labels == {
            "singleline": "ข้อความบรรทัดเดียว",
            "multiline": "ข้อความหลายบรรทัด",
            "email": "อีเมล",
            "number": "ตัวเลข",
            "url": "ลิงก์",
            "checkbox": "ช่องทำเครื่องหมาย",
            "checkboxes": "ช่องทำเครื่องหมายหลายช่อง",
            "dropdown": "รายการให้เลือก (ดรอปดาวน์)",
            "multiselect": "รายการให้เลือกหลายข้อ",
            "radio": "ตัวเลือกแบบปุ่มวงกลม",
            "date": "วันที่ (พ.ศ.)",
            "datetime": "วันที่ (พ.ศ.) และเวลา",
            "hidden": "ช่องซ่อน",
            "file": "แนบไฟล์ (PDF, JPEG หรือ PNG)",
        }
        # The generic msgids keep the meaning they have elsewhere in the admin.
        assert translation.gettext("Date") == "วันที่"
        assert translation.gettext("URL") == "URL"


@pytest.mark.django_db
def test_the_migrations_match_the_model():
    call_command("makemigrations", "cctv_forms", "--check", "--dry-run", verbosity=0)


def date_question(form_page, field_type="date", **kwargs) -> RequestFormField:
    return RequestFormField.objects.create(page=form_page, label="วันที่ต้องการรับภาพ", field_type=field_type, **kwargs)


def test_a_date_question_is_the_thai_calendar_box_and_optional(client, form_page):
    question = date_question(form_page)
    html = client.get(form_page.url).content.decode()
    box = re.search(rf'<input[^>]*name="{question.clean_name}"[^>]*>', html).group(0)
    assert 'type="text"' in box and "data-thai-date" in box and 'placeholder="วว/ดด/ปปปป"' in box
    assert 'inputmode="numeric"' in box and "aria-required" not in box
    assert "วัน/เดือน/ปี พ.ศ. เช่น 16/02/2569" in html  # the core form's hint, as the editor wrote none
    label = re.search(rf'<label for="id_{question.clean_name}">(.*?)</label>', html, re.S).group(1)
    assert label.strip() == "วันที่ต้องการรับภาพ"  # no required mark


def test_a_buddhist_era_date_answer_is_stored_as_the_christian_era_date(client, form_page, stations, request_types):
    question = date_question(form_page)
    data = {**valid_post(stations, request_types), question.clean_name: "01/12/2569", "id_card": id_card_file()}
    assert client.post(form_page.url, data).status_code == 302
    answer = FootageRequest.objects.get().extra_answers[question.clean_name]
    assert answer == {"label": "วันที่ต้องการรับภาพ", "value": "2026-12-01"}


def test_an_optional_date_question_may_be_left_empty(client, form_page, stations, request_types):
    question = date_question(form_page)
    data = {**valid_post(stations, request_types), question.clean_name: "", "id_card": id_card_file()}
    assert client.post(form_page.url, data).status_code == 302
    assert FootageRequest.objects.get().extra_answers[question.clean_name]["value"] == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("01/12/2026", "ปีคริสต์ศักราช"),
        ("31/02/2569", "ไม่มีวันที่นี้"),
        ("2569-12-01", "วว/ดด/ปปปป (พ.ศ.)"),
    ],
)
def test_a_wrong_date_answer_is_refused_on_the_question(client, form_page, stations, request_types, typed, message):
    question = date_question(form_page, required=True)
    data = {**valid_post(stations, request_types), question.clean_name: typed, "id_card": id_card_file()}
    response = client.post(form_page.url, data)
    assert response.status_code == 200
    assert FootageRequest.objects.count() == 0
    error = re.search(rf'id="id_{question.clean_name}_error">(.*?)</p>', response.content.decode(), re.S)
    assert error and message in error.group(1)
    assert f'value="{typed}"' in response.content.decode()  # what was typed stays


def test_a_date_and_time_answer_is_stored_in_the_christian_era(client, form_page, stations, request_types):
    question = date_question(form_page, field_type="datetime")
    html = client.get(form_page.url).content.decode()
    assert re.search(rf'<input[^>]*name="{question.clean_name}_0"[^>]*data-thai-date', html)
    time_box = re.search(rf'<input[^>]*name="{question.clean_name}_1"[^>]*>', html).group(0)
    assert 'type="time"' in time_box and 'aria-label="เวลา"' in time_box
    data = {
        **valid_post(stations, request_types),
        f"{question.clean_name}_0": "01/12/2569",
        f"{question.clean_name}_1": "14:30",
        "id_card": id_card_file(),
    }
    assert client.post(form_page.url, data).status_code == 302
    assert FootageRequest.objects.get().extra_answers[question.clean_name]["value"] == "2026-12-01 14:30:00+07:00"


def test_a_date_without_its_time_is_refused(client, form_page, stations, request_types):
    question = date_question(form_page, field_type="datetime")
    data = {**valid_post(stations, request_types), f"{question.clean_name}_0": "01/12/2569", "id_card": id_card_file()}
    response = client.post(form_page.url, data)
    assert response.status_code == 200
    assert "กรุณากรอกทั้งวันที่และเวลา" in response.content.decode()


LONG_THAI_QUESTION = "กรุณาระบุทะเบียนรถ ยี่ห้อ และสีของรถทุกคันที่เกี่ยวข้องกับเหตุการณ์ในครั้งนี้ (ถ้าทราบ)"


def test_any_label_the_admin_accepts_has_room_for_its_clean_name():
    # Wagtail writes each Thai character as "u0e.." in the clean name.
    longest = "ก" * RequestFormField._meta.get_field("label").max_length
    assert len(RequestFormField(label=longest).get_field_clean_name()) <= (
        RequestFormField._meta.get_field("clean_name").max_length
    )


def test_a_long_thai_question_is_saved_and_answered(client, form_page, stations, request_types):
    question = RequestFormField.objects.create(page=form_page, label=LONG_THAI_QUESTION, field_type="multiline")
    assert len(question.clean_name) > 255
    data = {**valid_post(stations, request_types), question.clean_name: "กข 1234 สีขาว", "id_card": id_card_file()}
    assert client.post(form_page.url, data).status_code == 302
    assert FootageRequest.objects.get().extra_answers[question.clean_name]["value"] == "กข 1234 สีขาว"
