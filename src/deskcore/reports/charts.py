"""Charts drawn on the server as inline SVG: bar, stacked bar, line over time and donut.

A report declares ``Chart(kind, x, series)`` and a page renders it above its table::

    chart = Chart("bar", x="agent", series=("open", "closed"), title="Workload")
    render_svg(chart, rows, labels={"open": "Open", "closed": "Closed"},
               number_format=flask_babel.format_decimal)

The result is a self-contained ``<svg>`` (``Markup``, safe to put in a template as is): no
JavaScript, a viewBox with ``width="100%"`` so it scales, ``role="img"`` with ``<title>`` and a
``<desc>`` listing the numbers for screen readers. Series differ by fill pattern or dash style
and marker as well as by colour, so a black-and-white print tells them apart; pattern ids are
unique per chart, so several charts share a page. Every text from the data is escaped.
``number_format`` formats every number shown (ticks, values, totals, percentages); without
it integers show no decimals and other numbers up to two. The page shows the table below the
chart, so a number that does not fit next to its bar is left to the bar's tooltip and the table.

CSS hooks: ``chart`` and ``chart-kind-<kind>`` on the root; ``chart-title``, ``chart-legend``,
``chart-grid``, ``chart-axis``, ``chart-axis-title``, ``chart-x-labels``, ``chart-bar``,
``chart-line``, ``chart-point``, ``chart-slice``, ``chart-value``, ``chart-total``,
``chart-empty``; ``chart-s0`` … ``chart-s7`` name the series (a ninth repeats the first look).

Data rules:

- ``None`` (and NaN) counts as 0 in bars and donuts and leaves a gap in a line.
- Negative numbers: bars and lines extend the axis below zero; a stacked bar stacks its
  negative segments downwards from zero; a donut counts them as 0 (a share cannot be
  negative) and shows the row's real value in its legend.
- A donut with more than ``MAX_SLICES`` rows keeps the first ones and merges the rest into
  "Other"; a donut whose total is 0 draws an empty ring saying "No data".
- Without rows (or a line without a single value) the chart is a small "No data" box.
- Crowded category labels are rotated (bars) or thinned out (lines) and truncated; the full
  text stays in a ``<title>`` tooltip, and every bar and point has its own tooltip.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from markupsafe import Markup, escape

KINDS = ("bar", "stacked_bar", "line", "donut")

WIDTH = 640
PLOT_HEIGHT = 220
FONT = 12
SMALL = 10.5
CHAR_WIDTH = 0.6  # average glyph width of a sans-serif font, in font sizes
MAX_LABEL_CHARS = 18
MAX_LEGEND_CHARS = 45
MAX_SLICES = 8
MAX_BAR_WIDTH = 56
MAX_DESC_ITEMS = 25

INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee4"
# Okabe-Ito colours: told apart by colour-blind readers, and of different greys in print.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999")
_MARK = f'stroke="{INK}" stroke-opacity="0.7" stroke-width="1.2"'
PATTERN_MARKS = (
    "",
    f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" {_MARK}/>',
    f'<circle cx="4" cy="4" r="1.6" fill="{INK}" fill-opacity="0.7"/>',
    f'<path d="M0,0 L8,8 M8,0 L0,8" {_MARK}/>',
    f'<path d="M0,4 H8" {_MARK}/>',
    f'<path d="M4,0 V8" {_MARK}/>',
    f'<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" {_MARK}/>',
    f'<path d="M0,0 h4 v4 h-4 Z M4,4 h4 v4 h-4 Z" fill="{INK}" fill-opacity="0.45"/>',
)
DASHES = ("", "7 4", "2 3", "9 3 2 3", "14 4", "4 2 1 2")
MARKERS = ("circle", "square", "triangle", "diamond")

NumberFormat = Callable[[float], str]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Chart:
    """How to draw a report's rows: ``x`` names the category key, ``series`` the value keys."""

    kind: str
    x: str
    series: tuple[str, ...]
    title: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}: use one of {', '.join(KINDS)}")
        if not isinstance(self.x, str) or not self.x:
            raise ValueError("a chart needs x: the row key of its category or time label")
        if isinstance(self.series, str):
            raise ValueError(f"series must be a tuple of row keys, not the string {self.series!r}")
        object.__setattr__(self, "series", tuple(self.series))
        if not self.series:
            raise ValueError("a chart needs at least one series: the row key of a numeric value")


