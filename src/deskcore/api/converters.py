"""URL converters for API routes (core's and plugins')."""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

from ..schemas import MAX_ID


class IdConverter(BaseConverter):
    """``<id:name>``: an id or number the database can hold (1 … 2³¹-1), else 404.

    Out-of-range values raise NotFound here rather than failing to match: a non-match would
    let werkzeug answer 405 when the same path exists with another method.
    """

    regex = r"[1-9][0-9]{0,9}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise NotFound()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
