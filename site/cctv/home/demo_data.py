"""The demo installation's content, as plain data: the demo organisation, its stations and applicants. The texts
every organisation starts with (pages, refusal reasons) are in forms/organisation_texts.py. It imports no app, as
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

ORGANISATION_EN = "Lampang Provincial Administrative Organization"
CONTACT_UNIT = "ฝ่ายบริหารงานทั่วไป กองช่าง"
CONTACT_PHONE = "054-237600 ต่อ 5060"
APPROVED_INSTRUCTIONS = (
    "ท่านสามารถนำอุปกรณ์ที่ใช้ในการบันทึกข้อมูล มาติดต่อฝ่ายบริหารงานทั่วไป กองช่าง เพื่อทำการสำเนาภาพที่ท่านได้ร้องขอ "
    f"(ทั้งนี้อาจขึ้นอยู่กับแต่ละสถานการณ์ กรุณาโทรติดต่อเจ้าหน้าที่ก่อนที่เบอร์ {CONTACT_PHONE})"
)

# The demo's second municipality, on a host of its own (seed_demo): its own stations, staff and requests.
SECOND_ORGANISATION = "เทศบาลนครลำปาง"
SECOND_ORGANISATION_EN = "Lampang City Municipality"
SECOND_PREFIX = "LPCM"
SECOND_CONTACT_PHONE = "054-237237"
SECOND_STATIONS = [
    ("city-hall", "บริเวณสำนักงานเทศบาลนครลำปาง", "Lampang City Hall", "อ.เมือง"),
    ("clock-tower", "บริเวณหอนาฬิกาเมืองลำปาง", "Lampang Clock Tower", "อ.เมือง"),
    ("kad-kong-ta", "ถนนคนเดินกาดกองต้า", "Kad Kong Ta Walking Street", "อ.เมือง"),
]
# The second municipality's demo accounts are the roles' names with this after them (officer-city, ...).
SECOND_STAFF_SUFFIX = "-city"

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