def render_svg(
    chart: Chart,
    rows: Sequence[dict],
    labels: dict[str, str] | None = None,
    number_format: NumberFormat | None = None,
) -> Markup:
    """The chart of ``rows`` as inline SVG; ``labels`` names the row keys for people."""
    canvas = _Canvas(chart, labels or {}, number_format or default_number_format)
    if not rows:
        return canvas.no_data()
    categories = [_text(row.get(chart.x)) for row in rows]
    values = {key: [_number(row.get(key), key) for row in rows] for key in chart.series}
    if chart.kind == "donut":
        return _donut(canvas, categories, values[chart.series[0]])
    if chart.kind == "line":
        if all(v is None for key in chart.series for v in values[key]):
            return canvas.no_data()
        return _line(canvas, categories, values)
    return _bars(canvas, categories, values, stacked=chart.kind == "stacked_bar")


def default_number_format(value: float) -> str:
    """Integers without decimals, other numbers with up to two."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Axis ticks at multiples of 1, 2 or 5 times a power of ten, from zero (or below the
    lowest negative value) to the first tick at or above the highest; all-zero data: 0 and 1."""
    low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        return [0.0, 1.0]
    raw = (high - low) / target
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    decimals = max(0, -math.floor(math.log10(step)))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, decimals) + 0.0 for k in range(first, last + 1)]


