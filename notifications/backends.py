"""SMS gateways behind one interface; `NOTIFY_SMS_BACKEND` (a dotted path) names the one in use.

The default records the message in the database and sends nothing: the recipient reads it in
the inbox, tests see it, and a bureau without a gateway loses no reminder. `HttpSmsBackend`
posts each message to a gateway's HTTP interface (the URL, key and signature from settings);
a bureau whose gateway speaks another protocol writes a class with the same `send`.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .choices import MessageStatus
from .models import Message

logger = logging.getLogger(__name__)


class SmsBackend(ABC):
    """The interface of a gateway: `send` sets each message's status, sent_at and error (the
    caller saves them) and must not raise for one message that failed."""

    @abstractmethod
    def send(self, messages: Sequence[Message]) -> None: ...


class DatabaseBackend(SmsBackend):
    """No gateway: the message is recorded and shown in the inbox only."""

    def send(self, messages: Sequence[Message]) -> None:
        now = timezone.now()
        for message in messages:
            message.status = MessageStatus.RECORDED
            message.sent_at = now


class HttpSmsBackend(SmsBackend):
    """A gateway's HTTP interface: one JSON POST per message,
    `{"phone": ..., "text": ..., "sign": ...}` with `Authorization: Bearer <NOTIFY_SMS_KEY>`;
    any 2xx answer counts as sent."""

    def __init__(self) -> None:
        self.url = settings.NOTIFY_SMS_URL
        self.key = settings.NOTIFY_SMS_KEY
        self.sign = settings.NOTIFY_SMS_SIGN
        self.timeout = settings.NOTIFY_SMS_TIMEOUT

    def send(self, messages: Sequence[Message]) -> None:
        for message in messages:
            body = json.dumps({"phone": message.phone, "text": message.text, "sign": self.sign}).encode()
            request = urllib.request.Request(
                self.url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Authorization": f"Bearer {self.key}",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (URL from settings)
                    ok = 200 <= response.status < 300
                    error = "" if ok else f"HTTP {response.status}"
            except urllib.error.HTTPError as exc:
                ok, error = False, f"HTTP {exc.code}"
            except (urllib.error.URLError, OSError) as exc:
                ok, error = False, str(getattr(exc, "reason", exc))
            message.status = MessageStatus.SENT if ok else MessageStatus.FAILED
            message.sent_at = timezone.now() if ok else None
            message.error = error[:300]
            if not ok:
                # Never the text or the phone in the log: the message stays readable in the inbox.
                logger.warning("SMS gateway refused message %s: %s", message.pk, error)


def get_backend() -> SmsBackend:
    return import_string(settings.NOTIFY_SMS_BACKEND)()
