"""Deprecated location of the SMS gateways, kept for one release: env files name ``workflow.sms.HttpGateway``.

Use ``workflow.notifications.sms.*`` in ``CCTV_SMS_BACKEND``.
"""

import warnings

from workflow.notifications.sms import HttpGateway, LogGateway, MemoryGateway, SmsError

warnings.warn(
    "CCTV_SMS_BACKEND: workflow.sms is deprecated, use workflow.notifications.sms",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["HttpGateway", "LogGateway", "MemoryGateway", "SmsError"]
