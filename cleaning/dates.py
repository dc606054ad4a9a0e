"""Read dates out of datelines, as ISO-8601."""

from __future__ import annotations

import re
from datetime import date

from dateutil import parser

NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
PREFIX = re.compile(r"^\s*(published|updated|posted|last updated)\s*(on|:)?\s*", re.IGNORECASE)


def to_iso(text: str) -> str | None:
    """Return the date in `text` as ISO-8601, or None when there is none.

    A numeric date is read day first when the month-first reading is
    impossible, and month first otherwise (the US convention of most
    English-language news sites).

    >>> to_iso("Saturday, 02/03/2024")
    '2024-02-03'
    >>> to_iso("Published 14 August 2021")
    '2021-08-14'
    >>> to_iso("Source link") is None
    True
    """
    text = PREFIX.sub("", text)
    if not re.search(r"\d", text):
        return None
    numeric = NUMERIC_DATE.search(text)
    if numeric:
        return _numeric(*map(int, numeric.groups()))
    try:
        # Only the date is kept, so a zone dateutil does not know ("ET") needs no warning.
        return parser.parse(text, fuzzy=True, default=None, ignoretz=True).date().isoformat()
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None


def _numeric(first: int, second: int, year: int) -> str | None:
    for month, day in ((first, second), (second, first)):
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None
