"""Enrolment of an authenticator app for two-step sign-in, only through a link an administrator creates."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from cctv.two_factor import log_actions
from cctv.two_factor.models import EnrolmentLink
from cctv.two_factor.selectors import hash_token


class LinkNotUsable(PermissionDenied):
    """The link is used, expired, replaced by a newer one, or belongs to another account."""


@dataclass(frozen=True)
class IssuedLink:
    link: EnrolmentLink
    token: str  # shown once to the administrator; only its hash is stored


def create_enrolment_link(*, user, created_by=None) -> IssuedLink:
    """A new one-time link for ``user``; any earlier open link of theirs stops working."""
    if created_by is not None and user.is_superuser and not created_by.is_superuser:
        raise PermissionDenied(_("Only a superuser can create an enrolment link for a superuser."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # One writer per account at a time, so that exactly one link stays open.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        EnrolmentLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        link = EnrolmentLink.objects.create(
            user=user,
            token_hash=hash_token(token),
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(hours=settings.CCTV_ENROLMENT_LINK_HOURS),
        )
        log(
            instance=user,
            action=log_actions.ENROLMENT_LINK_CREATED,
            user=created_by,
            data={"link": link.pk, "expires_at": link.expires_at.isoformat()},
        )
    return IssuedLink(link=link, token=token)


def _locked_link(*, link_id: int, user) -> EnrolmentLink:
    link = EnrolmentLink.objects.select_for_update().filter(pk=link_id).first()
    if link is None or link.user_id != user.pk or not link.is_usable():
        raise LinkNotUsable
    return link


def start_enrolment(*, link_id: int, user) -> TOTPDevice:
    """The unconfirmed device the link's page shows (the same one on every visit until it is confirmed)."""
    with transaction.atomic():
        link = _locked_link(link_id=link_id, user=user)
        if link.device_id is not None and TOTPDevice.objects.filter(pk=link.device_id, confirmed=False).exists():
            return link.device
        # Unconfirmed devices of older links, or made by the old trust-on-first-use page: their keys may have
        # been seen by someone else, so none of them is ever confirmed.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        link.device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        link.save(update_fields=["device"])
        return link.device


def confirm_enrolment(*, link_id: int, user, code: str) -> TOTPDevice | None:
    """Confirms the link's device when ``code`` is right (None when it is not), uses up the link, and
    removes the account's other devices (a lost phone's)."""
    with transaction.atomic():
        link = _locked_link(link_id=link_id, user=user)
        device = TOTPDevice.objects.filter(pk=link.device_id, confirmed=False).first()
        if device is None:
            raise LinkNotUsable
        # A wrong code returns (not raises) so that django-otp's throttling of the device is kept.
        if not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        replaced, _by_model = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        # link.user, not request.user: log() finds no log model for a lazy object and would log nothing.
        log(
            instance=link.user,
            action=log_actions.ENROLLED,
            user=link.user,
            data={"link": link.pk, "device": device.pk, "replaced_devices": replaced},
        )
    return device
