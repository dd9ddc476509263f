import pytest

from tests.line_server import BASIC_ID, MALEE, SECRET, SOMCHAI, TOKEN
from workflow.notifications import sms

__all__ = ["BASIC_ID", "MALEE", "SECRET", "SOMCHAI", "TOKEN"]


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.MemoryGateway.outbox.clear()
    yield
    sms.MemoryGateway.outbox.clear()
