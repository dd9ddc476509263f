"""When the recorder may have overwritten a request's footage: stored on the request at submission."""

from datetime import date, timedelta


def overwrite_date(*, incident_date: date, station, cameras) -> date:
    """The first day the recorder may have overwritten the incident: the shortest retention that applies."""
    days = [camera.retention_days for camera in cameras] or [station.recorder_retention_days]
    return incident_date + timedelta(days=min(days))
