"""`create_organisation` names the installation's Organisation and sets its reference prefix; the first request's
reference carries it."""

import io

from django.core.management import call_command

from cctv.organisations.models import Organisation
from tests.factories import submission
from workflow.request.models import ReferenceCounter
from workflow.request.services import submit_request


def create(*extra: str) -> str:
    out = io.StringIO()
    call_command("create_organisation", "--host", "cctv.nan.go.th", "--name", "เทศบาลเมืองน่าน", *extra, stdout=out)
    return out.getvalue()


def test_the_installations_organisation_gets_its_name_prefix_and_site(db):
    output = create("--name-en", "Nan Town Municipality", "--prefix", "nan1")

    organisation = Organisation.objects.get()
    assert (organisation.name_th, organisation.name_en, organisation.code) == (
        "เทศบาลเมืองน่าน",
        "Nan Town Municipality",
        "NAN1",
    )
    assert organisation.site.hostname == "cctv.nan.go.th"
    assert "reference prefix NAN1" in output


def test_references_carry_the_prefix(db, stations, request_types):
    create("--prefix", "NAN")
    footage_request = submit_request(submission=submission(station=stations[0], request_type=request_types["view"]))
    assert footage_request.reference.startswith("NAN-")
    assert footage_request.organisation == Organisation.objects.get()


def test_a_prefix_that_references_carry_is_kept(db):
    create("--prefix", "NAN")
    ReferenceCounter.objects.create(organisation=Organisation.objects.get(), year_be=2569, last_number=3)

    output = create("--prefix", "OTHER")

    assert Organisation.objects.get().code == "NAN"
    assert "Kept reference prefix NAN, which references already carry." in output


def test_a_prefix_that_is_not_letters_and_digits_is_refused(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--prefix"):
        create("--prefix", "NA-N")
    assert Organisation.objects.get().code == "CCTV"
