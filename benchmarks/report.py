"""Figures: what was measured, the printed table, the targets of issue 8, and the JSON file."""

from __future__ import annotations

import json
import math
import os
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from .stats import median, p95

#: HTTP figures whose cost must grow at most logarithmically with the number of tickets.
SCALING_FIGURES = (
    "http: ticket page",
    "http: tickets list",
    "http: tickets list, filtered by status",
    "http: customer lookup by phone",
    "service: customer lookup by phone",
)
#: Pages whose p95 must stay under 150 ms (issues 3 and 8). Text search is not held to
#: logarithmic growth: a common word matches a share of all tickets, which grows with them.
PAGE_FIGURES = (*SCALING_FIGURES[:3], "http: tickets list, text search")
#: The hand-written-SQL ticket creation served beside the desk on SQLite (ceiling_app.py).
CEILING = "ticket create (hand-written SQL ceiling)"
#: CPU time the server's workers spent per answered request (steadier than rates on a
#: shared machine, and not a latency: no target or plugin cost is read from it).
CPU_UNIT = "ms CPU/request"


@dataclass
class Figure:
    """One measured figure at one data-set size, database and plugin set."""

    name: str
    unit: str
    median: float
    p95: float | None
    tickets: int
    database: str
    plugins: str = "-"
    samples: int = 0

    @classmethod
    def of(cls, name: str, unit: str, values: list[float], **where) -> Figure:
        return cls(name, unit, median(values), p95(values), samples=len(values), **where)

    @property
    def key(self) -> tuple:
        return (self.name, self.tickets, self.database, self.plugins)


def derived(figures: list[Figure]) -> list[Figure]:
    """Ratios computed from measured figures: create vs bare, plugin cost, scaling."""
    by_key = {f.key: f for f in figures}
    out: list[Figure] = []
    for f in figures:
        if f.name == "http: ticket create (API) rate" and f.plugins == "none":
            bare = by_key.get(("http: bare Flask route rate", f.tickets, f.database, "-"))
            ceiling = by_key.get((f"http: {CEILING} rate", f.tickets, f.database, "-"))
            for label, top, floor, plugins in (
                ("API create / bare route rate", f, bare, "none"),
                ("hand-written SQL ceiling / bare route rate", ceiling, bare, "-"),
                ("API create / hand-written SQL ceiling rate", f, ceiling, "none"),
            ):
                if top and floor and floor.median:
                    out.append(
                        Figure(f"ratio: {label}", "ratio", top.median / floor.median, None,
                               f.tickets, f.database, plugins)
                    )  # fmt: skip
        if f.name.startswith("http: ") and f.unit == "ms" and f.plugins == "all":
            none = by_key.get((f.name, f.tickets, f.database, "none"))
            if none and none.median and none.p95:
                out.append(
                    Figure(f"plugin cost: {f.name.removeprefix('http: ')}", "ratio",
                           f.median / none.median, f.p95 / none.p95, f.tickets, f.database,
                           "all / none")
                )  # fmt: skip
    for database in sorted({f.database for f in figures}):
        sizes = sorted({f.tickets for f in figures if f.database == database})
        if len(sizes) < 2:
            continue
        small, large = sizes[0], sizes[-1]
        for name in SCALING_FIGURES:
            for plugins in ("none", "all", "-"):
                a = by_key.get((name, small, database, plugins))
                b = by_key.get((name, large, database, plugins))
                if a and b and a.median and a.p95:
                    out.append(
                        Figure(f"scaling: {name} ({large:,} / {small:,})", "ratio",
                               b.median / a.median, b.p95 / a.p95, large, database, plugins)
                    )  # fmt: skip
    return out


#: How a target names the plugin set a figure was measured with.
_PLUGIN_SETS = {"none": "no plugin", "all": "all plugins"}


@dataclass
class Target:
    label: str
    ok: bool | None
    detail: str


def _find(figures, name, database, tickets, plugins=None) -> Figure | None:
    for f in figures:
        if (f.name, f.database, f.tickets) == (name, database, tickets) and (
            plugins is None or f.plugins == plugins
        ):
            return f
    return None


