"""Whether a staff member works for an organisation (ADR 0016, ADR 0019).

Role groups are the same everywhere and say what a staff member may do; ``Organisation.members`` says where. While
an installation serves one organisation every member of a role works for it (an installation from before the
organisations had no memberships, and the middleware scopes nothing then); from the second organisation on, only
its members do. Superusers work for every organisation.
"""

from cctv.organisations.middleware import known_sites

_CACHE = "_cctv_organisation_ids"


def serves_many() -> bool:
    return len(known_sites()["hosts"]) > 1


def organisation_ids_of(user) -> frozenset[int]:
    """The organisations ``user`` is a member of, read once per user object (a request's user)."""
    ids = getattr(user, _CACHE, None)
    if ids is None:
        ids = frozenset(user.organisations.values_list("pk", flat=True))
        setattr(user, _CACHE, ids)
    return ids


def works_for(user, organisation_id: int) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or not serves_many():
        return True
    return organisation_id in organisation_ids_of(user)
