"""Who is calling: the one definition of a client's address (audit log, throttles, lock-out)."""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str | None:
    """The caller's IP address.

    Behind `TRUSTED_PROXIES` reverse proxies the address is the one the outermost trusted proxy
    saw (counted from the right of X-Forwarded-For, which a client can prepend to but not
    append to); with none, the socket's peer.
    """
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
