import statistics
from dataclasses import dataclass

from cctv.caching import cache_key, cached
from workflow.constants import RequestKind
from workflow.handling.models import ServiceStep
from workflow.handling.risk import OPEN
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest


@dataclass(frozen=True)
class Estimate:
    working_minutes: int
    approval_hours: float | None  # the usual time approvals took lately; None without history

    @property
    def total_days(self) -> int | None:
        if self.approval_hours is None:
            return None
        return max(1, -(-int(self.approval_hours * 60 + self.working_minutes) // (24 * 60)))


def working_minutes(steps, *, is_copy: bool, cameras: int, files: int) -> int:
    return sum(step.standard_for(cameras=cameras, files=files) for step in steps if step.applies_to(is_copy=is_copy))


APPROVAL_SAMPLE = 200


def usual_approval_hours() -> float | None:
    """Median time from submission to approval over the latest approved requests (cached for an hour)."""

    def load() -> dict:
        rows = (
            FootageRequest.objects.filter(public_status=PublicStatus.APPROVED)
            .order_by("-status_changed_at")
            .values_list("submitted_at", "status_changed_at")[:APPROVAL_SAMPLE]
        )
        durations = [(changed - submitted).total_seconds() / 3600 for submitted, changed in rows]
        # In a dict, so that "no history" (None) is kept too.
        return {"hours": round(statistics.median(durations), 1) if durations else None}

    return cached(cache_key("usual-approval", families=("form-options",)), 60 * 60, load)["hours"]


def active_steps() -> list[ServiceStep]:
    """The manual's steps in order, from the cache (editors' changes bump the form-options version)."""
    key = cache_key("service-steps", families=("form-options",))
    return cached(key, 60 * 60, lambda: list(ServiceStep.objects.filter(active=True)))


def estimate_for(*, kind: str, cameras: int, files: int) -> Estimate:
    steps = active_steps()
    return Estimate(
        working_minutes=working_minutes(steps, is_copy=kind == RequestKind.COPY, cameras=cameras, files=files),
        approval_hours=usual_approval_hours(),
    )


def estimate_for_request(footage_request: FootageRequest) -> Estimate:
    return estimate_for(
        kind=footage_request.request_type.kind,
        cameras=len(footage_request.cameras.all()),
        files=footage_request.file_count or 0,
    )


@dataclass(frozen=True)
class ProgressStep:
    name: str
    state: str  # "done", "current", "waiting"


def steps_of(footage_request: FootageRequest) -> list[ServiceStep]:
    """The manual's steps that apply to this request (the copy steps only to copies)."""
    is_copy = footage_request.request_type.kind == RequestKind.COPY
    return [step for step in active_steps() if step.applies_to(is_copy=is_copy)]


def progress(footage_request: FootageRequest) -> list[ProgressStep]:
    """The manual's steps as the applicant sees them: done, in hand or still to come. No staff names."""
    steps = steps_of(footage_request)
    records = list(footage_request.step_records.all())
    # A step is done once work on it was recorded and none is still under way (timed with start and stop).
    running = {record.step_id for record in records if record.is_running}
    done = {record.step_id for record in records} - running
    approved = footage_request.public_status == PublicStatus.APPROVED
    result, current_given = [], False
    for step in steps:
        finished = (step.approval and approved) or (not step.approval and step.pk in done)
        if finished:
            result.append(ProgressStep(step.public_name, "done"))
        elif step.pk in running:
            result.append(ProgressStep(step.public_name, "current"))
            current_given = True
        elif not current_given and footage_request.public_status in OPEN:
            result.append(ProgressStep(step.public_name, "current"))
            current_given = True
        else:
            result.append(ProgressStep(step.public_name, "waiting"))
    return result
