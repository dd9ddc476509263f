"""The demo installation's content, as plain data: pages, stations, texts and applicants. It imports no app, as
cctv.home may not (the seed_demo command turns it into rows through the apps' services)."""

import io

from PIL import Image, ImageDraw

ORGANISATION = "องค์การบริหารส่วนจังหวัดลำปาง"

STATIONS = [
    ("pao-office", "บริเวณพื้นที่ภายในสำนักงานองค์การบริหารส่วนจังหวัดลำปาง", "Lampang PAO office grounds", "อ.เกาะคา"),
    ("naresuan-monument", "บริเวณอนุสาวรีย์สมเด็จพระนเรศวรมหาราช", "King Naresuan Monument", "อ.เกาะคา"),
    ("nong-krathing-park", "บริเวณสวนสาธารณะหนองกระทิง", "Nong Krathing Public Park", "อ.เมือง"),
    ("kaew-school", "โรงเรียนอแก้ววิทยา", "Kaew Witthaya School", "อ.ห้างฉัตร"),
    ("waste-centre", "ศูนย์กำจัดขยะมูลฝอยรวมแบบครบวงจร อบจ.ลำปาง", "Integrated Waste Disposal Centre", "อ.เมือง"),
    (
        "elderly-centre",
        "ศูนย์พัฒนาคุณภาพชีวิตและส่งเสริมอาชีพผู้สูงอายุ อบจ.ลำปาง",
        "Elderly Quality of Life and Career Centre",
        "อ.เมือง",
    ),
]
CAMERA_POSITIONS = ["ทางเข้าหลัก", "ลานจอดรถ", "ทางเดินด้านหลัง"]

PRIVACY_SUMMARY = (
    f"{ORGANISATION} ขอแจ้งให้ท่านทราบว่า ข้อมูลส่วนบุคคลที่ท่านส่งมาในระบบนี้ (ชื่อ-สกุล, เลขบัตรประชาชน, อายุ, "
    "เชื้อชาติ, สัญชาติ, ที่อยู่, เบอร์โทรศัพท์, ลายมือชื่อดิจิทัล, เอกสารแนบ) จะถูกเก็บรวบรวมและใช้เพื่อ\n"
    "1. ดำเนินการพิจารณาและตอบสนองคำร้องขอเข้าถึงข้อมูลภาพจากกล้องวงจรปิดเท่านั้น\n"
    "2. ติดต่อประสานงานกับท่าน\n"
    "3. จัดทำรายงานและสถิติภายในองค์กร (ข้อมูลจะถูกทำให้ไม่สามารถระบุตัวตนได้)\n\n"
    "ข้อมูลจะถูกเก็บไว้เป็นระยะเวลาไม่เกิน 3 ปี นับจากวันที่คำร้องสิ้นสุดกระบวนการ หรือตามที่กฎหมายกำหนด "
    "ท่านมีสิทธิ์ขอเข้าถึง แก้ไข ลบ หรือคัดค้านการใช้ข้อมูลของท่านได้ โดยติดต่อ ฝ่ายบริหารงานทั่วไป กองช่าง "
    "โทร. 054-237600 ต่อ 5060"
)
CONSENT_LABEL = f"ข้าพเจ้าได้อ่านและยอมรับ นโยบายความเป็นส่วนตัว (PDPA) ของ{ORGANISATION} เรียบร้อยแล้ว"
APPROVED_INSTRUCTIONS = (
    "ท่านสามารถนำอุปกรณ์ที่ใช้ในการบันทึกข้อมูล มาติดต่อฝ่ายบริหารงานทั่วไป กองช่าง เพื่อทำการสำเนาภาพที่ท่านได้ร้องขอ "
    "(ทั้งนี้อาจขึ้นอยู่กับแต่ละสถานการณ์ กรุณาโทรติดต่อเจ้าหน้าที่ก่อนที่เบอร์ 054-237600 ต่อ 5060)"
)

HOME_PAGE = {
    "title": "บริการขอดูหรือขอสำเนาข้อมูลภาพจากกล้องวงจรปิด (CCTV)",
    "slug": "cctv-home",
    "intro": f"<p>ยื่นคำร้องออนไลน์ถึง{ORGANISATION} ได้ตลอด 24 ชั่วโมง ไม่ต้องเดินทางมายื่นเอกสารด้วยตนเอง</p>",
}
PRIVACY_PAGE = {
    "title": "นโยบายความเป็นส่วนตัว (PDPA)",
    "slug": "privacy",
    "summary": PRIVACY_SUMMARY,
    "body": "".join(f"<p>{line}</p>" for line in PRIVACY_SUMMARY.split("\n") if line),
    "consent_label": CONSENT_LABEL,
}
FORM_PAGE = {
    "title": "คำร้องขอดูหรือขอสำเนาข้อมูลภาพจากกล้องวงจรปิด (CCTV)",
    "slug": "request",
    "intro": "<p>กรอกข้อมูลให้ครบถ้วน แนบเอกสาร และลงลายมือชื่อ แล้วบันทึก QR Code ไว้เพื่อตรวจสอบผลการพิจารณา</p>",
    "thank_you_text": "<p>เจ้าหน้าที่จะตรวจสอบคำร้องของท่าน และอาจโทรติดต่อหากต้องการข้อมูลเพิ่มเติม</p>",
}
SERVICE_SETTINGS = {
    "organisation_name": ORGANISATION,
    "organisation_name_en": "Lampang Provincial Administrative Organization",
    "contact_unit": "ฝ่ายบริหารงานทั่วไป กองช่าง",
    "contact_phone": "054-237600 ต่อ 5060",
    "approved_instructions": APPROVED_INSTRUCTIONS,
}
REFUSAL_REASONS = [
    ("ข้อมูลไม่ครบถ้วนหรือไม่ถูกต้อง", "Information incomplete or wrong"),
    ("เอกสารประกอบไม่ถูกต้อง", "Supporting documents not valid"),
    ("ไม่มีกล้องครอบคลุมบริเวณที่เกิดเหตุ", "No camera covers the place"),
    ("ภาพถูกบันทึกทับแล้ว", "Footage already overwritten"),
    ("ไม่เข้าหลักเกณฑ์การเปิดเผยข้อมูลตามกฎหมาย", "Disclosure not allowed by law"),
]

# (first name, last name, title as workflow.constants.Title stores it, national ID number)
DEMO_APPLICANTS = [
    ("สมศักดิ์", "ใจดี", "mr", "1101700203450"),
    ("สมหญิง", "รักสงบ", "mrs", "3520100456782"),
    ("อรุณี", "แสงทอง", "miss", "1529900123453"),
]
# What every demo applicant shares, by the names of workflow.request.submission.Applicant.
SHARED_APPLICANT_DETAILS = {
    "title_other": "",
    "race": "ไทย",
    "nationality": "ไทย",
    "address_village": "หมู่ 3",
    "address_road": "",
    "address_subdistrict": "ศาลา",
    "address_district": "เกาะคา",
    "address_province": "ลำปาง",
    "address_postcode": "52130",
    "email": "",
}
DEMO_REASON = "ต้องการขอข้อมูลภาพเหตุการณ์เพื่อค้นหาของที่สูญหาย"


def scribble_png(colour=(0, 0, 0), size=(400, 160)) -> bytes:
    """A drawn line, standing in for a signature or a scanned document."""
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 120), (120, 40), (200, 110), (300, 50), (380, 100)], fill=(*colour, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
