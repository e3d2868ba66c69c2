"""Pure rules of the notifications: what a message may say, and whose counts are whose."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

# An 18-character resident ID number (GB 11643) standing alone in a text.
_ID_NUMBER = re.compile(r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9Xx])")


def safe_text(text: str) -> str:
    """A message leaves the portal (an SMS gateway, a phone's screen): an ID number in it is
    masked as on the pages, whatever the caller wrote."""
    return _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)[-4:]}", text)


def totals_under(counts: dict[str, int], prefixes: Iterable[tuple[int, str]]) -> dict[int, int]:
    """For each (account id, region code prefix), the sum of the counts whose region code starts
    with the prefix: one grouped query gives the counts for a whole city, and this hands them to
    its accounts without a query per account."""
    codes = sorted(counts)
    totals: dict[int, int] = {}
    for account, prefix in prefixes:
        i = bisect_left(codes, prefix)
        total = 0
        while i < len(codes) and codes[i].startswith(prefix):
            total += counts[codes[i]]
            i += 1
        if total:
            totals[account] = total
    return totals
