"""Idempotent submissions: a resent form or API call with the same key creates nothing new.

The client makes one key per record it means to create (a UUID) and sends it with every
attempt: the `Idempotency-Key` header on the API, the hidden `idempotency_key` field on the
worker pages' forms (the offline send queue may use either). The key row is inserted in the
transaction that writes the record, before the write: a second attempt running at the same
time waits on the key's unique index until the first commits, then answers with the first
attempt's response instead of running again. A failed attempt (an error, a refused form)
rolls its key back, so the corrected resend with the same key goes through.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
# Never part of what a submission means: a page's CSRF token differs between sessions.
_NOT_FINGERPRINTED = {"csrfmiddlewaretoken", FORM_FIELD}


class KeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"


def _fingerprint(request, data) -> str:
    if hasattr(data, "lists"):
        payload = {k: v for k, v in data.lists() if k not in _NOT_FINGERPRINTED}
    elif isinstance(data, dict):
        payload = {k: v for k, v in data.items() if k not in _NOT_FINGERPRINTED}
    else:
        payload = data
    text = json.dumps([request.method, request.path, payload], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _valid_key(raw: str) -> str:
    if not _KEY.match(raw):
        raise exceptions.ValidationError(
            {
                HEADER: [
                    _("The idempotency key must be 8 to 64 letters, digits or the signs - _ . : (a UUID).")
                ]
            }
        )
    return raw


def run_once(
    *,
    user,
    key: str,
    fingerprint: str,
    handler: Callable[[], HttpResponse],
    keep: Callable[[HttpResponse], bool],
    replay: Callable[[IdempotencyKey], HttpResponse],
) -> HttpResponse:
    """Run `handler` unless this user's `key` was already carried out; then `replay` it.

    `keep(response)` says whether the response means the submission was carried out; if not,
    everything the handler wrote and the key itself are rolled back.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            record = IdempotencyKey.objects.get(user=user, key=key)
            if record.fingerprint != fingerprint:
                raise KeyReused(
                    _("This idempotency key was already used for another submission; make a new key.")
                ) from None
            return replay(record)
        response = handler()
        if not keep(response):
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.location = response.get("Location", "")[:500]
        data = getattr(response, "data", None)
        record.body = data if data is None or isinstance(data, dict | list) else None
        record.save(update_fields=["status_code", "location", "body"])
    return response


def _replay_api(record: IdempotencyKey) -> Response:
    headers = {REPLAYED_HEADER: "true"}
    if record.location:
        headers["Location"] = record.location
    return Response(record.body, status=record.status_code, headers=headers)


class IdempotentCreateMixin:
    """An API create that honours the `Idempotency-Key` header (optional: without it, as usual)."""

    def create(self, request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if not raw:
            return super().create(request, *args, **kwargs)
        return run_once(
            user=request.user,
            key=_valid_key(raw),
            fingerprint=_fingerprint(request, request.data),
            handler=lambda: super(IdempotentCreateMixin, self).create(request, *args, **kwargs),
            keep=lambda response: 200 <= response.status_code < 300,
            replay=_replay_api,
        )


def idempotent_post(view):
    """A worker page whose POST, once it succeeded (a redirect), is never carried out twice.

    A double-tapped button or a resent offline submission with the same `idempotency_key`
    lands on the page the first submission led to, with nothing new recorded.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        raw = request.POST.get(FORM_FIELD) if request.method == "POST" else None
        if not raw or not request.user.is_authenticated or not _KEY.match(raw):
            return view(request, *args, **kwargs)

        def replay(record: IdempotencyKey) -> HttpResponse:
            messages.info(request, _("This form had already been sent; nothing new was recorded."))
            response = HttpResponseRedirect(record.location)
            response[REPLAYED_HEADER] = "true"
            return response

        try:
            return run_once(
                user=request.user,
                key=raw,
                fingerprint=_fingerprint(request, request.POST),
                handler=lambda: view(request, *args, **kwargs),
                keep=lambda response: response.status_code in (301, 302, 303),
                replay=replay,
            )
        except KeyReused as exc:
            # A page has no DRF handler: answer what the API answers, never a 500. Only a queue
            # replaying a key of another form gets here; a person's form makes a new key each time.
            return HttpResponse(str(exc.detail), status=KeyReused.status_code, content_type="text/plain")

    return wrapper


def purge_keys(*, older_than_days: int) -> int:
    """Forget keys older than the window an offline queue resends in; how many were dropped."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
