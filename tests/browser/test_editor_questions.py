"""An editor adds a question to the request form in the Wagtail admin (Thai UI, Debian's chromium): a question
the core form already asks is refused on its field with the built-in field named, and the typed text stays; a
Buddhist-Era date question is published, optional by default; a citizen on a phone sees it with the Thai
calendar, and the answer 01/12/2569 is stored as 2026-12-01. No response may be a server error."""

import re

import pytest
from django.contrib.auth import get_user_model

from cctv.roles import setup_roles
from cctv.thai.dates import THAI_MONTHS
from forms.models import RequestFormField
from tests.browser.admin_session import watch_server_errors
from tests.browser.citizen_form import fill_in_the_request, one_page
from tests.browser.conftest import axe_violations
from tests.factories import png_bytes
from workflow.request.models import FootageRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "วันที่ต้องการรับภาพ"


def publish(page):
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="เผยแพร่", exact=True).click()
    page.wait_for_load_state()


def test_editor_adds_a_buddhist_era_date_question_and_a_citizen_answers_it(live_server, form_page, admin, phone):
    editor = get_user_model().objects.create_user(username="editor")
    editor.groups.add(setup_roles()["editor"])
    base = live_server.url
    editor_page = admin.open_as(editor)
    editor_page.goto(base + f"/admin/pages/{form_page.pk}/edit/")
    editor_page.get_by_role("button", name="เพิ่มคำถามเพิ่มเติม").click()
    question = editor_page.get_by_role("textbox", name=re.compile(r"^คำถาม"))
    field_type = editor_page.get_by_role("combobox", name=re.compile(r"^ประเภทช่องข้อมูล"))
    required = editor_page.get_by_role("checkbox", name=re.compile(r"^จำเป็น"))
    assert not required.is_checked()  # new questions are optional
    # The Thai names of Wagtail's field types, as the editor reads them.
    options = [text.strip() for text in field_type.locator("option").all_inner_texts()]
    assert {"รายการให้เลือก (ดรอปดาวน์)", "ตัวเลือกแบบปุ่มวงกลม", "ช่องทำเครื่องหมาย", "วันที่ (พ.ศ.)"} <= set(options)
    assert not {"ลากลงมา", "ปุ่มกดวิทยุ", "ช่องสำหรับเทำเครื่องหมาย"} & set(options)

    question.fill("เลขบัตรประชาชน")
    field_type.select_option(label="ข้อความบรรทัดเดียว")
    publish(editor_page)
    question = editor_page.get_by_role("textbox", name=re.compile(r"^คำถาม"))
    error = editor_page.locator(".w-field__wrapper", has=question).locator(".error-message")
    assert "แบบคำร้องถามข้อมูลนี้อยู่แล้วในช่อง “เลขบัตรประชาชน”" in error.inner_text()
    assert question.input_value() == "เลขบัตรประชาชน"
    assert not RequestFormField.objects.exists()

    question.fill(QUESTION)
    editor_page.get_by_role("combobox", name=re.compile(r"^ประเภทช่องข้อมูล")).select_option(label="วันที่ (พ.ศ.)")
    publish(editor_page)
    editor_page.wait_for_url(re.compile(rf"{re.escape(base)}/admin/pages/\d+/$"))
    saved = RequestFormField.objects.get()
    assert (saved.page_id, saved.label, saved.field_type, saved.required) == (form_page.pk, QUESTION, "date", False)
    assert admin.server_errors() == []

    # The citizen, on a phone.
    page = phone
    public_errors = watch_server_errors(page)
    page.goto(base + form_page.url)
    one_page(page)  # the question's step at once (the steps themselves: test_stepped_form.py)
    date_box = page.get_by_label(QUESTION, exact=True)  # no " *": not required
    assert date_box.get_attribute("data-thai-date") == ""
    assert date_box.get_attribute("placeholder") == "วว/ดด/ปปปป"
    assert date_box.get_attribute("aria-required") is None
    calendar_button = page.locator(f"#{date_box.get_attribute('id')} + button.calendar-toggle")
    calendar_button.click()
    heading = page.get_by_role("dialog").locator(".calendar__heading").inner_text()
    assert re.fullmatch(rf"({'|'.join(THAI_MONTHS)}) 25\d\d", heading.strip()), heading
    page.keyboard.press("Escape")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    card = [{"name": "card.png", "mimeType": "image/png", "buffer": png_bytes(size=(320, 200))}]
    fill_in_the_request(page, card=card)
    date_box.fill("01/12/2569")
    page.get_by_role("button", name="ส่งคำร้อง").click()
    page.wait_for_url("**/request/submitted/")
    assert axe_violations(page) == []

    answers = FootageRequest.objects.get().extra_answers
    assert answers == {saved.clean_name: {"label": QUESTION, "value": "2026-12-01"}}
    assert public_errors == []
    assert page.console_errors == []
