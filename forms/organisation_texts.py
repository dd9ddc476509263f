"""The texts a new organisation starts with, from the seed documents (the provincial administration's online form
and its PDPA notice), with the organisation's own name and contact put in. Editors change them in the admin."""

from html import escape

REFUSAL_REASONS = [
    ("ข้อมูลไม่ครบถ้วนหรือไม่ถูกต้อง", "Information incomplete or wrong"),
    ("เอกสารประกอบไม่ถูกต้อง", "Supporting documents not valid"),
    ("ไม่มีกล้องครอบคลุมบริเวณที่เกิดเหตุ", "No camera covers the place"),
    ("ภาพถูกบันทึกทับแล้ว", "Footage already overwritten"),
    ("ไม่เข้าหลักเกณฑ์การเปิดเผยข้อมูลตามกฎหมาย", "Disclosure not allowed by law"),
]
# kind (workflow.constants.RequestKind), Thai, English, asks for the number of files, the approval workflow's name
REQUEST_TYPES = [
    ("view", "ขอดูข้อมูลภาพ", "View footage", False, "อนุมัติการขอดูข้อมูลภาพ"),
    ("copy", "ขอสำเนาข้อมูลภาพ", "Copy footage", True, "อนุมัติการขอสำเนาข้อมูลภาพ"),
]

FORM_PAGE = {
    "title": "คำร้องขอดูหรือขอสำเนาข้อมูลภาพจากกล้องวงจรปิด (CCTV)",
    "slug": "request",
    "intro": "<p>กรอกข้อมูลให้ครบถ้วน แนบเอกสาร และลงลายมือชื่อ แล้วบันทึก QR Code ไว้เพื่อตรวจสอบผลการพิจารณา</p>",
    "thank_you_text": "<p>เจ้าหน้าที่จะตรวจสอบคำร้องของท่าน และอาจโทรติดต่อหากต้องการข้อมูลเพิ่มเติม</p>",
}


def home_page(organisation: str) -> dict:
    return {
        "title": "บริการขอดูหรือขอสำเนาข้อมูลภาพจากกล้องวงจรปิด (CCTV)",
        "slug": "cctv-home",
        "intro": f"<p>ยื่นคำร้องออนไลน์ถึง{escape(organisation)} ได้ตลอด 24 ชั่วโมง ไม่ต้องเดินทางมายื่นเอกสารด้วยตนเอง</p>",
    }


# Issue #16: linking LINE is explained in the notice. What is kept from LINE is the user id alone.
LINE_PARAGRAPH = (
    "หากท่านเลือกรับแจ้งผลทางไลน์ ระบบจะเก็บเฉพาะรหัสผู้ใช้ไลน์ (LINE user ID) ของท่านแบบเข้ารหัส เพื่อส่งข้อความแจ้งความคืบหน้า"
    "ของคำร้องที่ท่านเชื่อมต่อเท่านั้น ไม่เก็บชื่อ รูปโปรไฟล์ หรือข้อมูลอื่นจากไลน์ และข้อความที่ส่งทางไลน์จะไม่มีชื่อ "
    "เลขบัตรประชาชน หรือเบอร์โทรศัพท์ของท่าน ท่านเลิกรับแจ้งผลได้ทุกเมื่อจากหน้าสถานะคำร้อง หรือส่งข้อความ “เลิกติดตาม” "
    "ถึงบัญชีทางการของเรา และรหัสผู้ใช้ไลน์จะถูกลบพร้อมกับคำร้องตามระยะเวลาการเก็บรักษาข้างต้น"
)


def privacy_page(organisation: str, *, contact_unit: str = "", phone: str = "") -> dict:
    """The seed's notice. It names whom to contact about one's data: the unit (or the organisation) and phone."""
    contact = " ".join(part for part in (contact_unit or organisation, f"โทร. {phone}" if phone else "") if part)
    summary = (
        f"{organisation} ขอแจ้งให้ท่านทราบว่า ข้อมูลส่วนบุคคลที่ท่านส่งมาในระบบนี้ (ชื่อ-สกุล, เลขบัตรประชาชน, อายุ, "
        "เชื้อชาติ, สัญชาติ, ที่อยู่, เบอร์โทรศัพท์, ลายมือชื่อดิจิทัล, เอกสารแนบ) จะถูกเก็บรวบรวมและใช้เพื่อ\n"
        "1. ดำเนินการพิจารณาและตอบสนองคำร้องขอเข้าถึงข้อมูลภาพจากกล้องวงจรปิดเท่านั้น\n"
        "2. ติดต่อประสานงานกับท่าน\n"
        "3. จัดทำรายงานและสถิติภายในองค์กร (ข้อมูลจะถูกทำให้ไม่สามารถระบุตัวตนได้)\n\n"
        "ข้อมูลจะถูกเก็บไว้เป็นระยะเวลาไม่เกิน 3 ปี นับจากวันที่คำร้องสิ้นสุดกระบวนการ หรือตามที่กฎหมายกำหนด "
        f"ท่านมีสิทธิ์ขอเข้าถึง แก้ไข ลบ หรือคัดค้านการใช้ข้อมูลของท่านได้ โดยติดต่อ {contact}\n\n"
        f"{LINE_PARAGRAPH}"
    )
    return {
        "title": "นโยบายความเป็นส่วนตัว (PDPA)",
        "slug": "privacy",
        "summary": summary,
        "body": "".join(f"<p>{escape(line)}</p>" for line in summary.split("\n") if line),
        "consent_label": f"ข้าพเจ้าได้อ่านและยอมรับ นโยบายความเป็นส่วนตัว (PDPA) ของ{organisation} เรียบร้อยแล้ว",
    }