def _number(value: object, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    raise ValueError(f"chart value {value!r} of {key!r} is not a number")


def _text(value: object) -> str:
    """Any value as text XML can hold (user data may carry control characters)."""
    text = "" if value is None else str(value)
    return text if text.isprintable() else _NOT_XML.sub("", text)


def _esc(value: object) -> str:
    return str(escape(_text(value)))


def _num(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _width(text: str, size: float = FONT) -> float:
    return len(text) * size * CHAR_WIDTH


def _truncate(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


def _el(tag: str, content: str = "", **attrs: object) -> str:
    """One element; attribute names use ``_`` for ``-`` (``class_`` for ``class``)."""
    parts = [tag]
    for name, value in attrs.items():
        if value is None or value == "":
            continue
        if isinstance(value, float):
            text = _num(value)
        elif isinstance(value, int):
            text = str(value)
        else:
            text = _esc(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{text}"')
    opening = " ".join(parts)
    return f"<{opening}>{content}</{tag}>" if content else f"<{opening}/>"


def _tooltip(text: str) -> str:
    return _el("title", _esc(text))


def _label_text(text: str, x: float, y: float, chars: int, **attrs: object) -> str:
    """A text truncated to ``chars`` characters, with the full text as tooltip when cut."""
    shown = _truncate(text, chars)
    tip = _tooltip(text) if shown != text else ""
    return _el("text", tip + _esc(shown), x=x, y=y, **attrs)


class _Canvas:
    """What every chart kind shares: ids, names, numbers, patterns, legend and the frame."""

    def __init__(self, chart: Chart, labels: dict[str, str], number_format: NumberFormat):
        self.chart = chart
        self.id = f"chart-{uuid.uuid4().hex[:10]}"
        self.labels = labels
        self.format = number_format
        self.defs: list[str] = []
        self.patterns: set[int] = set()

    def name(self, key: str) -> str:
        return _text(self.labels.get(key, key))

    def number(self, value: float) -> str:
        return _text(self.format(value))

    def fill(self, index: int) -> str:
        """A colour plus a pattern for series (or slice) ``index``, defined once per chart."""
        pattern_id = f"{self.id}-p{index}"
        if index not in self.patterns:
            self.patterns.add(index)
            slot = index % len(PALETTE)
            content = _el("rect", width=8, height=8, fill=PALETTE[slot]) + PATTERN_MARKS[slot]
            self.defs.append(
                _el(
                    "pattern",
                    content,
                    id=pattern_id,
                    class_=f"chart-pattern chart-s{slot}",
                    width=8,
                    height=8,
                    patternUnits="userSpaceOnUse",
                )
            )
        return f"url(#{pattern_id})"

    def title_block(self) -> tuple[str, float]:
        """The visible title, if any, and the height it takes."""
        title = _text(self.chart.title)  # may be a lazy translation
        if not title:
            return "", 8.0
        chars = int((WIDTH - 16) / (14 * CHAR_WIDTH))
        text = _label_text(title, 8, 20, chars, font_size=14, font_weight=600, class_="chart-title")
        return text, 32.0

    def legend(self, items: list[tuple[str, str]], top: float) -> tuple[str, float]:
        """Swatches and names in rows that wrap; returns the SVG and its height."""
        x, y, parts = 8.0, top, []
        for swatch, name in items:
            shown = _truncate(name, MAX_LEGEND_CHARS)
            width = 22 + _width(shown) + 16
            if x + width > WIDTH - 8 and x > 8:
                x, y = 8.0, y + 20
            parts.append(f'<g transform="translate({_num(x)},{_num(y)})">{swatch}')
            parts.append(_label_text(name, 20, 11, MAX_LEGEND_CHARS, fill=INK) + "</g>")
            x += width
        return _el("g", "".join(parts), class_="chart-legend"), y + 22 - top

    def swatch(self, index: int) -> str:
        return _el("rect", width=14, height=14, fill=self.fill(index), stroke=INK, stroke_width=0.6)

    def document(self, height: float, body: str, desc: str, width: float = WIDTH) -> Markup:
        title = _text(self.chart.title) or ", ".join(self.name(k) for k in self.chart.series)
        kind = self.chart.kind.replace("_", "-")
        return Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" '
            f'class="chart chart-kind-{kind}" width="100%" '
            f'viewBox="0 0 {_num(width)} {_num(height)}" '
            f'role="img" aria-labelledby="{self.id}-title {self.id}-desc" '
            f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="{INK}">'
            + _el("title", _esc(title), id=f"{self.id}-title")
            + _el("desc", _esc(desc), id=f"{self.id}-desc")
            + (_el("defs", "".join(self.defs)) if self.defs else "")
            + body
            + "</svg>"
        )

    def no_data(self) -> Markup:
        title, top = self.title_block()
        message = gettext("No data")
        body = title + _el(
            "text",
            _esc(message),
            x=WIDTH / 2,
            y=top + 30,
            text_anchor="middle",
            fill=MUTED,
            class_="chart-empty",
        )
        return self.document(top + 50, body, message)

    def summary(self, categories: list[str], values: dict[str, list[float | None]]) -> str:
        """The numbers in words for screen readers: per series, each category and its value."""
        parts = []
        for key, series in values.items():
            items = [
                f"{name}: {self.number(value)}"
                for name, value in zip(categories, series, strict=True)
                if value is not None
            ]
            more = ", …" if len(items) > MAX_DESC_ITEMS else ""
            parts.append(f"{self.name(key)} — {', '.join(items[:MAX_DESC_ITEMS])}{more}")
        return "; ".join(parts)


@dataclass(frozen=True)
class _Frame:
    """The plot area of bar and line charts and the value scale."""

    left: float
    top: float
    width: float
    height: float
    ticks: list[float]

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.top + (high - value) / (high - low) * self.height

    @property
    def bottom(self) -> float:
        return self.top + self.height


def _axes_layout(
    canvas: _Canvas, categories: list[str], low: float, high: float, rotate: bool, legend: bool
) -> tuple[str, _Frame, str, float]:
    """Title, legend, y axis with grid and x labels; returns (under, frame, x labels, height).

    ``rotate``: crowded labels turn by 45° (bars, where each label names a bar); otherwise
    they stay level and only every n-th is shown (lines over time).
    """
    chart = canvas.chart
    title, top = canvas.title_block()
    parts = [title]
    if legend:
        items = [(_series_swatch(canvas, i), canvas.name(k)) for i, k in enumerate(chart.series)]
        legend_svg, legend_height = canvas.legend(items, top)
        parts.append(legend_svg)
        top += legend_height
    else:
        axis_title = _truncate(canvas.name(chart.series[0]), 60)
        parts.append(_el("text", _esc(axis_title), x=8, y=top + 12, class_="chart-axis-title"))
        top += 18
    top += 14  # room for the value label above the highest bar
    ticks = nice_ticks(low, high)
    tick_texts = [canvas.number(t) for t in ticks]
    left = max(28.0, max(_width(t, SMALL) for t in tick_texts) + 12)

    right = 12.0
    band = (WIDTH - left - right) / len(categories)
    shown_chars = max(len(c) for c in categories)
    crowded = max(_width(c) for c in categories) + 8 > band
    if crowded:
        shown_chars = MAX_LABEL_CHARS
    widest = max(_width(_truncate(c, shown_chars)) for c in categories)
    rotated = crowded and rotate
    # the first and last labels must not stick out of the picture
    if rotated:
        left = max(left, widest * 0.71 - band / 2 + 8)
    else:
        left = max(left, widest / 2 - band / 2 + 4)
        right = max(right, widest / 2 - band / 2 + 4)
    plot_width = WIDTH - left - right
    band = plot_width / len(categories)
    # rotated labels need a line height between them, level ones their width and a gap
    step = math.ceil((18 if rotated else widest + 8) / band)
    frame = _Frame(left, top, plot_width, PLOT_HEIGHT, ticks)

    grid = []
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = frame.y(tick)
        grid.append(_el("line", x1=left, x2=left + plot_width, y1=y, y2=y, stroke=GRID))
        grid.append(
            _el("text", _esc(text), x=left - 6, y=y + 4, text_anchor="end", font_size=SMALL)
        )
    parts.append(_el("g", "".join(grid), class_="chart-grid"))

    below = frame.bottom + (14 if ticks[0] < 0 else 0)  # negative bars carry labels below
    xlabels = []
    for i, category in enumerate(categories):
        if i % step:
            continue
        cx = left + band * (i + 0.5)
        if rotated:
            text = _label_text(
                category,
                0,
                0,
                shown_chars,
                text_anchor="end",
                transform=f"translate({_num(cx + 4)},{_num(below + 12)}) rotate(-45)",
            )
        else:
            text = _label_text(category, cx, below + 16, shown_chars, text_anchor="middle")
        xlabels.append(text)
    label_height = widest * 0.71 + 14 if rotated else 22
    height = below + label_height + 8
    return "".join(parts), frame, _el("g", "".join(xlabels), class_="chart-x-labels"), height


def _axis_lines(frame: _Frame) -> str:
    zero = frame.y(0)
    return _el(
        "g",
        _el("line", x1=frame.left, x2=frame.left, y1=frame.top, y2=frame.bottom)
        + _el("line", x1=frame.left, x2=frame.left + frame.width, y1=zero, y2=zero),
        class_="chart-axis",
        stroke=INK,
        stroke_width=1.2,
    )


def _value_label(canvas: _Canvas, value: float, x: float, y: float, room: float) -> str:
    """A number centred at ``x`` when it fits in ``room`` pixels; a white halo keeps it
    readable over patterns."""
    text = canvas.number(value)
    if _width(text, SMALL) > room:
        return ""
    return _el(
        "text",
        _esc(text),
        x=x,
        y=y,
        text_anchor="middle",
        font_size=SMALL,
        class_="chart-value",
        stroke="#fff",
        stroke_width=3,
        paint_order="stroke",
        stroke_linejoin="round",
    )


def _bars(
    canvas: _Canvas,
    categories: list[str],
    values: dict[str, list[float | None]],
    stacked: bool,
) -> Markup:
    series = canvas.chart.series
    zeroed = {key: [v or 0.0 for v in values[key]] for key in series}
    if stacked:
        ups = [sum(max(zeroed[k][i], 0) for k in series) for i in range(len(categories))]
        downs = [sum(min(zeroed[k][i], 0) for k in series) for i in range(len(categories))]
        low, high = min(downs), max(ups)
    else:
        low = min(min(zeroed[k]) for k in series)
        high = max(max(zeroed[k]) for k in series)
    under, frame, xlabels, height = _axes_layout(
        canvas, categories, low, high, rotate=True, legend=len(series) > 1
    )
    band = frame.width / len(categories)
    slots = 1 if stacked else len(series)
    bar_width = min(band * (0.8 if band >= 6 else 1) / slots, MAX_BAR_WIDTH)  # narrow: no gap
    zero = frame.y(0)
    shapes, texts = [], []
    for i, category in enumerate(categories):
        start = frame.left + band * (i + 0.5) - bar_width * slots / 2
        up, down = 0.0, 0.0
        for s, key in enumerate(series):
            value = zeroed[key][i]
            if stacked:
                base = up if value >= 0 else down
                x, y0, y1 = start, frame.y(base), frame.y(base + value)
                up, down = (up + value, down) if value >= 0 else (up, down + value)
            else:
                x, y0, y1 = start + s * bar_width, zero, frame.y(value)
            tip = _tooltip(f"{category} · {canvas.name(key)}: {canvas.number(value)}")
            shapes.append(
                _el(
                    "rect",
                    tip,
                    x=x,
                    y=min(y0, y1),
                    width=bar_width,
                    height=abs(y1 - y0),
                    fill=canvas.fill(s),
                    stroke=INK,
                    stroke_width=0.6,
                    class_=f"chart-bar chart-s{s % len(PALETTE)}",
                    data_series=key,
                    data_value=_num(value),
                )
            )
            if stacked:
                # a segment's own number, when it fits and is not the whole column's total
                nonzero = sum(1 for k in series if zeroed[k][i])
                if abs(y1 - y0) >= SMALL + 3 and nonzero > 1:
                    middle = (y0 + y1) / 2 + SMALL / 3
                    texts.append(_value_label(canvas, value, x + bar_width / 2, middle, bar_width))
            elif value != 0 or len(categories) <= 12:
                y = y1 - 4 if value >= 0 else y1 + SMALL + 2
                texts.append(_value_label(canvas, value, x + bar_width / 2, y, bar_width + 2))
        if stacked:
            total = sum(zeroed[key][i] for key in series)
            y = frame.y(up) - 4
            texts.append(_value_label(canvas, total, start + bar_width / 2, y, band))
    body = (
        under
        + _el("g", "".join(shapes), class_="chart-bars")
        + _axis_lines(frame)
        + _el("g", "".join(texts), class_="chart-values")
        + xlabels
    )
    return canvas.document(height, body, canvas.summary(categories, values))


def _series_swatch(canvas: _Canvas, index: int) -> str:
    if canvas.chart.kind != "line":
        return canvas.swatch(index)
    colour = PALETTE[index % len(PALETTE)]
    line = _el(
        "line",
        x1=0,
        x2=16,
        y1=7,
        y2=7,
        stroke=colour,
        stroke_width=2,
        stroke_dasharray=DASHES[index % len(DASHES)],
    )
    return line + _marker(index, 8, 7)


def _marker(index: int, x: float, y: float, content: str = "") -> str:
    """A point whose shape depends on the series, so lines differ without colour."""
    shape = MARKERS[index % len(MARKERS)]
    style = {
        "fill": PALETTE[index % len(PALETTE)],
        "stroke": INK,
        "stroke_width": 0.8,
        "class_": f"chart-point chart-s{index % len(PALETTE)}",
    }
    if shape == "circle":
        return _el("circle", content, cx=x, cy=y, r=3.5, **style)
    if shape == "square":
        return _el("rect", content, x=x - 3.2, y=y - 3.2, width=6.4, height=6.4, **style)
    corners = (
        [(x, y - 4.5), (x + 4, y + 3), (x - 4, y + 3)]
        if shape == "triangle"
        else [(x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y)]
    )
    points = " ".join(f"{_num(px)},{_num(py)}" for px, py in corners)
    return _el("polygon", content, points=points, **style)


def _line(canvas: _Canvas, categories: list[str], values: dict[str, list[float | None]]) -> Markup:
    series = canvas.chart.series
    present = [v for key in series for v in values[key] if v is not None]
    under, frame, xlabels, height = _axes_layout(
        canvas, categories, min(present), max(present), rotate=False, legend=len(series) > 1
    )
    band = frame.width / len(categories)
    lines, markers, texts = [], [], []  # points drawn over every line
    for s, key in enumerate(series):
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(values[key]):
            if value is None:  # a gap: the line stops and starts again after it
                runs.append([])
                continue
            point = (frame.left + band * (i + 0.5), frame.y(value))
            runs[-1].append(point)
            tip = _tooltip(f"{categories[i]} · {canvas.name(key)}: {canvas.number(value)}")
            markers.append(_marker(s, *point, content=tip))
            if len(series) == 1:
                texts.append(_value_label(canvas, value, point[0], point[1] - 8, band - 2))
        for run in runs:
            if len(run) > 1:
                lines.append(
                    _el(
                        "polyline",
                        points=" ".join(f"{_num(x)},{_num(y)}" for x, y in run),
                        fill="none",
                        stroke=PALETTE[s % len(PALETTE)],
                        stroke_width=2,
                        stroke_dasharray=DASHES[s % len(DASHES)],
                        stroke_linejoin="round",
                        class_=f"chart-line chart-s{s % len(PALETTE)}",
                        data_series=key,
                    )
                )
    body = (
        under
        + _axis_lines(frame)
        + _el("g", "".join(lines) + "".join(markers), class_="chart-lines")
        + _el("g", "".join(texts), class_="chart-values")
        + xlabels
    )
    return canvas.document(height, body, canvas.summary(categories, values))


def _slices(categories: list[str], raw: list[float | None]) -> list[tuple[str, float | None]]:
    """Rows as (name, value); past ``MAX_SLICES`` the rest are merged into "Other"."""
    pairs = list(zip(categories, raw, strict=True))
    if len(pairs) <= MAX_SLICES:
        return pairs
    rest = sum(max(v or 0.0, 0.0) for _, v in pairs[MAX_SLICES - 1 :])
    return [*pairs[: MAX_SLICES - 1], (gettext("Other"), rest)]


def _arc(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """A ring segment between two angles (radians, clockwise from 12 o'clock)."""

    def at(angle: float, radius: float) -> str:
        return f"{_num(cx + radius * math.sin(angle))},{_num(cy - radius * math.cos(angle))}"

    if end - start >= 2 * math.pi - 1e-9:  # a whole ring: two half circles each way
        half = start + math.pi
        return (
            f"M{at(start, outer)} A{outer},{outer} 0 1 1 {at(half, outer)} "
            f"A{outer},{outer} 0 1 1 {at(start, outer)} Z "
            f"M{at(start, inner)} A{inner},{inner} 0 1 0 {at(half, inner)} "
            f"A{inner},{inner} 0 1 0 {at(start, inner)} Z"
        )
    large = 1 if end - start > math.pi else 0
    return (
        f"M{at(start, outer)} A{outer},{outer} 0 {large} 1 {at(end, outer)} "
        f"L{at(end, inner)} A{inner},{inner} 0 {large} 0 {at(start, inner)} Z"
    )


def _donut(canvas: _Canvas, categories: list[str], raw: list[float | None]) -> Markup:
    slices = _slices(categories, raw)
    shares = [max(value or 0.0, 0.0) for _, value in slices]
    total = sum(shares)
    title, top = canvas.title_block()
    outer, inner = 100.0, 62.0
    cx, cy = 12 + outer, top + 8 + outer
    shapes, legend, desc = [], [], []  # legend: (name, "value · percent") per slice
    angle = 0.0
    for i, ((name, value), share) in enumerate(zip(slices, shares, strict=True)):
        number = canvas.number(value or 0.0)
        percent = f"{canvas.number(round(100 * share / total, 1))}\u00a0%" if total else ""
        if share > 0:
            end = angle + 2 * math.pi * share / total
            shapes.append(
                _el(
                    "path",
                    _tooltip(f"{name}: {number} ({percent})"),
                    d=_arc(cx, cy, outer, inner, angle, end),
                    fill=canvas.fill(i),
                    fill_rule="evenodd",
                    stroke="#fff",
                    stroke_width=1,
                    class_=f"chart-slice chart-s{i % len(PALETTE)}",
                    data_value=_num(share),
                )
            )
            angle = end
        figures = f"{number} · {percent}" if percent else number
        legend.append((name, figures))
        desc.append(f"{name}: {figures}")
    if total:
        middle = _esc(canvas.number(total))
        caption = _esc(gettext("Total"))
        centre = _el(
            "text",
            _el("tspan", middle, x=cx, dy=0, font_size=22, font_weight=700)
            + _el("tspan", caption, x=cx, dy=18, font_size=SMALL, fill=MUTED),
            x=cx,
            y=cy,
            text_anchor="middle",
            class_="chart-total",
        )
    else:
        shapes.append(
            _el(
                "circle",
                cx=cx,
                cy=cy,
                r=(outer + inner) / 2,
                fill="none",
                stroke=GRID,
                stroke_width=outer - inner,
                class_="chart-donut-empty",
            )
        )
        centre = _el(
            "text",
            _esc(gettext("No data")),
            x=cx,
            y=cy + 4,
            text_anchor="middle",
            fill=MUTED,
            class_="chart-empty",
        )
    legend_svg, legend_width = _donut_legend(canvas, legend, 2 * outer + 40, top + 8)
    body = title + _el("g", "".join(shapes), class_="chart-slices") + centre + legend_svg
    height = max(2 * outer + 16, len(slices) * 22) + top + 8
    summary = f"{canvas.name(canvas.chart.series[0])} — {', '.join(desc)}"
    if total:
        summary += f"; {gettext('Total')}: {canvas.number(total)}"
    # as wide as its content, so a page scaling it to its width does not scale empty space
    title_width = _width(_text(canvas.chart.title), 14) + 16
    width = min(WIDTH, max(legend_width + 12, title_width))
    return canvas.document(height, body, summary, width)


def _donut_legend(
    canvas: _Canvas, entries: list[tuple[str, str]], x: float, y: float
) -> tuple[str, float]:
    """One line per slice: swatch, name, and its figures right-aligned in a column that
    starts after the longest (possibly truncated) name; returns the SVG and its right edge."""
    figures_width = max(_width(figures) for _, figures in entries)
    room = WIDTH - 12 - x - 22 - 16 - figures_width
    chars = max(4, int(room / (FONT * CHAR_WIDTH)))
    names_width = max(_width(_truncate(name, chars)) for name, _ in entries)
    figures_end = 22 + names_width + 16 + figures_width
    lines = [
        f'<g transform="translate({_num(x)},{_num(y + i * 22)})">'
        + canvas.swatch(i)
        + _label_text(name, 22, 11, chars)
        + _el("text", _esc(figures), x=figures_end, y=11, text_anchor="end")
        + "</g>"
        for i, (name, figures) in enumerate(entries)
    ]
    return _el("g", "".join(lines), class_="chart-legend"), x + figures_end