def targets(figures: list[Figure]) -> list[Target]:
    """Issue 8's targets (and issue 3's) checked on the largest SQLite desk measured."""
    sqlite_sizes = [f.tickets for f in figures if f.database == "sqlite"]
    if not sqlite_sizes:
        return []
    size = max(sqlite_sizes)
    found: list[Target] = []

    def limit(name: str, bound: float, unit: str = "ms", plugins: str = "all") -> None:
        f = _find(figures, name, "sqlite", size, plugins)
        if f is None:
            found.append(Target(f"{name} p95 < {bound:g} {unit}", None, "not measured"))
            return
        found.append(
            Target(f"{name} [{plugins} plugins] p95 < {bound:g} {unit}", f.p95 < bound,
                   f"p95 {f.p95:.1f} {unit}")
        )  # fmt: skip

    for name in PAGE_FIGURES:
        limit(name, 150)
    limit("http: customer lookup by phone", 50)
    limit("http: customer lookup by phone", 150)  # issue 3
    for f in figures:
        if f.name.startswith("report: ") and f.tickets == size and f.database == "sqlite":
            found.append(Target(f"{f.name} p95 < 1000 ms", f.p95 < 1000, f"p95 {f.p95:.0f} ms"))
    ratio = _find(figures, "ratio: API create / bare route rate", "sqlite", size)
    if ratio:
        detail = f"{ratio.median:.1%}"
        ceiling = _find(
            figures, "ratio: hand-written SQL ceiling / bare route rate", "sqlite", size
        )
        if ceiling:
            detail += f" (the hand-written SQL ceiling: {ceiling.median:.1%})"
        found.append(Target("API create ≥ 40 % of bare route rate", ratio.median >= 0.40, detail))
    costs = [f for f in figures if f.name.startswith("plugin cost: ") and f.database == "sqlite"]
    costs = [f for f in costs if f.tickets == size]
    if costs:
        worst = max(costs, key=lambda f: max(f.median, f.p95 or 0))
        found.append(
            Target("every plugin enabled costs ≤ 15 % on any HTTP figure",
                   all(max(f.median, f.p95 or 0) <= 1.15 for f in costs),
                   f"worst: {worst.name.removeprefix('plugin cost: ')} "
                   f"x{worst.median:.2f} median, x{worst.p95:.2f} p95")
        )  # fmt: skip
    for f in figures:
        if f.name.startswith("scaling: ") and f.database == "sqlite" and f.tickets == size:
            small = min(sqlite_sizes)
            allowed = math.log(size) / math.log(small)
            where = "" if f.plugins == "-" else f" [{_PLUGIN_SETS[f.plugins]}]"
            found.append(
                Target(f"{f.name}{where} ≤ x{allowed:.2f} (log growth)", f.median <= allowed,
                       f"x{f.median:.2f} median, x{f.p95:.2f} p95")
            )  # fmt: skip
    return found


def _number(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit in ("ms", CPU_UNIT) and value < 10:
        return f"{value:.2f}"
    return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def table(figures: list[Figure]) -> str:
    """The figures as a Markdown table, grouped by database and size."""
    lines = [
        "| database | tickets | plugins | figure | unit | median | p95 | samples |",
        "| --- | ---: | --- | --- | --- | ---: | ---: | ---: |",
    ]
    for f in figures:
        lines.append(
            f"| {f.database} | {f.tickets:,} | {f.plugins} | {f.name} | {f.unit} | "
            f"{_number(f.median, f.unit)} | {_number(f.p95, f.unit)} | {f.samples or ''} |"
        )
    return "\n".join(lines)


def target_lines(found: list[Target]) -> str:
    marks = {True: "met   ", False: "MISSED", None: "n/a   "}
    return "\n".join(f"{marks[t.ok]}  {t.label}: {t.detail}" for t in found)


def machine() -> dict:
    """What the figures were measured on; the load average tells how busy it was."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def write_json(path: Path, figures: list[Figure], found: list[Target], settings: dict) -> None:
    data = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": settings,
        "figures": [{k: _finite(v) for k, v in asdict(f).items()} for f in figures],
        "targets": [asdict(t) for t in found],
    }
    path.write_text(json.dumps(data, indent=2, default=_plain) + "\n")


def _finite(value):
    """NaN (nothing measured) is not JSON: write null."""
    return None if isinstance(value, float) and math.isnan(value) else value


def _plain(value):
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)
