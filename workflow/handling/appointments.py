"""Viewing appointments: staff offer one or more times in one action and the applicant is told once, with every
time in the message; the applicant then takes one of them on the status page and the others are withdrawn."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cctv.thai.dates import format_be_date, format_be_datetime
from workflow import lifecycle, log_actions
from workflow.constants import NotificationEvent
from workflow.handling.audit import log_change
from workflow.handling.models import Appointment
from workflow.lifecycle import AppointmentEvent
from workflow.notifications.outbox import queue_for_applicant
from workflow.request import public_state
from workflow.request.models import FootageRequest

MAX_TIMES = 4  # times one offer may hold (the form's rows)


def offered_times_text(times: Sequence[datetime], place: str) -> str:
    """The times for an SMS, by day: "25 ธ.ค. 2569 09:00 / 14:00 น.; 26 ธ.ค. 2569 10:00 น. ที่ ศูนย์ CCTV"."""
    days: dict = {}
    for value in sorted(times):
        local = timezone.localtime(value)
        days.setdefault(local.date(), []).append(f"{local:%H:%M}")
    text = "; ".join(f"{format_be_date(day, 'short')} {' / '.join(hours)} น." for day, hours in days.items())
    return f"{text} ที่ {place}" if place else text


def offer_appointments(*, footage_request, user, times: Sequence[datetime], place: str) -> list[Appointment]:
    """Offers every time given in one change: one audit entry and one message to the applicant listing them."""
    times = sorted(set(times))
    if not times:
        raise ValidationError(_("Give at least one time."))
    if len(times) > MAX_TIMES:
        raise ValidationError(_("Offer at most %(count)s times at once.") % {"count": MAX_TIMES})
    now = timezone.now()
    past = [value for value in times if value <= now]
    if past:
        raise ValidationError(
            _("A time offered must be in the future: %(times)s.")
            % {"times": ", ".join(format_be_datetime(value) for value in past)}
        )
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        if not lifecycle.may_offer_appointment(locked.public_status):
            raise ValidationError(_("Footage is released only after the request is approved."))
        already = set(
            locked.appointments.filter(
                starts_at__in=times, status__in=lifecycle.appointment_allowed_from(AppointmentEvent.CHOSEN)
            ).values_list("starts_at", flat=True)
        )
        if already:
            raise ValidationError(
                _("This time is already offered: %(times)s.")
                % {"times": ", ".join(format_be_datetime(value) for value in sorted(already))}
            )
        status = lifecycle.next_appointment_status(AppointmentEvent.OFFERED, None)
        offered = [
            Appointment.objects.create(request=locked, starts_at=value, place=place, staff=user, status=status)
            for value in times
        ]
        log_change(locked, log_actions.APPOINTMENT_OFFERED, user, times=[value.isoformat() for value in times])
        queue_for_applicant(
            footage_request=locked,
            event=NotificationEvent.APPOINTMENT,
            context={"times": offered_times_text(times, place)},
        )
    return offered


def offer_appointment(*, footage_request, user, starts_at: datetime, place: str) -> Appointment:
    return offer_appointments(footage_request=footage_request, user=user, times=[starts_at], place=place)[0]


def choose_appointment(*, footage_request, appointment_id: int) -> Appointment:
    """The applicant takes one of the offered times; the others are withdrawn."""
    with transaction.atomic():
        offers = footage_request.appointments.select_for_update().filter(
            status__in=lifecycle.appointment_allowed_from(AppointmentEvent.CHOSEN), starts_at__gt=timezone.now()
        )
        chosen = offers.filter(pk=appointment_id).first()
        if chosen is None:
            raise ValidationError(_("This time is no longer offered. Please choose another."))
        others = offers.exclude(pk=chosen.pk).filter(
            status__in=lifecycle.appointment_allowed_from(AppointmentEvent.WITHDRAWN)
        )
        others.update(status=lifecycle.APPOINTMENT_TRANSITIONS[AppointmentEvent.WITHDRAWN][1])
        chosen.status = lifecycle.next_appointment_status(AppointmentEvent.CHOSEN, chosen.status)
        chosen.save(update_fields=["status"])
        log(instance=footage_request, action=log_actions.APPOINTMENT_CHOSEN, user=None)
        public_state.forget(footage_request.token)
    return chosen
