"""Version counters kept in the cache: a cached result whose key holds the version of what it was
read from is never served after a write to it, without any list of keys to delete.

A writer bumps its counter now (for the rest of its own transaction) and again once it has
committed (for everyone else's reads: a reader between the two bumps may have cached the old
data under the new version). If the cache loses a counter, it starts again from the clock, above
any number it held before, so every key built from it is new: a lost counter (or an unreachable
cache) can only cost a miss, never a stale page or a revoked permission still granted.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

_PREFIX = "version:"


def _fresh() -> int:
    # Microseconds since the epoch: larger than any count a lost counter reached by increments.
    return time.time_ns() // 1000


def current(name: str) -> int:
    return cache.get_or_set(_PREFIX + name, _fresh, None)


def bump(name: str) -> None:
    """Mark everything cached under the current version of `name` as stale, now and at commit."""
    _incr(name)
    transaction.on_commit(lambda: _incr(name))


def _incr(name: str) -> None:
    try:
        cache.incr(_PREFIX + name)
    except ValueError:  # no counter yet (or the cache lost it): any new number is a new key
        cache.set(_PREFIX + name, _fresh(), None)
