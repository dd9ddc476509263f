"""The shape of the short lists editors keep in Thai and English (refusal reasons, no-footage reasons, laws)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from cctv.thai.localised import localised


class EditableListItem(models.Model):
    organisation = organisation_key()
    text_th = models.CharField(_("reason (Thai)"), max_length=255)
    text_en = models.CharField(_("reason (English)"), max_length=255, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = ScopedManager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return localised(self.text_th, self.text_en)
