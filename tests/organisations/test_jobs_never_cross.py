"""Work done outside a staff member's scope names its organisation: a citizen's message uses their own
municipality's wording, and the staff filters' cached choices are kept per scope."""

from cctv.organisations.context import only_organisations
from tests.factories import StationFactory, another_organisation, first_organisation
from workflow.constants import Channel, NotificationEvent
from workflow.notifications import sms
from workflow.notifications.models import MessageTemplate
from workflow.request.selectors import station_choices


def test_a_message_uses_the_wording_of_the_requests_own_organisation(chain, django_capture_on_commit_callbacks):
    theirs = another_organisation()
    MessageTemplate.objects.create(
        organisation=theirs, event=NotificationEvent.SUBMITTED, channel=Channel.SMS, body="น่านรับเรื่อง {reference}"
    )
    MessageTemplate.objects.create(
        organisation=first_organisation(),
        event=NotificationEvent.SUBMITTED,
        channel=Channel.SMS,
        body="ลำปางรับเรื่อง {reference}",
    )
    sms.MemoryGateway.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        footage_request = chain["new"]()
    texts = [m["text"] for m in sms.MemoryGateway.outbox if m["to"] == footage_request.phone]
    assert texts == [f"ลำปางรับเรื่อง {footage_request.reference}"]


def test_the_staff_filters_station_choices_are_kept_per_scope(db):
    ours, theirs = first_organisation(), another_organisation()
    StationFactory(code="park", name_th="สวนของเรา")
    StationFactory(code="market", name_th="ตลาดของน่าน", organisation=theirs)
    with only_organisations([ours.pk]):
        mine = [name for _pk, name in station_choices()]
    with only_organisations([theirs.pk]):
        other = [name for _pk, name in station_choices()]
    assert mine == ["สวนของเรา"]
    assert other == ["ตลาดของน่าน"]
