"""Active content in uploaded PDFs.

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

import io
import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forms.pdf_reading import (
    MAX_PDF_OBJECTS,
    _listed_only_reader,
    _pdf_damaged,
    _pdf_syntax_errors,
    _pdf_too_complex,
    _pdf_unlisted_objects,
    _watch_pdf_syntax_errors,
)

logger = logging.getLogger(__name__)


def wrong_type() -> ValidationError:
    return ValidationError(_("Only PDF, JPEG or PNG files can be attached."), code="file_type")


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
        raise wrong_type()
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
        raise wrong_type() from exc
    if found:
        logger.info("PDF refused: it contains %s", found)
        raise ValidationError(
            _(
                "This PDF contains scripts, links, attached files or other actions, so it cannot be accepted. "
                "Send a scan or a photo of the document instead."
            ),
            code="pdf_active_content",
        )
