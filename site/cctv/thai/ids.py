"""Thai national ID numbers, phone numbers and names as citizens type them."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.th import pin

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_digits(value: str) -> str:
    return value.translate(_THAI_DIGITS)


def clean_national_id(value: str) -> str:
    """13 ASCII digits with a valid mod-11 check digit.

    The first digit is the person's type (1 to 8). 0 is never issued to a Thai citizen and 9 is not a person's
    number in everyday use; both are refused with their own message rather than "wrong check digit".
    """
    digits = _SEPARATORS.sub("", normalise_digits(value or ""))
    if not digits.isascii() or not digits.isdigit() or len(digits) != 13:
        raise ValidationError(_("Enter the 13 digits of the national ID number."), code="invalid_national_id")
    if digits[0] in "09":
        raise ValidationError(
            _("A national ID number starts with a digit from 1 to 8. Check the first digit."),
            code="invalid_national_id",
        )
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    if (11 - total % 11) % 10 != int(digits[12]) or not pin.is_valid(digits):
        raise ValidationError(
            _("This national ID number is not valid: the last digit does not match. Check the number."),
            code="invalid_national_id",
        )
    return digits


def mask_national_id(value: str) -> str:
    return f"{value[0]}-xxxx-xxxxx-x{value[11]}-{value[12]}" if len(value) == 13 else "xxxxxxxxxxxxx"


def clean_thai_phone(value: str) -> str:
    text = normalise_digits(value or "").strip()
    if "ต่อ" in text or re.search(r"(?i)\b(ext|x)\b", text) or "#" in text:
        raise ValidationError(
            _("Give a number that can be called directly, without an extension."), code="invalid_phone"
        )
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    if digits.isascii() and digits.isdigit():
        if len(digits) == 10 and digits[:2] in ("06", "08", "09"):
            return digits
        if len(digits) == 9 and digits[:2] in ("02", "03", "04", "05", "07"):
            return digits
    raise ValidationError(
        _("Enter a Thai phone number: 10 digits for a mobile (08x-xxx-xxxx) or 9 for a landline (0x-xxx-xxxx)."),
        code="invalid_phone",
    )


def format_thai_phone(value: str) -> str:
    if len(value) == 10:
        return f"{value[:3]}-{value[3:6]}-{value[6:]}"
    if len(value) == 9 and value.startswith("02"):
        return f"{value[:2]}-{value[2:5]}-{value[5:]}"
    if len(value) == 9:
        return f"{value[:3]}-{value[3:6]}-{value[6:]}"
    return value


_LEADING_VOWELS = "เแโใไ"


def _first_unit(text: str) -> str:
    """The first written unit: a leading vowel with its consonant, plus any marks above or below."""
    import unicodedata

    if not text:
        return ""
    end = 1
    if text[0] in _LEADING_VOWELS and len(text) > 1:
        end = 2
    while end < len(text) and unicodedata.category(text[end]) == "Mn":
        end += 1
    return text[:end]


def _masked(name: str) -> str:
    return f"{_first_unit(name)}***" if name else ""


def mask_name(first_name: str, last_name: str) -> str:
    """Enough for the applicant to recognise their own request, too little to name them: the first written unit
    of each name. Public pages (status, confirmation, receipts behind a link key) show only this."""
    return f"{_masked(first_name)} {_masked(last_name)}".strip()
