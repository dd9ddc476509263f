"""Which LINE channel an organisation's citizens are told through: its own (Service settings), else the
installation's (CCTV_LINE_*). Looked up from the organisation at hand, never from the default site."""

from dataclasses import dataclass

from django.conf import settings

from cctv.home.selectors import service_settings


@dataclass(frozen=True)
class LineChannel:
    basic_id: str  # "@123abcde": the Official Account the citizen adds and writes to
    channel_secret: str  # checks X-Line-Signature
    access_token: str  # the bearer token of push and reply

    def __repr__(self):  # never the secrets in a log or a traceback
        return f"LineChannel({self.basic_id!r})"


def line_channel(site) -> LineChannel | None:
    """The channel of the organisation of ``site``; None when neither it nor the installation has one."""
    service = service_settings(site) if site is not None else None
    own = service.line_channel() if service else None
    basic_id = (service.line_basic_id if service else "") or settings.CCTV_LINE_BASIC_ID
    if own is not None:
        secret, token = own
    else:
        secret, token = settings.CCTV_LINE_CHANNEL_SECRET, settings.CCTV_LINE_CHANNEL_ACCESS_TOKEN
    if not (basic_id and secret and token):
        return None
    return LineChannel(basic_id=basic_id, channel_secret=secret, access_token=token)
