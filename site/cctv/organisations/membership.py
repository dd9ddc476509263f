"""Whether a staff member works for an organisation (ADR 0016, ADR 0019).

Role groups are the same everywhere and say what a staff member may do; ``Organisation.members`` says where. While
an installation serves one organisation every member of a role works for it (an installation from before the
organisations had no memberships, and the middleware scopes nothing then); from the second organisation on, only
its members do. Superusers work for every organisation.
"""

from cctv.caching import versions
from cctv.caching.readthrough import cache_key, cached

_CACHE = "_cctv_organisation_ids"
# Every change of a membership bumps this family: the other processes see it within a second (versions.py).
FAMILY = "memberships"
SECONDS = 60 * 60


def serves_many() -> bool:
    from cctv.organisations.middleware import known_sites

    return len(known_sites()["hosts"]) > 1


def _load(user_id: int) -> frozenset[int]:
    from cctv.organisations.models import Organisation

    members = Organisation.members.through.objects.filter(user_id=user_id)
    return frozenset(members.values_list("organisation_id", flat=True))


def organisation_ids_of(user) -> frozenset[int]:
    """The organisations ``user`` is a member of: from the cache (so a staff page costs the same queries with a
    hundred organisations as with one), and once per user object within a request."""
    ids = getattr(user, _CACHE, None)
    if ids is None:
        ids = cached(cache_key("organisation-ids", user.pk, families=(FAMILY,)), SECONDS, lambda: _load(user.pk))
        setattr(user, _CACHE, ids)
    return ids


def forget_memberships(*, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        versions.bump(FAMILY)


def works_for(user, organisation_id: int) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or not serves_many():
        return True
    return organisation_id in organisation_ids_of(user)
