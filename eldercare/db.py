"""Reads that may go to a streaming replica; everything else goes to the primary.

With `DATABASE_REPLICA_URL` set there is a second database alias, `replica`: a PostgreSQL hot
standby streaming from the primary. The dashboard, the month's report, exports and the API's
list reads are marked as replica reads (`reads_from_replica`, and every DRF `list`); inside them
the router sends reads to the replica unless

- the read is inside a transaction on the primary (a service reads what it is writing),
- this request has already written (it reads its own writes),
- the same account wrote in the last `REPLICA_PIN_SECONDS` (its next pages read its own writes,
  whatever the replication lag),
- the model is an account, session or permission table (a login must work on its first click),
- or the replica is down: a failed connection marks it down for `REPLICA_RETRY_SECONDS` and the
  view runs again on the primary, so the portal keeps working when the standby stops.

Writes always go to the primary, and migrations run there only.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Who is asking and what they may see, sessions, tokens and idempotency keys: never stale.
PRIMARY_ONLY_APPS = frozenset(
    {
        "auth",
        "sessions",
        "contenttypes",
        "admin",
        "axes",
        "authtoken",
        "knox",
        "django_celery_beat",
        "eldercare",
    }
)
PRIMARY_ONLY_MODELS = frozenset({"regions.staffprofile"})


@dataclass
class _Reads:
    request: object = None
    wrote: bool = False
    pinned: bool | None = None  # decided at the first routed read, once the view knows the user


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "eldercare_replica_reads", default=None
)
_down_until = 0.0  # per process: when to try the replica again after it failed


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "REPLICA_READS", True)


def _pin_key(user_id) -> str:
    return f"replica-pin:{user_id}"


def pin_to_primary(user) -> None:
    """After an account writes, its reads stay on the primary for a while (read-your-writes)."""
    if replica_configured() and getattr(user, "is_authenticated", False):
        cache.set(_pin_key(user.pk), 1, settings.REPLICA_PIN_SECONDS)


def mark_replica_down() -> None:
    global _down_until
    _down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


def forget_replica_state() -> None:
    """Try the replica on the next read (after it came back, or in tests)."""
    global _down_until
    _down_until = 0.0


def _replica_ready() -> bool:
    if time.monotonic() < _down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as exc:
        log.warning("replica unavailable, reading from the primary: %s", exc)
        mark_replica_down()
        return False
    return True


def _replica_failed() -> bool:
    conn = connections[REPLICA]
    return conn.connection is None or not conn.is_usable()


def _pinned(request) -> bool:
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False) and cache.get(_pin_key(user.pk)))


@contextmanager
def replica_reads(request=None):
    """Reads in this block may go to the replica (see the module docstring for when they do not)."""
    token = _reads.set(_Reads(request=request))
    try:
        yield _reads.get()
    finally:
        _reads.reset(token)


def run_on_replica(request, call: Callable[[], object]):
    """Run a read-only view with its reads on the replica when that is safe; if the replica fails
    before the view wrote anything, mark it down and run the view again on the primary."""
    if not replica_configured() or not _replica_ready():
        return call()
    with replica_reads(request) as reads:
        try:
            return call()
        except DatabaseError:
            if reads.wrote or not _replica_failed():
                raise
            log.warning("replica failed during a read, running the view again on the primary")
            mark_replica_down()
    return call()


def reads_from_replica(view):
    """Mark a view whose reads may go to the replica (ReplicaMiddleware runs it so)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.reads_from_replica = True
    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if (
            reads is None
            or reads.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or model._meta.label_lower in PRIMARY_ONLY_MODELS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or time.monotonic() < _down_until
        ):
            return None  # Django then keeps an instance's own database, else the primary
        if reads.pinned is None:
            # An API view learns who is asking only when it authenticates, inside the view: the
            # account's pin is looked up at its first data read, which comes after that.
            reads.pinned = _pinned(reads.request)
        return None if reads.pinned else REPLICA

    def db_for_write(self, model, **hints):
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is the primary's copy: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Runs marked views and API list reads on the replica, and pins an account to the primary
    for a while after each request of it that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            pin_to_primary(getattr(request, "user", None))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured():
            return None
        api_list = request.method in SAFE_METHODS and (getattr(view_func, "actions", None) or {}).get(
            request.method.lower()
        ) in ("list",)
        if not (getattr(view_func, "reads_from_replica", False) or api_list):
            return None
        return run_on_replica(request, lambda: view_func(request, *view_args, **view_kwargs))
