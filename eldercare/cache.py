"""Django's Redis cache, kept working while Redis is away.

The cache only speeds things up (parsed policy sections, throttle counters): when Redis is down
or unreachable, a read is a miss and a write is skipped, with one warning in the log, so the
worker pages and the API go on answering from the database instead of failing with a 500.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _degrades_to(fallback):
    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _UNAVAILABLE as exc:
                logger.warning("Cache unavailable (%s): %s answered without it.", exc, method.__name__)
                return fallback(*args) if callable(fallback) else fallback

        return wrapper

    return decorate


class ResilientRedisCacheClient(RedisCacheClient):
    add = _degrades_to(False)(RedisCacheClient.add)
    get = _degrades_to(lambda key, default: default)(RedisCacheClient.get)
    set = _degrades_to(None)(RedisCacheClient.set)
    touch = _degrades_to(False)(RedisCacheClient.touch)
    delete = _degrades_to(False)(RedisCacheClient.delete)
    get_many = _degrades_to({})(RedisCacheClient.get_many)
    has_key = _degrades_to(False)(RedisCacheClient.has_key)
    set_many = _degrades_to([])(RedisCacheClient.set_many)
    delete_many = _degrades_to(None)(RedisCacheClient.delete_many)
    clear = _degrades_to(False)(RedisCacheClient.clear)

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except _UNAVAILABLE as exc:
            # Django's contract for a missing key: the caller starts the count anew.
            raise ValueError(f"Key {key!r} not found (cache unavailable: {exc})") from exc


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
