"""Server-side SVG charts: geometry, scales, escaping, ids, and the awkward data cases."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import Babel, force_locale, format_decimal, lazy_gettext
from markupsafe import Markup

from deskcore.i18n import CORE_TRANSLATIONS
from deskcore.reports.charts import Chart, default_number_format, nice_ticks, render_svg

NS = "{http://www.w3.org/2000/svg}"
PIXEL = 0.02  # coordinates are written with two decimals
HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    return ET.fromstring(str(svg))


def find(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter() if css_class in e.get("class", "").split()]


def texts(elements: list[ET.Element]) -> list[str]:
    """The visible text of each element (a tooltip ``<title>`` inside it does not count)."""
    return ["".join(e.itertext()).removeprefix(e.findtext(f"{NS}title") or "") for e in elements]


def bars(root: ET.Element) -> list[dict]:
    return [
        {
            "series": e.get("data-series"),
            "x": float(e.get("x")),
            "y": float(e.get("y")),
            "width": float(e.get("width")),
            "height": float(e.get("height")),
        }
        for e in find(root, "chart-bar")
    ]


def zero_line(root: ET.Element) -> float:
    """The y of the horizontal axis line (the zero of the value scale)."""
    horizontal = [e for e in find(root, "chart-axis")[0] if e.get("y1") == e.get("y2")]
    return float(horizontal[0].get("y1"))


def tick_values(root: ET.Element) -> list[float]:
    return [float(t) for t in texts(find(root, "chart-grid")[0].findall(f"{NS}text"))]


# --- declaring a chart -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "pie", "x": "a", "series": ("b",)}, "unknown chart kind 'pie'"),
        ({"kind": "bar", "x": "a", "series": ()}, "at least one series"),
        ({"kind": "bar", "x": "a", "series": "count"}, "not the string 'count'"),
        ({"kind": "bar", "x": "", "series": ("b",)}, "needs x"),
    ],
)
def test_a_wrong_declaration_raises_a_clear_error(arguments, message):
    with pytest.raises(ValueError, match=message):
        Chart(**arguments)


def test_series_given_as_a_list_becomes_a_tuple():
    assert Chart("bar", "a", ["b", "c"]).series == ("b", "c")


def test_a_value_that_is_not_a_number_is_named_in_the_error():
    with pytest.raises(ValueError, match="'many' of 'count' is not a number"):
        render_svg(Chart("bar", "name", ("count",)), [{"name": "a", "count": "many"}])


# --- scales ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 8, [0, 2, 4, 6, 8]),
        (0, 12, [0, 5, 10, 15]),
        (0, 97, [0, 20, 40, 60, 80, 100]),
        (0, 0.33, [0, 0.1, 0.2, 0.3, 0.4]),
        (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0, 0, [0, 1]),
        (-7, 12, [-10, -5, 0, 5, 10, 15]),
        (-3, -1, [-3, -2, -1, 0]),
        (3, 8, [0, 2, 4, 6, 8]),
    ],
)
def test_ticks_are_nice_and_run_from_zero_to_just_above_the_maximum(low, high, expected):
    assert nice_ticks(low, high) == expected


@pytest.mark.parametrize("high", [0.07, 0.3, 1.5, 3, 7, 19, 101, 999, 1234.5, 50_000, 7e9])
def test_tick_steps_are_one_two_or_five_times_a_power_of_ten(high):
    ticks = nice_ticks(0, high)
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in {1, 2, 5}
    assert ticks[0] == 0 and ticks[-1] >= high > ticks[-2]
    assert 3 <= len(ticks) <= 7
    assert all(math.isclose(b - a, step) for a, b in itertools.pairwise(ticks))


def test_numbers_are_integers_without_decimals_and_others_with_up_to_two():
    assert [default_number_format(v) for v in (3, 3.0, 0.333, 2.5, -0.001, 1250)] == [
        "3",
        "3",
        "0.33",
        "2.5",
        "0",
        "1250",
    ]


# --- bars --------------------------------------------------------------------------------


def test_bar_heights_are_proportional_to_the_values_and_stand_on_zero():
    rows = [{"agent": "Ana", "n": 1}, {"agent": "Bo", "n": 2}, {"agent": "Cy", "n": 4}]
    root = parse(render_svg(Chart("bar", "agent", ("n",)), rows))
    drawn = bars(root)
    assert [b["height"] / drawn[0]["height"] for b in drawn] == pytest.approx([1, 2, 4], rel=1e-3)
    assert all(b["y"] + b["height"] == pytest.approx(zero_line(root), abs=PIXEL) for b in drawn)
    assert tick_values(root) == [0, 1, 2, 3, 4]
    assert texts(find(root, "chart-value")) == ["1", "2", "4"]


def test_the_axis_scale_matches_the_tick_positions():
    rows = [{"agent": "Ana", "n": 6}]
    root = parse(render_svg(Chart("bar", "agent", ("n",)), rows))
    lines = find(root, "chart-grid")[0].findall(f"{NS}line")
    y_of = {v: float(line.get("y1")) for v, line in zip(tick_values(root), lines, strict=True)}
    bar = bars(root)[0]
    assert bar["y"] == pytest.approx(y_of[6], abs=PIXEL)
    assert bar["y"] + bar["height"] == pytest.approx(y_of[0], abs=PIXEL)


def test_several_series_are_grouped_side_by_side_with_a_legend():
    rows = [{"q": "Mon", "open": 3, "closed": 6}, {"q": "Tue", "open": 2, "closed": 1}]
    root = parse(render_svg(Chart("bar", "q", ("open", "closed")), rows, {"open": "Open"}))
    mon_open, mon_closed, _, tue_closed = bars(root)
    assert mon_open["x"] + mon_open["width"] == pytest.approx(mon_closed["x"], abs=PIXEL)
    assert mon_closed["height"] == pytest.approx(2 * mon_open["height"], abs=PIXEL)
    assert tue_closed["height"] == pytest.approx(mon_open["height"] / 3, abs=PIXEL)
    assert texts(find(root, "chart-legend")[0].findall(f".//{NS}text")) == ["Open", "closed"]


def test_one_series_has_no_legend_but_names_its_axis():
    root = parse(render_svg(Chart("bar", "q", ("n",)), [{"q": "a", "n": 1}], {"n": "Tickets"}))
    assert find(root, "chart-legend") == []
    assert texts(find(root, "chart-axis-title")) == ["Tickets"]


def test_series_differ_by_pattern_not_only_by_colour():
    rows = [{"q": "a", "one": 1, "two": 2, "three": 3}]
    root = parse(render_svg(Chart("bar", "q", ("one", "two", "three")), rows))
    fills = [e.get("fill") for e in find(root, "chart-bar")]
    assert len(set(fills)) == 3
    patterns = {p.get("id"): p for p in root.iter(f"{NS}pattern")}
    marks = [
        tuple(ET.tostring(child) for child in patterns[re.sub(r"url\(#(.*)\)", r"\1", f)][1:])
        for f in fills
    ]
    assert len(set(marks)) == 3  # solid, hatched, dotted: distinct in black and white


def test_stacked_segments_sum_to_the_row_total():
    rows = [
        {"agent": "Ana", "open": 3, "waiting": 2, "closed": 5},
        {"agent": "Bo", "open": 1, "waiting": 0, "closed": 1.5},
    ]
    root = parse(render_svg(Chart("stacked_bar", "agent", ("open", "waiting", "closed")), rows))
    drawn = bars(root)
    zero = zero_line(root)
    scale = drawn[0]["height"] / 3
    for row, segments in zip(rows, (drawn[:3], drawn[3:]), strict=True):
        assert len({s["x"] for s in segments}) == 1  # one column
        assert [s["height"] / scale for s in segments] == pytest.approx(
            [row["open"], row["waiting"], row["closed"]], rel=1e-3, abs=1e-3
        )
        bottom = zero
        for segment in segments:  # each segment sits on the one before
            assert segment["y"] + segment["height"] == pytest.approx(bottom, abs=PIXEL)
            bottom = segment["y"]
        assert (zero - bottom) / scale == pytest.approx(
            sum(v for k, v in row.items() if k != "agent")
        )
    assert "10" in texts(find(root, "chart-value")) and "2.5" in texts(find(root, "chart-value"))


def test_a_stack_of_one_segment_shows_its_number_once():
    rows = [{"agent": "Ana", "covered": 0, "other": 12.5}]
    root = parse(render_svg(Chart("stacked_bar", "agent", ("covered", "other")), rows))
    assert texts(find(root, "chart-value")) == ["12.5"]


def test_negative_bars_go_below_zero():
    rows = [{"m": "Jan", "delta": 4}, {"m": "Feb", "delta": -2}]
    root = parse(render_svg(Chart("bar", "m", ("delta",)), rows))
    up, down = bars(root)
    zero = zero_line(root)
    assert up["y"] + up["height"] == pytest.approx(zero, abs=PIXEL)
    assert down["y"] == pytest.approx(zero, abs=PIXEL)
    assert down["height"] == pytest.approx(up["height"] / 2, abs=PIXEL)
    assert tick_values(root)[0] < 0 < tick_values(root)[-1]
    assert "-2" in texts(find(root, "chart-value"))


def test_negative_stacked_segments_stack_downwards_from_zero():
    rows = [{"m": "Jan", "gain": 3, "loss": -2, "more": 1}]
    root = parse(render_svg(Chart("stacked_bar", "m", ("gain", "loss", "more")), rows))
    gain, loss, more = bars(root)
    zero = zero_line(root)
    assert loss["y"] == pytest.approx(zero, abs=PIXEL)
    assert more["y"] + more["height"] == pytest.approx(gain["y"], abs=PIXEL)
    assert loss["height"] == pytest.approx(2 * more["height"], abs=PIXEL)


def test_all_zero_bars_draw_flat_on_an_axis_up_to_one():
    rows = [{"q": "a", "n": 0}, {"q": "b", "n": 0}]
    svg = render_svg(Chart("bar", "q", ("n",)), rows)
    root = parse(svg)
    assert [b["height"] for b in bars(root)] == [0, 0]
    assert tick_values(root) == [0, 1]
    assert "nan" not in str(svg).lower()


def test_none_counts_as_zero_in_bars():
    rows = [{"q": "a", "n": 2}, {"q": "b", "n": None}, {"q": "c", "n": float("nan")}]
    root = parse(render_svg(Chart("bar", "q", ("n",)), rows))
    assert [b["height"] for b in bars(root)][1:] == [0, 0]
    assert texts(find(root, "chart-value")) == ["2", "0", "0"]


def test_decimals_and_decimal_values_are_drawn_and_shown():
    rows = [{"q": "a", "n": Decimal("0.25")}, {"q": "b", "n": 0.333}]
    root = parse(render_svg(Chart("bar", "q", ("n",)), rows))
    first, second = bars(root)
    assert second["height"] / first["height"] == pytest.approx(0.333 / 0.25, rel=1e-3)
    assert texts(find(root, "chart-value")) == ["0.25", "0.33"]


def test_a_single_row_draws_one_bar_of_bounded_width():
    root = parse(render_svg(Chart("bar", "q", ("n",)), [{"q": "only", "n": 5}]))
    (bar,) = bars(root)
    assert 0 < bar["width"] <= 60
    assert texts(find(root, "chart-x-labels")[0]) == ["only"]


def test_many_long_categories_are_rotated_thinned_and_truncated_with_a_tooltip():
    rows = [{"c": f"Customer with a very long name number {i}", "n": i} for i in range(60)]
    root = parse(render_svg(Chart("bar", "c", ("n",)), rows))
    labels = find(root, "chart-x-labels")[0].findall(f"{NS}text")
    assert 1 < len(labels) < 60
    assert all("rotate(-45)" in label.get("transform") for label in labels)
    shown = texts(labels)
    assert all(len(text) <= 18 and text.endswith("…") for text in shown)
    assert labels[1].findtext(f"{NS}title") == rows[60 // len(labels)]["c"]
    tooltips = [e.findtext(f"{NS}title") for e in find(root, "chart-bar")]
    assert tooltips[59] == "Customer with a very long name number 59 · n: 59"  # every bar named


def test_hundreds_of_grouped_bars_never_overlap():
    rows = [{"day": str(i), "a": 1, "b": 2} for i in range(300)]
    drawn = sorted(
        bars(parse(render_svg(Chart("bar", "day", ("a", "b")), rows))), key=lambda b: b["x"]
    )
    assert len(drawn) == 600
    assert all(a["x"] + a["width"] <= b["x"] + PIXEL for a, b in itertools.pairwise(drawn))
    assert drawn[-1]["x"] + drawn[-1]["width"] <= 640


def test_short_labels_stay_level_and_whole():
    rows = [{"c": name, "n": 1} for name in ("Ana", "Bo", "Cy")]
    root = parse(render_svg(Chart("bar", "c", ("n",)), rows))
    labels = find(root, "chart-x-labels")[0].findall(f"{NS}text")
    assert texts(labels) == ["Ana", "Bo", "Cy"]
    assert all(label.get("transform") is None for label in labels)


def test_number_format_formats_every_number_shown():
    rows = [{"q": "a", "x": 1500, "y": 250.5}]
    root = parse(
        render_svg(
            Chart("stacked_bar", "q", ("x", "y")),
            rows,
            number_format=lambda v: f"#{v:,.1f}".replace(",", "."),
        )
    )
    numbers = texts(find(root, "chart-grid")[0].findall(f"{NS}text")) + texts(
        find(root, "chart-value")
    )
    assert numbers and all(text.startswith("#") for text in numbers)
    assert "#1.750.5" in numbers
    assert "#1.500.0" in root.findtext(f"{NS}desc")


# --- lines -------------------------------------------------------------------------------


def points_of(root: ET.Element) -> list[ET.Element]:
    """The plotted points (the legend draws markers too)."""
    return [e for e in find(root, "chart-lines")[0] if "chart-point" in e.get("class")]


def test_a_line_joins_one_point_per_row_in_order():
    rows = [{"month": f"2026-0{m}", "days": d} for m, d in enumerate((2, 4, 3, 8), 1)]
    root = parse(render_svg(Chart("line", "month", ("days",)), rows))
    (line,) = find(root, "chart-line")
    coords = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert len(coords) == 4 and len(points_of(root)) == 4
    xs, ys = zip(*coords, strict=True)
    assert list(xs) == sorted(xs)
    zero = zero_line(root)
    heights = [zero - y for y in ys]
    assert [h / heights[0] for h in heights] == pytest.approx([1, 2, 1.5, 4], rel=1e-3)
    assert texts(find(root, "chart-x-labels")[0]) == [r["month"] for r in rows]


def test_none_leaves_a_gap_in_a_line():
    rows = [{"d": f"2026-03-0{i}", "n": v} for i, v in enumerate((1, 2, None, 4, 5, None, 7), 1)]
    root = parse(render_svg(Chart("line", "d", ("n",)), rows))
    lines = find(root, "chart-line")
    assert [len(line.get("points").split()) for line in lines] == [2, 2]  # the lone 7: no line
    assert len(points_of(root)) == 5


def test_a_line_of_one_row_is_a_single_point():
    root = parse(render_svg(Chart("line", "d", ("n",)), [{"d": "2026-03", "n": 3}]))
    assert find(root, "chart-line") == [] and len(points_of(root)) == 1


def test_a_line_without_any_value_says_there_is_no_data():
    root = parse(render_svg(Chart("line", "d", ("n",)), [{"d": "2026-03", "n": None}]))
    assert texts(find(root, "chart-empty")) == ["No data"]


def test_negative_values_extend_the_line_axis_below_zero():
    rows = [{"d": "a", "n": -4}, {"d": "b", "n": 6}]
    root = parse(render_svg(Chart("line", "d", ("n",)), rows))
    assert tick_values(root)[0] <= -4 and tick_values(root)[-1] >= 6


def test_crowded_time_labels_are_thinned_but_stay_level():
    rows = [{"day": f"2026-03-{d:02d}", "n": d} for d in range(1, 32)]
    root = parse(render_svg(Chart("line", "day", ("n",)), rows))
    labels = find(root, "chart-x-labels")[0].findall(f"{NS}text")
    assert 2 < len(labels) < 31
    assert texts(labels)[0] == "2026-03-01"
    assert all(label.get("transform") is None for label in labels)
    half = 10 * 12 * 0.6 / 2  # "2026-03-31": ten characters of 12 px
    width = float(root.get("viewBox").split()[2])
    assert all(half <= float(label.get("x")) <= width - half for label in labels)
    shown = [float(label.get("x")) for label in labels]
    widest = 10 * 12 * 0.6
    assert min(b - a for a, b in itertools.pairwise(shown)) >= widest


def test_lines_differ_by_dash_and_marker_not_only_by_colour():
    rows = [{"m": "a", "p50": 1, "p90": 3}, {"m": "b", "p50": 2, "p90": 5}]
    root = parse(render_svg(Chart("line", "m", ("p50", "p90")), rows))
    lines = {e.get("data-series"): e for e in find(root, "chart-line")}
    assert lines["p50"].get("stroke-dasharray") != lines["p90"].get("stroke-dasharray")
    shapes = {e.tag for e in points_of(root)}
    assert shapes == {f"{NS}circle", f"{NS}rect"}
    assert len(find(root, "chart-legend")) == 1


# --- donut -------------------------------------------------------------------------------


def slice_angles(root: ET.Element) -> list[float]:
    """The sweep of each slice in degrees, read from its path and the centre of the donut."""
    centre = find(root, "chart-total")[0]
    cx, cy = float(centre.get("x")), float(centre.get("y"))
    sweeps = []
    for path in find(root, "chart-slice"):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
        start, end = (numbers[0], numbers[1]), (numbers[7], numbers[8])
        if path.get("d").count("A") == 4:  # a whole ring
            sweeps.append(360.0)
            continue
        a0, a1 = (math.degrees(math.atan2(x - cx, cy - y)) for x, y in (start, end))
        sweeps.append((a1 - a0) % 360)
    return sweeps


def test_donut_slices_are_proportional_with_percentages_and_total():
    rows = [{"s": "Open", "n": 1}, {"s": "Waiting", "n": 3}, {"s": "Closed", "n": 4}]
    root = parse(render_svg(Chart("donut", "s", ("n",)), rows))
    assert slice_angles(root) == pytest.approx([45, 135, 180], abs=0.2)
    legend = " ".join(texts(find(root, "chart-legend")[0].findall(f".//{NS}text")))
    assert "12.5\u00a0%" in legend and "37.5\u00a0%" in legend and "50\u00a0%" in legend
    assert texts(find(root, "chart-total")) == ["8Total"]
    assert root.findtext(f"{NS}desc").endswith("Closed: 4 · 50\u00a0%; Total: 8")
    width = float(root.get("viewBox").split()[2])
    for line in find(root, "chart-legend")[0]:  # the picture is as wide as its legend
        shift = float(re.match(r"translate\(([\d.]+),", line.get("transform")).group(1))
        assert shift + float(line.findall(f"{NS}text")[-1].get("x")) <= width < 640


def test_a_donut_of_one_slice_is_a_whole_ring():
    svg = render_svg(Chart("donut", "s", ("n",)), [{"s": "All", "n": 5}, {"s": "None", "n": 0}])
    root = parse(svg)
    assert slice_angles(root) == [360.0]
    assert "nan" not in str(svg).lower()
    assert len(find(root, "chart-legend")[0]) == 2  # the empty slice is still listed


def test_a_donut_with_a_zero_total_says_no_data_instead_of_nan():
    rows = [{"s": "a", "n": 0}, {"s": "b", "n": None}]
    svg = render_svg(Chart("donut", "s", ("n",)), rows)
    root = parse(svg)
    assert find(root, "chart-slice") == []
    assert texts(find(root, "chart-empty")) == ["No data"]
    assert "nan" not in str(svg).lower()


def test_a_donut_counts_negative_values_as_zero_but_lists_them():
    rows = [{"s": "a", "n": 3}, {"s": "b", "n": -2}, {"s": "c", "n": 1}]
    root = parse(render_svg(Chart("donut", "s", ("n",)), rows))
    assert slice_angles(root) == pytest.approx([270, 90], abs=0.2)
    assert "-2 · 0\u00a0%" in texts(find(root, "chart-legend")[0].findall(f".//{NS}text"))


def test_a_donut_merges_the_rows_past_eight_into_other():
    rows = [{"s": f"type {i}", "n": 1} for i in range(12)]
    root = parse(render_svg(Chart("donut", "s", ("n",)), rows))
    assert len(find(root, "chart-slice")) == 8
    assert slice_angles(root)[-1] == pytest.approx(150, abs=0.2)
    assert "Other" in texts(find(root, "chart-legend")[0].findall(f".//{NS}text"))


# --- the document ------------------------------------------------------------------------


def test_the_svg_scales_and_describes_itself_for_screen_readers():
    rows = [{"q": "Ana", "n": 3}, {"q": "Bo", "n": 5}]
    root = parse(render_svg(Chart("bar", "q", ("n",), title="Workload"), rows, {"n": "Tickets"}))
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+(\.\d+)?", root.get("viewBox"))
    assert "chart" in root.get("class").split()
    title_id, desc_id = root.get("aria-labelledby").split()
    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert ids[title_id].text == "Workload"
    assert ids[desc_id].text == "Tickets — Ana: 3, Bo: 5"


def test_hostile_text_is_escaped_and_the_svg_stays_well_formed():
    rows = [{"name": HOSTILE + "\x00\x1b", "n": 2}, {"name": "ok", "n": 1}]
    labels = {"n": HOSTILE}
    for kind in ("bar", "stacked_bar", "line", "donut"):
        svg = render_svg(Chart(kind, "name", ("n",), title=HOSTILE), rows, labels)
        assert "<script" not in str(svg)
        root = parse(svg)
        every_text = " ".join(root.itertext())
        assert HOSTILE in every_text, kind  # shown as text, not markup


def test_two_charts_on_one_page_do_not_share_ids():
    chart = Chart("bar", "q", ("a", "b"))
    rows = [{"q": "x", "a": 1, "b": 2}]
    first, second = (parse(render_svg(chart, rows)) for _ in range(2))
    ids = [{e.get("id") for e in root.iter() if e.get("id")} for root in (first, second)]
    assert ids[0] and not ids[0] & ids[1]
    for root, own in zip((first, second), ids, strict=True):
        refs = {m for e in root.iter() for m in re.findall(r"url\(#([^)]+)\)", e.get("fill", ""))}
        assert refs and refs <= own


def test_without_rows_the_chart_says_there_is_no_data():
    root = parse(render_svg(Chart("bar", "q", ("n",), title="Workload"), []))
    assert texts(find(root, "chart-empty")) == ["No data"]
    assert float(root.get("viewBox").split()[3]) < 120


@pytest.fixture
def babel_app():
    """A bare Flask app with core's catalogs: charts need no database."""
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(CORE_TRANSLATIONS)
    Babel(app)
    with app.app_context():
        yield app


