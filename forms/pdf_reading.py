"""Reading an uploaded PDF for checking: every listed object, and every object written in the file that the
cross-reference table does not list, within fixed limits of size and damage (see forms/pdf_check.py)."""

import functools
import io
import re
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# pypdf reads 1,000-2,000 small objects a second on 2 cores; a 100-page report has a few thousand.
MAX_PDF_OBJECTS = 10_000

_PDF_HEADER_AT = re.compile(rb"[\x00\t\n\x0c\r ]*([0-9]{1,10})[\x00\t\n\x0c\r ]+([0-9]{1,5})[\x00\t\n\x0c\r ]+obj")

# Objects the table places wrongly; pypdf searches the whole file for each.
MAX_PDF_REPAIRS = 50

_PDF_WHITESPACE = b"\x00\t\n\x0c\r "

_DIGITS = b"0123456789"


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
