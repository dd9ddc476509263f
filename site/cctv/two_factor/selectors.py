import hashlib

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cctv.two_factor.models import EnrolmentLink


def hash_token(token: str) -> str:
    # The token carries 256 random bits: a plain SHA-256 is enough, no slow password hash is needed.
    return hashlib.sha256(token.encode()).hexdigest()


def usable_link(token: str) -> EnrolmentLink | None:
    if not token:
        return None
    return EnrolmentLink.objects.filter(
        token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def staff_accounts() -> QuerySet:
    """Active accounts, each with whether it has an authenticator and until when its newest open link runs."""
    now = timezone.now()
    open_links = EnrolmentLink.objects.filter(user=OuterRef("pk"), used_at__isnull=True, expires_at__gt=now)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            open_link_expires=open_links.order_by("-expires_at").values("expires_at")[:1],
        )
        .order_by("username")
    )