def test_no_data_is_translated(babel_app):
    with force_locale("es"):
        root = parse(render_svg(Chart("donut", "q", ("n",)), [{"q": "a", "n": 0}]))
        empty = parse(render_svg(Chart("bar", "q", ("n",)), []))
        rows = [{"q": f"type {i}", "n": 1} for i in range(9)]
        merged = parse(render_svg(Chart("donut", "q", ("n",)), rows))
    assert texts(find(root, "chart-empty")) == ["Sin datos"]
    assert texts(find(empty, "chart-empty")) == ["Sin datos"]
    assert "Otros" in texts(find(merged, "chart-legend")[0].findall(f".//{NS}text"))


def test_lazy_titles_and_locale_numbers_follow_the_language(babel_app):
    rows = [{"s": "Abiertos", "n": 1234.5}, {"s": "Cerrados", "n": 3703.5}]
    chart = Chart("donut", "s", ("n",), title=lazy_gettext("Tickets"))
    with force_locale("es"):
        root = parse(render_svg(chart, rows, number_format=format_decimal))
    assert root.findtext(f"{NS}title") == "Casos"
    assert texts(find(root, "chart-title")) == ["Casos"]
    legend = texts(find(root, "chart-legend")[0].findall(f".//{NS}text"))
    assert "1.234,5 · 25\u00a0%" in legend and "3.703,5 · 75\u00a0%" in legend
    assert texts(find(root, "chart-total")) == ["4.938Total"]
