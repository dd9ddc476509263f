"""The copies of footage handed to the applicant, each with its SHA-256, the use of their download links,
and the receipts whose code lets anyone check a copy at /verify/<code>/ (it shows no personal data).

Models of the cctv_workflow app like the rest of handling (imported by workflow.models); every row
belongs to a request and is erased with it (workflow/privacy/retention.py).
"""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cctv.organisations.context import ScopedManager
from workflow.request import public_state
from workflow.request.files import private_storage, random_name

SHA256_VALIDATOR = RegexValidator(r"^[0-9a-f]{64}$", _("A SHA-256 hash is 64 characters 0-9 and a-f."))


def copy_path(instance, filename):
    return random_name("copies", filename)


def new_download_token() -> str:
    return secrets.token_urlsafe(24)


class DeliveredCopy(models.Model):
    """A file of footage handed to the applicant, with its SHA-256 so anyone can check it later."""

    class Delivery(models.TextChoices):
        DEVICE = "device", _("Copied to the applicant's own storage device")
        DOWNLOAD = "download", _("Download link")

    request = models.ForeignKey("cctv_workflow.FootageRequest", on_delete=models.CASCADE, related_name="copies")
    file_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.BigIntegerField(_("size (bytes)"))
    duration_seconds = models.PositiveIntegerField(_("length (seconds)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, validators=[SHA256_VALIDATOR])
    delivery = models.CharField(_("delivered as"), max_length=10, choices=Delivery.choices)
    device_note = models.CharField(
        _("the applicant's device"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'USB drive, 32 GB, brought by the applicant'"),
    )
    file = models.FileField(_("file"), upload_to=copy_path, blank=True, storage=private_storage)
    download_token = models.CharField(max_length=64, unique=True, default=new_download_token, editable=False)
    download_expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("delivered copy")
        verbose_name_plural = _("delivered copies")

    def __str__(self):
        return self.file_name


class CopyDownload(models.Model):
    """Each use of a download link (the footage is personal data: every download is logged)."""

    copy = models.ForeignKey(DeliveredCopy, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"download {self.pk}"


def new_receipt_code() -> str:
    # Printed as a QR code on paper: 120 bits, letters and digits only.
    return secrets.token_hex(15)


class Receipt(models.Model):
    """A receipt given to the applicant; its code opens /verify/<code>/, which shows no personal data."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission receipt")
        HANDOVER = "handover", _("Handover receipt")

    request = models.ForeignKey("cctv_workflow.FootageRequest", on_delete=models.CASCADE, related_name="receipts")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.CharField(max_length=40, unique=True, default=new_receipt_code, editable=False)
    copies = models.ManyToManyField(DeliveredCopy, blank=True, related_name="receipts")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The status page lists the applicant's handover receipts: its cached state must not hide a new one.
        public_state.forget(self.request.token)

    def handed_over_by(self, copies) -> list[str]:
        """The staff who handed these copies over, each once, as printed under the receipt's ผู้ส่งมอบ line."""
        names = []
        for copy in copies:
            name = copy.staff and (copy.staff.get_full_name() or copy.staff.get_username())
            if name and name not in names:
                names.append(name)
        return names


def sha256_of(file) -> str:
    """SHA-256 of an uploaded file, read in chunks (footage files are large)."""
    digest = hashlib.sha256()
    for chunk in file.chunks(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()
