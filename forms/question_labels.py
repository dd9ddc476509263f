"""Whether an editor's extra question asks again what the core request form already asks.

Compared by meaning, not only by field name: labels are normalised (case, width, Thai digits, punctuation,
filler words) and matched against the core fields' labels in both languages, their names and synonyms.
"""

import functools
import re
import unicodedata

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.utils import get_field_clean_name

from cctv.thai.ids import normalise_digits


def reserved_names() -> frozenset[str]:
    from forms.forms import CoreRequestForm

    return CoreRequestForm.reserved_names()


# What the core form already asks, in other words editors use (Thai and English). The core fields' own
# labels (both languages, and each part of "a/b" and without "(...)") and names are added by
# core_meanings(); the words here go through the same normalise_label().
CORE_FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "written_on": ("วันที่", "วันที่ยื่น", "วันที่ยื่นคำร้อง", "วันที่เขียนคำร้อง", "date", "date of request"),
    "title": ("คำนำหน้า", "คำนำหน้านาม", "name title", "prefix"),
    "title_other": ("คำนำหน้าอื่น", "คำนำหน้านามอื่น"),
    "first_name": ("ชื่อจริง", "first name", "given name", "forename"),
    "last_name": ("สกุล", "นามสกุล", "surname", "family name", "last name"),
    "national_id": (
        "เลขบัตรประชาชน",
        "เลขประจำตัวประชาชน",
        "บัตรประชาชน",
        "เลขบัตรประจำตัวประชาชน",
        "บัตรประจำตัวประชาชน",
        "รหัสประจำตัวประชาชน",
        "เลขประจำตัว",
        "เลขประจำตัว 13 หลัก",
        "เลขบัตรประชาชน 13 หลัก",
        "เลขประจำตัวประชาชน 13 หลัก",
        "เลข 13 หลัก",
        "national id",
        "national id card",
        "id card",
        "id",
        "citizen id",
        "thai id",
        "personal id",
        "identification number",
    ),
    "age": ("อายุ", "อายุ (ปี)", "age", "age (years)", "years old"),
    "race": ("เชื้อชาติ", "race", "ethnicity"),
    "nationality": ("สัญชาติ", "nationality", "citizenship"),
    "address_house_no": ("บ้านเลขที่", "เลขที่", "เลขที่บ้าน", "house no", "house number"),
    "address_village": ("หมู่", "หมู่ที่", "หมู่บ้าน", "moo", "village"),
    "address_road": ("ถนน", "ซอย", "ตรอก", "road", "soi", "street"),
    "address_subdistrict": ("ตำบล", "แขวง", "subdistrict", "tambon"),
    "address_district": ("อำเภอ", "เขต", "district", "amphoe"),
    "address_province": ("จังหวัด", "province"),
    "address_postcode": ("รหัสไปรษณีย์", "ไปรษณีย์", "postcode", "postal code", "zip code", "zip"),
    "phone": (
        "โทรศัพท์",
        "เบอร์",
        "เบอร์โทร",
        "เบอร์โทรศัพท์",
        "มือถือ",
        "เบอร์มือถือ",
        "โทรศัพท์มือถือ",
        "เบอร์โทรศัพท์มือถือ",
        "โทร",
        "phone",
        "mobile",
        "mobile phone",
        "telephone",
        "tel",
        "cell phone",
        "cellphone",
        "contact number",
    ),
    "email": ("อีเมล", "อีเมล์", "อีเมลล์", "เมล", "เมล์", "ที่อยู่อีเมล", "email", "e-mail", "email address", "mail"),
    "request_type": ("วัตถุประสงค์", "ความประสงค์", "ประเภทคำร้อง", "ประเภทคำขอ", "purpose", "request type"),
    "file_count": ("จำนวนไฟล์", "จำนวนไฟล์ที่ต้องการ", "number of files", "file count"),
    "station": (
        "สถานที่",
        "สถานที่เกิดเหตุ",
        "บริเวณ",
        "บริเวณที่เกิดเหตุ",
        "จุดเกิดเหตุ",
        "สถานี",
        "location",
        "place",
        "place of incident",
        "incident location",
        "station",
    ),
    "cameras": ("กล้อง", "กล้องวงจรปิด", "กล้องตัวที่", "camera", "cctv camera", "cctv"),
    "incident_date": (
        "วันที่เกิดเหตุ",
        "วันเกิดเหตุ",
        "เกิดเหตุวันที่",
        "วันที่เกิดเหตุการณ์",
        "วันเกิดเหตุการณ์",
        "incident date",
        "date of incident",
    ),
    "incident_time": ("เวลา", "เวลาเกิดเหตุ", "เวลาที่เกิดเหตุ", "เกิดเหตุเวลา", "time", "incident time"),
    "incident_time_end": ("ถึงเวลา", "เวลาสิ้นสุด", "ถึง", "until", "end time"),
    "reason": ("เหตุผล", "ความจำเป็น", "เหตุผลที่ขอ", "เหตุผลในการขอ", "reason", "need", "reason for request"),
    "id_card": ("สำเนาบัตรประจำตัวประชาชน", "รูปบัตรประชาชน", "ภาพบัตรประชาชน", "copy of id card", "id card copy"),
    "police_report": (
        "บันทึกแจ้งความ",
        "ใบแจ้งความ",
        "สำเนาใบแจ้งความ",
        "บันทึกประจำวัน",
        "สำเนาบันทึกประจำวัน",
        "police report",
    ),
    "other_documents": ("เอกสารอื่น", "เอกสารเพิ่มเติม", "additional documents", "other documents"),
    "consent": ("ความยินยอม", "ยินยอม", "consent", "นโยบายความเป็นส่วนตัว", "privacy policy"),
    "signature": ("ลายมือชื่อ", "ลายเซ็น", "ลายเซ็นต์", "ลงชื่อ", "ลงลายมือชื่อ", "เซ็นชื่อ", "signature", "sign"),
}
ADDRESS_FIELDS = (
    "address_house_no",
    "address_village",
    "address_road",
    "address_subdistrict",
    "address_district",
    "address_province",
    "address_postcode",
)
# Questions that stand for several core fields at once, and how the error names them.
CORE_GROUP_SYNONYMS: tuple[tuple[tuple[str, ...], object, tuple[str, ...]], ...] = (
    (
        ("first_name", "last_name"),
        None,
        (
            "ชื่อ-สกุล",
            "ชื่อ-นามสกุล",
            "ชื่อและนามสกุล",
            "ชื่อจริงและนามสกุล",
            "ชื่อจริง-นามสกุล",
            "name",
            "full name",
            "name and surname",
            "first and last name",
        ),
    ),
    (
        ADDRESS_FIELDS,
        _("Current address"),
        ("ที่อยู่", "ที่อยู่ปัจจุบัน", "address", "current address", "home address"),
    ),
    (("incident_time", "incident_time_end"), None, ("ช่วงเวลา", "ช่วงเวลาเกิดเหตุ", "time range", "period")),
)

