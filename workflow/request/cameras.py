"""A request's cameras are cameras of its station: the one check behind the citizen's form, the submission
service and the staff's handling forms and services."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cctv.stations.models import Camera


def cameras_of_station(station_id: int):
    """The cameras a request at this station may name (the choices of the staff's forms)."""
    return Camera.objects.filter(station_id=station_id).select_related("station")


def check_cameras_at_station(*, station_id: int, cameras: Sequence, field: str = "cameras", message=None) -> None:
    """Raises a ``ValidationError`` on ``field`` when a camera is at another station.

    A camera is anything with a ``station_id`` (a ``Camera``, the public form's cached ``CameraOption``);
    ``None`` (no camera chosen) passes.
    """
    if any(camera is not None and camera.station_id != station_id for camera in cameras):
        if message is None:
            message = (
                _("This camera is not at the request's station.")
                if len(cameras) == 1
                else _("A camera is not at the request's station.")
            )
        raise ValidationError({field: message})
