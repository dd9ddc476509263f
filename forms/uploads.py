"""Checks on uploaded files, by their content and never by their name.

Only PDF, JPEG and PNG are accepted. Images are decoded and re-encoded without any metadata (EXIF and
GPS, ICC profiles, text chunks). Files are read in chunks and never past the size limit.

PDFs are refused, not rewritten, when anything in them could act by itself in a viewer: every object of
the document is parsed by pypdf (names unescaped, object streams decoded, indirect objects resolved) and
looked at, whether the document references it or not, and so is every object written in the file that the
cross-reference table does not list (a viewer that repairs a file finds those). Refused: any action other
than a jump inside the document (JavaScript, launch, form submission or import, links to remote
documents, web addresses and named actions, wherever they hang: open action, ``/Next`` chains, additional
actions of the document, pages, annotations and form fields, the ``/Names`` JavaScript tree), embedded
files, rich media and other media annotations, XFA forms, and encrypted PDFs (a password-less one opens
without asking but cannot be checked). Refused as well: a PDF pypdf cannot read to the end, one where it
reads a listed object only in part or finds a key twice (a viewer might read it otherwise), and one with
more objects than can be checked in a few seconds (``MAX_PDF_OBJECTS``).

Why refuse rather than neutralise (copy the pages into a new document without actions): the stored file
stays byte for byte what the citizen sent, which matters for a police report or an ID copy used as
evidence; a rewrite by pypdf can silently drop a filled form's values or mangle a PDF it half understands,
and staff would never know; and a citizen who is refused gets a clear message and can send a scan or a
photo at once. The cost is that links to web pages are refused too (strict on purpose: a link can point
to a phishing page or a UNC path that leaks the viewer's Windows credentials).
"""

import base64
import binascii
import functools
import io
import logging
import re
from contextvars import ContextVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from forms import virus_scan
from workflow.request.submission import KINDS, SanitisedFile, sanitised_file

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

DEFAULT_MAX_PIXELS = 40_000_000

# pypdf reads 1,000-2,000 small objects a second on 2 cores; a 100-page report has a few thousand.
MAX_PDF_OBJECTS = 10_000

SIGNATURE_MAX_BYTES = 500 * 1024

ACCEPT = "application/pdf,image/jpeg,image/png"

ALLOWED_KINDS = frozenset(KINDS)

# PDF action types (ISO 32000-2, 12.6.4). Only /GoTo, a jump inside the document, is allowed.
_PDF_ACTIONS = frozenset(
    {
        "/GoToR",
        "/GoToE",
        "/GoToDp",
        "/Launch",
        "/Thread",
        "/URI",
        "/Sound",
        "/Movie",
        "/Hide",
        "/Named",
        "/SubmitForm",
        "/ResetForm",
        "/ImportData",
        "/SetOCGState",
        "/Rendition",
        "/Trans",
        "/GoTo3DView",
        "/JavaScript",
        "/RichMediaExecute",
    }
)
_PDF_GO_TO_KEYS = frozenset({"/Type", "/S", "/D", "/SD", "/Next"})
# Keys that hold a script, additional actions (triggers), launch parameters, an embedded file, XFA or rich media.
_PDF_ACTIVE_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Win",
        "/Mac",
        "/Unix",
        "/EmbeddedFiles",
        "/EF",
        "/XFA",
        "/Collection",
        "/RichMediaContent",
        "/RichMediaSettings",
    }
)
_PDF_ACTIVE_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"})
_PDF_HEADER_AT = re.compile(rb"[\x00\t\n\x0c\r ]*([0-9]{1,10})[\x00\t\n\x0c\r ]+([0-9]{1,5})[\x00\t\n\x0c\r ]+obj")
# Objects the table places wrongly; pypdf searches the whole file for each.
MAX_PDF_REPAIRS = 50
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "
_DIGITS = b"0123456789"


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def _read_limited(uploaded, max_bytes: int) -> bytes:
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_large(max_bytes)
    buffer = io.BytesIO()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        buffer.write(chunk)
        if buffer.tell() > max_bytes:
            raise _too_large(max_bytes)
    return buffer.getvalue()


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("The file is too large. The limit is %(mb)s MB."),
        code="file_too_large",
        params={"mb": max_bytes // (1024 * 1024)},
    )


