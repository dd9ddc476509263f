"""What the public form's script changes as a citizen answers on a phone: the cameras offered follow the station,
the overwrite warning follows the station's retention and the date (typed, or picked in the calendar), the "other
title" and number-of-files boxes appear only when they apply, and a file over the limit is refused before the
upload. The script is split into modules (thai-dates, calendar, signature, request-form); this is their wiring."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cctv.thai.dates import format_be_date
from tests.browser.citizen_form import field
from tests.browser.conftest import axe_violations, shoot
from tests.factories import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_form_offers_what_applies_to_the_answers_so_far(live_server, form_page, stations, phone):
    page = phone
    server_errors = []
    page.on("response", lambda response: response.status >= 500 and server_errors.append(response.url))
    page.goto(live_server.url + form_page.url)
    park, monument = stations
    cameras = field(page, "กล้อง")
    warning = page.locator("[data-retention-warning]")

    # The station's cameras only, and no camera box before a station is chosen.
    assert cameras.is_hidden()
    field(page, "เหตุเกิดบริเวณ").select_option(value=str(park.pk))
    assert cameras.locator("option").all_inner_texts() == ["C01 ทางเข้า", "C02 ลานจอดรถ"]
    cameras.select_option(label="C02 ลานจอดรถ")
    field(page, "เหตุเกิดบริเวณ").select_option(value=str(monument.pk))
    assert cameras.locator("option").all_inner_texts() == ["C01 ด้านหน้า"]
    assert cameras.evaluate("select => select.selectedOptions.length") == 0

    # The monument's recorder keeps 15 days: a date picked in the calendar a month back is past it.
    assert warning.is_hidden()
    page.locator("[data-field='incident_date'] .calendar-toggle").click()
    page.keyboard.press("PageUp")
    page.get_by_role("dialog").locator(".calendar__day").first.click()
    first_of_last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    assert field(page, "วันที่เกิดเหตุ").input_value() == format_be_date(first_of_last_month)
    assert warning.is_visible()
    assert warning.inner_text() == "ภาพที่เก่ากว่า 15 วันอาจถูกเครื่องบันทึกบันทึกทับไปแล้ว ท่านยังส่งคำร้องได้"
    assert axe_violations(page) == []
    warning.scroll_into_view_if_needed()
    shoot(page, "form-retention-warning")
    field(page, "วันที่เกิดเหตุ").fill(format_be_date(timezone.localdate() - timedelta(days=3)))
    assert warning.is_hidden()

    # "Other title" and the number of files only when they apply.
    other_title = page.locator("[data-field='title_other']")
    assert other_title.is_hidden()
    field(page, "คำนำหน้าชื่อ").select_option(value="other")
    assert field(page, "คำนำหน้าชื่ออื่น").is_visible()
    file_count = page.locator("[data-file-count]")
    field(page, "ขอดูข้อมูลภาพ").check()
    assert file_count.is_hidden()
    field(page, "ขอสำเนาข้อมูลภาพ").check()
    assert field(page, "จำนวนไฟล์ที่ขอ").is_visible()

    # Over 10 MB is refused on the phone, before a slow upload; a smaller file clears the message.
    card = field(page, "สำเนาบัตรประชาชน")
    card.set_input_files({"name": "big.png", "mimeType": "image/png", "buffer": b"\0" * (10 * 1024 * 1024 + 1)})
    message = page.locator("[data-client-error]")
    assert message.inner_text() == "ไฟล์นี้มีขนาดใหญ่เกิน 10 MB กรุณาเลือกไฟล์ที่เล็กกว่านี้"
    assert card.get_attribute("aria-invalid") == "true"
    assert card.evaluate("input => input.files.length") == 0
    assert re.search(r"\bid_\w+_client_error\b", card.get_attribute("aria-describedby"))
    card.set_input_files({"name": "card.png", "mimeType": "image/png", "buffer": png_bytes(size=(320, 200))})
    assert message.count() == 0
    assert card.get_attribute("aria-invalid") is None

    assert page.console_errors == []
    assert server_errors == []
