"""Reads for the public form, cached so that the form page costs a constant, small number of queries.

Reference data changes rarely and only through the admin; every save there bumps the version in the
cache key (see ``forget_form_options``), and entries also expire on their own.
"""

from dataclasses import dataclass

from django.db.models import F

from cctv.caching import cache_key, cached, versions
from cctv.home.models import PrivacyPolicyPage
from cctv.home.selectors import service_settings
from cctv.stations.models import Camera, Station
from cctv.thai.localised import localised
from workflow.line.channel import line_channel
from workflow.request.models import RequestType

CACHE_SECONDS = 300


@dataclass(frozen=True)
class CameraOption:
    id: int
    station_id: int
    code: str
    name: str
    position: str


@dataclass(frozen=True)
class StationOption:
    id: int
    name_th: str
    name_en: str
    district: str
    retention_days: int
    cameras: tuple[CameraOption, ...]

    @property
    def name(self) -> str:
        return localised(self.name_th, self.name_en)


@dataclass(frozen=True)
class RequestTypeOption:
    id: int
    kind: str
    name_th: str
    name_en: str
    needs_file_count: bool

    @property
    def name(self) -> str:
        return localised(self.name_th, self.name_en)


@dataclass(frozen=True)
class PolicyOption:
    page_id: int
    url: str
    title: str
    summary: str
    consent_label: str
    revision_id: int | None


@dataclass(frozen=True)
class FormOptions:
    stations: tuple[StationOption, ...]
    request_types: tuple[RequestTypeOption, ...]
    policy: PolicyOption | None
    collect_race: bool
    extra_fields: tuple
    offers_line: bool = False  # the organisation has a LINE Official Account: the form offers it as a channel

    def station(self, pk: int) -> StationOption | None:
        return next((s for s in self.stations if s.id == pk), None)

    def request_type(self, pk: int) -> RequestTypeOption | None:
        return next((t for t in self.request_types if t.id == pk), None)


def forget_form_options() -> None:
    """Called whenever an editor changes anything the form shows."""
    versions.bump("form-options")


def _load_form_options(page, site) -> FormOptions:
    """What the form of ``site`` offers: its own organisation's stations, cameras and request types only."""
    cameras: dict[int, list[CameraOption]] = {}
    # Cameras made outside the station's editor (seeded, imported) have no order: they come first, by code, on
    # every database (PostgreSQL would put them last), then those an editor placed, in the editor's order.
    in_order = (F("sort_order").asc(nulls_first=True), "code")
    for camera in Camera.objects.filter(active=True, station__active=True, station__organisation__site=site).order_by(
        *in_order
    ):
        cameras.setdefault(camera.station_id, []).append(
            CameraOption(camera.pk, camera.station_id, camera.code, camera.name, camera.position)
        )
    stations = tuple(
        StationOption(s.pk, s.name_th, s.name_en, s.district, s.recorder_retention_days, tuple(cameras.get(s.pk, ())))
        for s in Station.objects.active().filter(organisation__site=site)
    )
    request_types = tuple(
        RequestTypeOption(t.pk, t.kind, t.name_th, t.name_en, t.needs_file_count)
        for t in RequestType.objects.filter(active=True, organisation__site=site)
    )
    policy_page = PrivacyPolicyPage.objects.live().descendant_of(site.root_page, inclusive=True).first()
    policy = None
    if policy_page is not None:
        policy = PolicyOption(
            page_id=policy_page.pk,
            url=policy_page.get_url(),
            title=policy_page.title,
            summary=policy_page.summary,
            consent_label=policy_page.consent_label,
            revision_id=policy_page.live_revision_id,
        )
    service = service_settings(site)
    return FormOptions(
        stations=stations,
        request_types=request_types,
        policy=policy,
        collect_race=service.collect_race,
        extra_fields=tuple(page.get_form_fields()) if page is not None else (),
        offers_line=line_channel(site) is not None,
    )


def get_form_options(*, page, site) -> FormOptions:
    key = cache_key("form-options", site.pk, page.pk if page else 0, families=("form-options",))
    return cached(key, CACHE_SECONDS, lambda: _load_form_options(page, site))
