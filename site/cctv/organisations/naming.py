"""What an organisation's host name and reference prefix may look like: one rule for create_organisation and the
console's "add organisation" form (the prefix's is also the Organisation.code field's validator), and the pattern of
a reference number that the admin search and the error reports recognise. It imports nothing of Django's: the
production settings load the error reporting, which reads it, before any app."""

import re

# 2 to 12 capital Latin letters and digits, starting with a letter: CCTV, NAN, LP2.
PREFIX = re.compile(r"[A-Z][A-Z0-9]{1,11}")
# A reference number of any organisation (CCTV-2569-000042): the prefix, the Buddhist-Era year, the number.
REFERENCE = re.compile(rf"{PREFIX.pattern}-\d{{4}}-\d+")
# The host name alone: no scheme, port or path.
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
