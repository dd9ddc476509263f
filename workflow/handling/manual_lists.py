"""The lists every organisation starts with, from the city's operating manual: its steps and time standards, the
laws it names and the usual reasons no footage can be given. Plain data, no models: migration 0012 seeded the
first organisation's lists from it, and ``create_organisation`` copies it for each organisation after that.
Editors change an organisation's lists in the admin; changing an entry here changes only what a new one gets.
"""

# fmt: off
STEPS = [
    # code, Thai, English, public Thai, public English, minutes, unit, copies only, per camera, approval, note
    ("inquiry", "สอบถามรายละเอียดผู้ขอรูปภาพเหตุการณ์", "Inquiry with the applicant",
     "รับเรื่องและสอบถามรายละเอียด", "Request taken up", 1, "request", False, False, False, ""),
    ("documents", "ตรวจสอบเอกสาร", "Document check", "ตรวจสอบเอกสาร", "Documents checked",
     2, "request", False, False, False, ""),
    ("locate", "ตรวจสอบตำแหน่งกล้องบริเวณเกิดเหตุ", "Locate the cameras covering the incident",
     "ค้นหากล้องบริเวณเกิดเหตุ", "Cameras located", 2, "request", False, False, False, ""),
    ("review", "ตรวจสอบบันทึกเหตุการณ์กล้องโทรทัศน์วงจรปิดตามความประสงค์", "Review the recorded footage as asked",
     "ตรวจสอบภาพจากกล้อง", "Footage reviewed", 10, "camera", False, True, False, "ขึ้นอยู่กับประเภทเหตุการณ์"),
    ("copy_approval", "ขออนุมัติสำเนาไฟล์วิดีโอจากสำนักยุทธศาสตร์และงบประมาณ", "Approval to copy the video",
     "ขออนุมัติสำเนา", "Copy approved", 2, "request", True, False, True, ""),
    ("copy", "จัดทำสำเนาวิดีโอ", "Make the copy", "จัดทำสำเนาวิดีโอ", "Copy made",
     10, "camera", True, True, False, "ขึ้นอยู่กับเวลาวิดีโอที่ต้องการสำเนา"),
]

LAWS = [
    ("พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒", "Personal Data Protection Act B.E. 2562 (2019)"),
    ("พระราชบัญญัติว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. ๒๕๕๐", "Computer Crime Act B.E. 2550 (2007)"),
    ("พระราชบัญญัติว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ (ฉบับที่ ๒) พ.ศ. ๒๕๖๐",
     "Computer Crime Act (No. 2) B.E. 2560 (2017)"),
    ("พระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล พ.ศ. ๒๕๖๒",
     "Digital Government Administration and Services Act B.E. 2562 (2019)"),
    ("ระเบียบของหน่วยงานว่าด้วยหลักเกณฑ์การขอดูและสำเนาข้อมูลภาพจากกล้องโทรทัศน์วงจรปิด",
     "The organisation's regulation on viewing and copying CCTV footage"),
    ("ประกาศของหน่วยงาน เรื่อง หลักเกณฑ์การขอดู และขอสำเนาภาพกล้องโทรทัศน์วงจรปิด",
     "The organisation's announcement on the criteria for viewing and copying CCTV footage"),
]

NO_FOOTAGE = [
    ("กล้องบริเวณดังกล่าวไม่ได้บันทึกภาพในช่วงเวลาที่เกิดเหตุ (กล้องขัดข้อง)",
     "The camera there was not recording at the time (camera fault)"),
    ("ภาพในช่วงเวลาดังกล่าวถูกบันทึกทับแล้วตามระยะเวลาการจัดเก็บของเครื่องบันทึก",
     "The footage of that time has already been overwritten by the recorder"),
    ("ตรวจสอบแล้วไม่พบเหตุการณ์ตามที่แจ้งในช่วงเวลาดังกล่าว", "The footage was checked and the incident was not found"),
    ("ไม่มีกล้องที่มองเห็นจุดเกิดเหตุ", "No camera covers the place of the incident"),
]
# fmt: on
