"""Article bodies are Markdown written by agents: rendered to HTML, then sanitised with nh3 so
no script or event handler reaches a page or an email."""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

_EXTENSIONS = ["extra", "sane_lists"]
_TAGS = nh3.ALLOWED_TAGS | {"pre", "code", "hr", "table", "thead", "tbody", "tr", "th", "td"}


def to_html(body: str) -> Markup:
    """Safe HTML of a Markdown body."""
    html = markdown.markdown(body or "", extensions=_EXTENSIONS, output_format="html")
    return Markup(nh3.clean(html, tags=_TAGS, link_rel="noopener noreferrer"))


def to_text(body: str) -> str:
    """The words of a Markdown body without markup: what the index and emails hold."""
    html = markdown.markdown(body or "", extensions=_EXTENSIONS)
    text = nh3.clean(html, tags=set())
    return re.sub(r"\s+", " ", Markup(text).unescape()).strip()
