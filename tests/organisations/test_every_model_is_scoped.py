"""Every model of ours says whose its rows are (cctv.organisations.scope), and the declared path really leads to
one organisation: a row of B never turns up in A's scope."""

import pytest
from django.apps import apps

from cctv.organisations import scope
from cctv.organisations.models import Organisation
from tests.factories import StationFactory, another_organisation, first_organisation

OUR_APPS = ("cctv_organisations", "cctv_home", "cctv_stations", "cctv_two_factor", "cctv_forms", "cctv_workflow")


def our_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and not model.__name__.startswith("Historical")
    ]


def test_the_list_of_our_apps_is_complete():
    labels = {
        config.label for config in apps.get_app_configs() if config.name.startswith(("cctv", "forms", "workflow"))
    }
    assert labels == set(OUR_APPS)


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
def test_each_model_has_an_organisation_key_or_a_declared_scope(model):
    scope.path_to_organisation(model)  # KeyError names the model that is in no list


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
def test_each_declared_path_is_a_real_lookup(db, model):
    if scope.path_to_organisation(model) is None:
        return
    list(scope.scoped(model.objects.all(), first_organisation())[:1])


def test_an_own_key_is_not_nullable_and_is_never_cascaded():
    for model in our_models():
        if scope.path_to_organisation(model) != scope.OWN_KEY:
            continue
        field = model._meta.get_field(scope.OWN_KEY)
        assert field.related_model is Organisation
        assert not field.null, model
        assert field.remote_field.on_delete.__name__ == "PROTECT", model


def test_no_model_is_declared_twice_or_declared_without_existing():
    labels = {model._meta.label for model in our_models()}
    declared = [*scope.THROUGH, *scope.IN_PAGE_TREE, *scope.GLOBAL]
    assert len(declared) == len(set(declared))
    assert set(declared) <= labels


def test_scoping_keeps_each_organisations_rows_apart(db):
    ours, theirs = first_organisation(), another_organisation()
    mine = StationFactory(code="park")
    other = StationFactory(code="park", organisation=theirs)
    from cctv.stations.models import Camera, Station

    Camera.objects.create(station=other, code="C01", name="ของเขา")
    assert list(scope.scoped(Station.objects.all(), ours)) == [mine]
    assert list(scope.scoped(Station.objects.all(), theirs)) == [other]
    assert not scope.scoped(Camera.objects.all(), ours).exists()


def test_with_two_organisations_a_row_must_name_its_own(db):
    from django.db import IntegrityError, transaction

    from cctv.stations.models import Station

    another_organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(code="nowhere", name_th="ไม่มีเจ้าของ")