def _wrong_type() -> ValidationError:
    return ValidationError(_("Only PDF, JPEG or PNG files can be attached."), code="file_type")


def reencode_image(content: bytes, kind: str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.width * probe.height > max_pixels:
                raise ValidationError(
                    _("The image is too large (more than %(mp)s megapixels). Send a smaller picture."),
                    code="image_too_large",
                    params={"mp": max_pixels // 1_000_000},
                )
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "jpeg":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                # A fresh image object carries no info dict: no EXIF, GPS, XMP, ICC or comments.
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
                clean.save(out, "JPEG", quality=85, optimize=True)
            else:
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
                if image.mode == "P":
                    clean.putpalette(image.getpalette())
                clean.save(out, "PNG", compress_level=6)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _wrong_type() from exc


def _pdf_active_part(obj) -> str | None:
    """What in this dictionary a viewer would act on, or None."""
    keys = _PDF_ACTIVE_KEYS.intersection(obj.keys())
    if keys:
        return min(keys)
    kind, action = obj.get("/Type"), obj.get("/S")
    kind = kind.get_object() if kind is not None else None
    action = action.get_object() if action is not None else None
    kind = kind if isinstance(kind, str) else None
    action = action if isinstance(action, str) else None
    if action in _PDF_ACTIONS or (kind == "/Action" and action != "/GoTo"):
        return str(action)
    # pypdf keeps the first of two /S entries, some viewers the last: a jump carries nothing else.
    if action == "/GoTo" and not _PDF_GO_TO_KEYS.issuperset(obj.keys()):
        return "/GoTo with " + min(set(obj.keys()) - _PDF_GO_TO_KEYS)
    uri = obj.get("/URI")
    if uri is not None and not isinstance(uri.get_object(), dict):
        return "/URI"
    subtype = obj.get("/Subtype")
    subtype = subtype.get_object() if subtype is not None else None
    if isinstance(subtype, str) and subtype in _PDF_ACTIVE_SUBTYPES:
        return str(subtype)
    if kind == "/EmbeddedFile":
        return "/EmbeddedFile"
    return None


def _pdf_find_active(roots, seen: set) -> str | None:
    """Walks the objects under ``roots`` (each indirect object once) and returns the first active part."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # stream dictionaries included
            found = _pdf_active_part(item)
            if found:
                return found
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
    return None


def _pdf_read_at(source, offset: int, reader):
    from pypdf.generic import read_object

    source.seek(offset)
    try:
        return read_object(source, reader)
    except Exception:  # noqa: BLE001 - bytes that only look like an object (inside binary data)
        return None


def _skip_back(content: bytes, end: int, chars: bytes) -> int:
    while end > 0 and content[end - 1] in chars:
        end -= 1
    return end


def _pdf_object_headers(content: bytes):
    """(number, generation, header start, body start) of every "N G obj" written in the file, found the way a
    viewer repairing a file finds them (a search for "obj", faster than a regular expression over binary data)."""
    at = content.find(b"obj")
    while at != -1:
        after = content[at + 3 : at + 4]
        generation_end = _skip_back(content, at, _PDF_WHITESPACE)
        generation_start = _skip_back(content, generation_end, _DIGITS)
        number_end = _skip_back(content, generation_start, _PDF_WHITESPACE)
        number_start = _skip_back(content, number_end, _DIGITS)
        if (
            not after.isalpha()
            and 0 < generation_end - generation_start <= 5
            and generation_start > number_end
            and 0 < number_end - number_start <= 10
            and generation_end < at
        ):
            body = at + 3
            while content[body : body + 1] and content[body] in _PDF_WHITESPACE:
                body += 1
            yield (
                int(content[number_start:number_end]),
                int(content[generation_start:generation_end]),
                number_start,
                body,
            )
        at = content.find(b"obj", at + 3)


# pypdf reads past a syntax error inside a dictionary (it keeps the keys before it) and keeps the first of two
# entries with the same key; a viewer may read on and see other entries. A listed object pypdf warns about so
# is refused. pypdf reports these through ``logger_warning``, which it documents as the hook to override.
_pdf_syntax_errors: ContextVar[list[str] | None] = ContextVar("pdf_syntax_errors", default=None)
_PDF_SYNTAX_WARNINGS = ("%(exception)r", "%(exception)s", "Multiple definitions in dictionary")


def _watch_pdf_syntax_errors() -> None:
    from pypdf.generic import _data_structures

    original = _data_structures.logger_warning
    if getattr(original, "watched", False):
        return

    def logger_warning(message: str, *, source: str, **values) -> None:
        errors = _pdf_syntax_errors.get()
        if errors is not None and message.startswith(_PDF_SYNTAX_WARNINGS):
            errors.append(message % values if values else message)
        original(message, source=source, **values)

    logger_warning.watched = True
    _data_structures.logger_warning = logger_warning


def _pdf_damaged() -> ValidationError:
    return ValidationError(
        _("This PDF is damaged, so it cannot be checked. Send a scan or a photo of the document instead."),
        code="pdf_damaged",
    )


def _pdf_too_complex() -> ValidationError:
    return ValidationError(
        _("This PDF is too complex to be checked. Send a scan or a photo of the document instead."),
        code="pdf_too_complex",
    )


def _pdf_unlisted_objects(content: bytes, reader):
    """Every object written in the file that the cross-reference table does not list (earlier versions of an
    object, or ones only a viewer repairing the file would find), with the unlisted members of every object
    stream. The listed ones were read already, where any error refuses the file."""
    from pypdf.generic import IndirectObject, StreamObject

    listed_at = {
        offset: (number, generation)
        for generation, numbers in reader.xref.items()
        for number, offset in numbers.items()
    }
    budget = MAX_PDF_OBJECTS
    source = io.BytesIO(content)
    for number, generation, start, body in _pdf_object_headers(content):
        listed = listed_at.get(start) == (number, generation)
        if listed:
            obj = IndirectObject(number, generation, reader).get_object()
        else:
            budget -= 1
            if budget < 0:
                raise _pdf_too_complex()
            obj = _pdf_read_at(source, body, reader)
            if obj is None:
                continue
            yield obj
        if not isinstance(obj, StreamObject) or obj.get("/Type") != "/ObjStm":
            continue
        try:
            data = obj.get_data()
            first = int(obj["/First"])
            header = data[:first].split()
            members = [
                (int(member), first + int(offset)) for member, offset in zip(header[::2], header[1::2], strict=False)
            ]
        except Exception:  # noqa: BLE001, S112 - not a readable object stream
            continue
        stream = io.BytesIO(data)
        for member, offset in members:
            if listed and reader.xref_objStm.get(member, (None,))[0] == number:
                continue
            budget -= 1
            if budget < 0:
                raise _pdf_too_complex()
            found = _pdf_read_at(stream, offset, reader)
            if found is not None:
                yield found


@functools.cache
def _listed_only_reader():
    from pypdf import PdfReader

    class ListedOnlyReader(PdfReader):
        """A reader that never searches the whole file for an object, which pypdf does for each reference to
        an object the table does not list, and for each one listed at a wrong place: a few thousand such
        references kept it busy for minutes. Unlisted objects read as missing (they are checked apart), and
        a table with many wrong places is refused."""

        repairs = 0

        def get_object(self, indirect_reference):
            if isinstance(indirect_reference, int):
                number, generation = indirect_reference, 0
            else:
                number, generation = indirect_reference.idnum, indirect_reference.generation
            if generation == 0 and number in self.xref_objStm:
                return super().get_object(indirect_reference)
            offset = self.xref.get(generation, {}).get(number)
            if offset is None:
                return None
            header = _PDF_HEADER_AT.match(self.stream.getbuffer(), offset)
            if not header or (int(header[1]), int(header[2])) != (number, generation):
                self.repairs += 1
                if self.repairs > MAX_PDF_REPAIRS:
                    raise _pdf_damaged()
            return super().get_object(indirect_reference)

    return ListedOnlyReader


def _pdf_read_listed(content: bytes):
    """The reader, and the first active part among the objects the cross-reference table lists (each read
    once, object streams included) and the trailer."""
    from pypdf.generic import IndirectObject

    reader = _listed_only_reader()(io.BytesIO(content), strict=False)
    if reader.is_encrypted:
        raise ValidationError(
            _("This PDF is password-protected. Send a copy without a password."), code="pdf_encrypted"
        )
    listed = [
        IndirectObject(number, generation, reader) for generation, numbers in reader.xref.items() for number in numbers
    ]
    # pypdf parses all the members of an object stream when one of them is read.
    packed = sum(int(reader.get_object(number)["/N"]) for number in {stm for stm, _ in reader.xref_objStm.values()})
    if len(listed) + packed > MAX_PDF_OBJECTS:
        raise _pdf_too_complex()
    if len(reader.pages) == 0:
        raise _wrong_type()
    listed += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    return reader, _pdf_find_active([reader.trailer, *listed], seen=set())


def check_pdf(content: bytes) -> None:
    # Counted before pypdf parses anything: it reads every object of a file whose table is broken.
    if content.count(b"obj") - content.count(b"endobj") > MAX_PDF_OBJECTS:
        raise _pdf_too_complex()
    _watch_pdf_syntax_errors()
    try:
        errors = []
        token = _pdf_syntax_errors.set(errors)
        try:
            reader, found = _pdf_read_listed(content)
        finally:
            _pdf_syntax_errors.reset(token)
        if errors:
            logger.info("PDF refused as damaged: %s", errors[0][:120])
            raise _pdf_damaged()
        if not found:
            found = _pdf_find_active(_pdf_unlisted_objects(content, reader), seen=set())
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds: a PDF that cannot be read to the end is refused
        raise _wrong_type() from exc
    if found:
        logger.info("PDF refused: it contains %s", found)
        raise ValidationError(
            _(
                "This PDF contains scripts, links, attached files or other actions, so it cannot be accepted. "
                "Send a scan or a photo of the document instead."
            ),
            code="pdf_active_content",
        )


def sanitise_upload(
    uploaded, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> SanitisedFile:
    content = _read_limited(uploaded, max_bytes)
    kind = sniff(content[:16])
    if kind is None:
        raise _wrong_type()
    virus_scan.scan(content)
    if kind == "pdf":
        check_pdf(content)
    else:
        content = reencode_image(content, kind, max_pixels=max_pixels)
    return sanitised_file(content, kind, original_name=getattr(uploaded, "name", "") or "")


def sanitise_signature(data_url: str) -> SanitisedFile:
    prefix = "data:image/png;base64,"
    invalid = ValidationError(_("The signature could not be read. Please sign again."), code="signature_invalid")
    if not isinstance(data_url, str) or not data_url.startswith(prefix):
        raise invalid
    encoded = data_url[len(prefix) :]
    if len(encoded) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise invalid
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise invalid from None
    if sniff(raw[:16]) != "png":
        raise invalid
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.width * image.height > 4_000_000:
                raise invalid
            image.load()
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise invalid from None
    alpha_extrema = rgba.getchannel("A").getextrema()
    colours = rgba.getcolors(maxcolors=2)
    if alpha_extrema[1] == 0 or (colours is not None and len(colours) == 1):
        raise ValidationError(_("Please sign in the box."), code="signature_blank")
    out = io.BytesIO()
    rgba.save(out, "PNG", compress_level=6)
    return sanitised_file(out.getvalue(), "png", original_name="signature.png")


class SanitisedFileField(forms.FileField):
    widget = forms.ClearableFileInput

    def __init__(self, *, max_bytes: int = DEFAULT_MAX_BYTES, **kwargs):
        super().__init__(**kwargs)
        self.max_bytes = max_bytes
        self.widget.attrs.setdefault("accept", ACCEPT)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT}

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded or isinstance(uploaded, SanitisedFile):
            return uploaded or None
        return sanitise_upload(uploaded, max_bytes=self.max_bytes)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SanitisedMultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *, max_files: int = 5, max_bytes: int = DEFAULT_MAX_BYTES, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)
        self.max_files = max_files
        self.max_bytes = max_bytes

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT}

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("Attach at most %(count)s files here."),
                code="too_many_files",
                params={"count": self.max_files},
            )
        return [
            sanitise_upload(super(SanitisedMultipleFileField, self).clean(f, initial), max_bytes=self.max_bytes)
            for f in files
        ]
