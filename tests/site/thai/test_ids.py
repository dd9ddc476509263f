import pytest
from django.core.exceptions import ValidationError

from cctv.thai.ids import clean_national_id, clean_thai_phone, format_thai_phone, mask_name, normalise_digits
from tests.factories import national_id

VALID = national_id("110170020345")
THAI_DIGITS = "".join("๐๑๒๓๔๕๖๗๘๙"[int(d)] for d in VALID)


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(VALID, id="plain_digits"),
        pytest.param(f"{VALID[0]}-{VALID[1:5]}-{VALID[5:10]}-{VALID[10:12]}-{VALID[12]}", id="with_dashes"),
        pytest.param(f" {VALID[:5]} {VALID[5:]} ", id="with_spaces"),
        pytest.param(THAI_DIGITS, id="thai_digits"),
        pytest.param(
            f"{THAI_DIGITS[0]}-{THAI_DIGITS[1:5]}-{THAI_DIGITS[5:10]}-{THAI_DIGITS[10:12]}-{THAI_DIGITS[12]}",
            id="thai_digits_with_dashes",
        ),
    ],
)
def test_valid_national_id_is_normalised_to_13_ascii_digits(typed):
    assert clean_national_id(typed) == VALID


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(VALID[:12] + str((int(VALID[12]) + 1) % 10), id="wrong_check_digit"),
        pytest.param(VALID[:12], id="twelve_digits"),
        pytest.param(VALID + "1", id="fourteen_digits"),
        pytest.param("", id="empty"),
        pytest.param("11017002034a1", id="letter_inside"),
        pytest.param(national_id("010170020345"), id="starts_with_0"),
        pytest.param(national_id("910170020345"), id="starts_with_9"),
        pytest.param("١١٠١٧٠٠٢٠٣٤٥٠", id="arabic_indic_digits"),
    ],
)
def test_invalid_national_id_is_refused(typed):
    with pytest.raises(ValidationError) as raised:
        clean_national_id(typed)
    assert raised.value.code == "invalid_national_id"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param("081-234-5678", "0812345678", id="mobile_with_dashes"),
        pytest.param("๐๘๑ ๒๓๔ ๕๖๗๘", "0812345678", id="mobile_in_thai_digits"),
        pytest.param("+66 81 234 5678", "0812345678", id="international_prefix"),
        pytest.param("66812345678", "0812345678", id="country_code_without_plus"),
        pytest.param("0612345678", "0612345678", id="mobile_06"),
        pytest.param("054-237600", "054237600", id="provincial_landline"),
        pytest.param("02-123-4567", "021234567", id="bangkok_landline"),
        pytest.param("(02) 123 4567", "021234567", id="parentheses"),
    ],
)
def test_thai_phone_numbers_are_normalised(typed, stored):
    assert clean_thai_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("12", id="too_short"),
        pytest.param("08123456789", id="too_long"),
        pytest.param("0112345678", id="no_such_prefix"),
        pytest.param("054-237600 ต่อ 5060", id="extension"),
        pytest.param("phone", id="letters"),
        pytest.param("", id="empty"),
    ],
)
def test_invalid_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError) as raised:
        clean_thai_phone(typed)
    assert raised.value.code == "invalid_phone"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("0812345678", "081-234-5678"), ("021234567", "02-123-4567"), ("054237600", "054-237-600")],
)
def test_phone_numbers_are_formatted_for_reading(stored, shown):
    assert format_thai_phone(stored) == shown


@pytest.mark.parametrize(
    ("first", "last", "masked"),
    [
        pytest.param("สมศักดิ์", "ใจดี", "ส*** ใจ***", id="leading_vowel_kept_with_its_consonant"),
        pytest.param("อรุณี", "แสงทอง", "อ*** แส***", id="sara_ae"),
        pytest.param("สมหญิง", "รักสงบ", "ส*** รั***", id="vowel_mark_above_stays"),
        pytest.param("มานี", "มีนา", "ม*** มี***", id="plain_consonant_with_vowel_above"),
        pytest.param("ปิ่น", "ปิ่นทอง", "ปิ่*** ปิ่***", id="marks_above_stay_with_the_consonant"),
        pytest.param("ไพโรจน์", "", "ไพ***", id="no_surname"),
        pytest.param("John", "Smith", "J*** S***", id="latin"),
    ],
)
def test_names_are_masked_to_one_letter_of_each_name(first, last, masked):
    assert mask_name(first, last) == masked


def test_normalise_digits_leaves_other_text_alone():
    assert normalise_digits("บ้านเลขที่ ๙๙/๑") == "บ้านเลขที่ 99/1"
