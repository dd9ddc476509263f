import pytest

from tests.line_server import line_api
from workflow.notifications import sms

TOKEN = "line-channel-access-token-for-tests"
SECRET = "0123456789abcdef0123456789abcdef"
BASIC_ID = "@cctvtest"
# LINE user ids are "U" and 32 hex digits.
SOMCHAI = "U" + "1" * 32
MALEE = "U" + "2" * 32


@pytest.fixture
def line(settings):
    """The installation's LINE channel, pointed at a local Messaging API."""
    with line_api(token=TOKEN) as api:
        settings.CCTV_LINE_API_BASE = api.base
        settings.CCTV_LINE_CHANNEL_ACCESS_TOKEN = TOKEN
        settings.CCTV_LINE_CHANNEL_SECRET = SECRET
        settings.CCTV_LINE_BASIC_ID = BASIC_ID
        yield api


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.MemoryGateway.outbox.clear()
    yield
    sms.MemoryGateway.outbox.clear()