# Words around the meaning: "กรุณาระบุ…", "…ของผู้ยื่นคำร้อง", "your …", "… number", "(ถ้ามี)".
_ENGLISH_FILLER = frozenset(
    {"your", "my", "the", "of", "applicant", "applicants", "please", "enter", "number", "no", "optional", "if", "any"}
    | {"approximate", "approx"}
)
_THAI_PREFIXES = ("กรุณาระบุ", "กรุณากรอก", "โปรดระบุ", "โปรดกรอก", "ระบุ", "กรอก", "หมายเลข")
_THAI_SUFFIXES = (
    "ของผู้ยื่นคำร้อง",
    "ผู้ยื่นคำร้อง",
    "ของผู้ยื่น",
    "ผู้ยื่น",
    "ของผู้ร้อง",
    "ผู้ร้อง",
    "ของผู้ขอ",
    "ผู้ขอ",
    "ของท่าน",
    "ของคุณ",
    "ของข้าพเจ้า",
    "ที่ติดต่อได้",
    "ติดต่อได้",
    "ติดต่อ",
    "ถ้ามี",
    "หากมี",
    "ไม่บังคับ",
    "โดยประมาณ",
)
_APOSTROPHES = re.compile("['\u2019`]")


def normalise_label(text: str) -> str:
    """The meaning-bearing letters of a label: case, width, digits, spaces, punctuation and the filler words
    above do not count."""
    # NFKC splits sara am (ำ) into nikhahit + sara aa; put it back, as editors and the word lists type it.
    text = unicodedata.normalize("NFKC", normalise_digits(str(text))).replace("\u0e4d\u0e32", "\u0e33").casefold()
    text = _APOSTROPHES.sub("", text)
    # Punctuation, symbols and invisible marks (Thai text often carries zero-width spaces) separate words.
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    text = "".join(word for word in text.split() if word not in _ENGLISH_FILLER)
    changed = True
    while changed and text:
        changed = False
        for prefix in _THAI_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
        for suffix in _THAI_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return text


