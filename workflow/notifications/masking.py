"""What staff see of a message to a citizen: enough to recognise it, not enough to use it.

A phone number keeps its first two and last four digits (08x-xxx-5678), an e-mail address its first letter and
domain. The status link in a message is a bearer key (whoever has it reads the request and can cancel it): its
key is shown as dots wherever it stands in the text, in the link or written out on its own.
"""

import re

from cctv.thai.ids import format_thai_phone

MASK = "••••••"
# A link key as new_token and new_download_token make it (secrets.token_urlsafe(24): 32 URL-safe characters),
# standing on its own: not part of a longer word.
_LINK_KEY = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])")


def mask_phone(number: str) -> str:
    digits = [index for index, char in enumerate(number) if char.isdigit()]
    if len(digits) < 9:
        return "x" * len(number)
    shown = set(digits[:2] + digits[-4:])
    formatted = format_thai_phone(number)
    masked, seen = [], 0
    for char in formatted:
        if char.isdigit():
            masked.append(char if digits[seen] in shown else "x")
            seen += 1
        else:
            masked.append(char)
    return "".join(masked)


def mask_email(address: str) -> str:
    local, at, domain = address.partition("@")
    if not at:
        return "x" * len(address)
    return f"{local[:1]}***@{domain}"


def mask_recipient(address: str) -> str:
    """A phone number or an e-mail address, masked; "" for none."""
    if not address:
        return ""
    return mask_email(address) if "@" in address else mask_phone(address)


def mask_link_keys(text: str, *, keys: tuple[str, ...] = ()) -> str:
    """``text`` with every link key replaced by dots: the 32-character keys of status and download links, and
    ``keys`` (the request's own, whatever their length) wherever they appear."""
    for key in keys:
        if key:
            text = text.replace(key, MASK)
    return _LINK_KEY.sub(MASK, text)
