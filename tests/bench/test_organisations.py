"""The bench's many-organisation builder (bench/organisations.py): every organisation it makes is a whole one,
whose rows point at its own lists, so the 100-organisation benchmark measures what a real installation would."""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import WorkflowTask

from cctv.organisations.models import Organisation
from cctv.stations.models import Camera, Station
from workflow.approval.models import ApprovalTask, RefusalReason
from workflow.request.models import RequestType

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import common
import organisations


@pytest.fixture
def three(db):
    call_command("seed_demo", stdout=io.StringIO())
    return organisations.make_organisations(3)


def test_each_copy_has_its_own_site_lists_and_workflows(three):
    first, *others = three
    assert [o["code"] for o in three] == ["CCTV", "O001", "O002"]
    assert [o["host"] for o in others] == ["o001.bench.test", "o002.bench.test"]
    for described in others:
        organisation = Organisation.objects.get(pk=described["id"])
        assert organisation.site.hostname == described["host"]
        assert Station.objects.filter(organisation=organisation).count() == len(first["stations"])
        assert (
            Camera.objects.filter(station__organisation=organisation).count()
            == Camera.objects.filter(station__organisation_id=first["id"]).count()
        )
        assert (
            RefusalReason.objects.filter(organisation=organisation).count()
            == RefusalReason.objects.filter(organisation_id=first["id"]).count()
        )
        # The request types' workflows run over this organisation's own steps, in the first one's order.
        for request_type in RequestType.objects.filter(organisation=organisation):
            steps = WorkflowTask.objects.filter(workflow=request_type.workflow).order_by("sort_order")
            assert {ApprovalTask.objects.get(pk=s.task_id).organisation_id for s in steps} == {organisation.pk}
        assert len(described["tasks"]) == len(first["tasks"])
        assert not set(described["tasks"]) & set(first["tasks"])
        assert len(described["types"]) == len(described["workflows"]) == len(first["types"])


def test_a_copy_serves_its_request_form_on_its_own_host(three, client, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", ".bench.test"]
    response = client.get("/request/", HTTP_HOST="o002.bench.test")
    assert response.status_code == 200
    assert response.wsgi_request._wagtail_site.hostname == "o002.bench.test"
    # The copies carry the first organisation's station names: the ids say whose stations the form offers.
    choices = response.context["form"].fields["station"].choices
    offered = {str(getattr(value, "value", value)) for value, _label in choices if value}
    assert offered == {str(pk) for pk in three[2]["stations"]}


def test_the_measured_staff_are_members_of_one_organisation_only(three):
    usernames = organisations.staff_of(three[1]["id"], "o001")
    from django.contrib.auth import get_user_model

    for username in usernames.values():
        user = get_user_model().objects.get(username=username)
        assert list(user.organisations.values_list("pk", flat=True)) == [three[1]["id"]]
        assert user.groups.exists()


@pytest.mark.parametrize(
    ("label", "size"), [("10k", (10_000, 1)), ("1m", (1_000_000, 1)), ("100k-100org", (100_000, 100))]
)
def test_dataset_labels(label, size):
    assert common.dataset(label) == size


def test_a_label_that_is_no_size_is_refused():
    with pytest.raises(ValueError, match="not a dataset label"):
        common.dataset("big")
