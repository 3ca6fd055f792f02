"""Normalised search keys: one place decides how names, phones and national IDs compare."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_DIGIT = re.compile(r"\D+")


def fold(text: str) -> str:
    """Lower case, accents removed, runs of other characters turned into one space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = decomposed.encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def name_tokens(name: str) -> set[str]:
    """The folded words of a name, each indexed so any word finds the customer."""
    return {word[:100] for word in fold(name).split()}


def phone_digits(number: str) -> str:
    """Only the digits of a phone number: "+56 (9) 8765-4321" → "56987654321"."""
    return _NON_DIGIT.sub("", number or "")


def national_id_key(national_id: str | None) -> str | None:
    """Digits and letters, upper case: "12.345.678-k" and "12345678K" are one ID."""
    if not national_id:
        return None
    key = _NON_ALNUM.sub("", fold(national_id).replace(" ", "")).upper()
    return key or None


def prefix_range(prefix: str, alphabet_end: str) -> tuple[str, str]:
    """Bounds of an indexable ``column >= low AND column < high`` prefix search.

    ``alphabet_end`` is the character right after the column's alphabet in byte order:
    ":" for digits, "{" for folded lower-case letters and digits.
    """
    return prefix, prefix + alphabet_end
