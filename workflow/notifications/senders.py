"""Whose name and account a notification goes out under: the request's own organisation's, from its service
settings, else the installation's settings (ADR 0016).

Each value is looked up from the request being delivered, never from a worker's state or the default site, so
one organisation's sender, SMS account or From address is never used for another organisation's request.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings

from cctv.home.models import ServiceSettings
from cctv.home.selectors import service_settings
from workflow.notifications.sms import SmsAccount


def settings_of(footage_request) -> ServiceSettings | None:
    """The service settings of the request's organisation (its Site); None when it has none."""
    return service_settings(footage_request.organisation.site)


def sms_account(service: ServiceSettings | None) -> SmsAccount:
    """The organisation's sender name and, when it keeps one, its own account; the installation's otherwise."""
    sender = (service.sms_sender if service else "") or settings.CCTV_SMS_SENDER
    own = service.sms_account() if service else None
    if own is None:
        return SmsAccount(sender=sender)
    api_key, api_secret = own
    return SmsAccount(sender=sender, api_key=api_key, api_secret=api_secret, own=True)


def mail_from(service: ServiceSettings | None) -> str:
    """The From header: the organisation's name and address, each falling back to DEFAULT_FROM_EMAIL's."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = (service.mail_from_name if service else "") or name
    address = (service.mail_from_address if service else "") or address
    return formataddr((name, address)) if name else address