def _label_variants(label: str) -> set[str]:
    """A label, the label without "(...)" and each part of "a/b"."""
    variants = {label, re.sub(r"\([^)]*\)", " ", label)}
    for variant in list(variants):
        variants.update(variant.split("/"))
    return {normalised for normalised in map(normalise_label, variants) if normalised}


@functools.cache
def core_meanings() -> dict[str, tuple[tuple[str, ...], object]]:
    """Normalised label -> (core field names, how to name them, or None for their labels)."""
    from forms.forms import CoreRequestForm

    meanings: dict[str, tuple[tuple[str, ...], object]] = {}

    def add(words, names, title=None):
        for word in words:
            meanings.setdefault(word, (names, title))

    # Specific words first: "บัตรประชาชน" is the ID number, not the copy of the card.
    for name, words in CORE_FIELD_SYNONYMS.items():
        add({w for word in words for w in _label_variants(word)}, (name,))
    for names, title, words in CORE_GROUP_SYNONYMS:
        add({w for word in words for w in _label_variants(word)}, names, title)
    for name, field in CoreRequestForm.base_fields.items():
        words = _label_variants(name.replace("_", " "))
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                words |= _label_variants(str(field.label))
        add(words, (name,))
    return meanings


def core_field_asking(label: str) -> str | None:
    """How the core form names the field(s) a question labelled ``label`` asks again, or None."""
    from forms.forms import CoreRequestForm

    meaning = core_meanings().get(normalise_label(label))
    if meaning is None:
        return None
    names, title = meaning
    if title is not None:
        return str(title)
    # Inside the message's quotes: “ชื่อ”, “นามสกุล”.
    return "”, “".join(str(CoreRequestForm.base_fields[name].label) for name in names)


def label_errors(label: str) -> str | None:
    """Why an editor's question cannot have this label: its field name, or its meaning, is the core form's."""
    from forms.forms import CoreRequestForm
    from forms.kept_files import KEPT_SUFFIX

    clean_name = get_field_clean_name(label)
    if clean_name in reserved_names():
        core_field = CoreRequestForm.base_fields.get(clean_name.removesuffix(KEPT_SUFFIX))
        if core_field is not None:
            return str(
                _("This name is used by the built-in field “%(field)s” of the request form. Choose another label.")
                % {"field": core_field.label}
            )
        return str(_("This name is used by a built-in field of the request form. Choose another label."))
    field = core_field_asking(label)
    if field is not None:
        return str(
            _(
                "The request form already asks this in its built-in field “%(field)s”. "
                "Remove this question or ask something the form does not ask."
            )
            % {"field": field}
        )
    return None
