"""The benchmark harness runs end to end at a tiny size and reports every figure it promises.

Timings are not checked here (they live in benchmarks/); this checks that the entry point
builds a desk, serves it, measures it and writes each figure with its unit and size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deskcore.testing import TEST_DATABASE_ENV

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TICKETS = 500
HTTP_PAGES = (
    "ticket page",
    "tickets list",
    "tickets list, filtered by status",
    "customer lookup by phone",
    "ticket create (API)",
)
SERVICES = (
    "open ticket",
    "change status",
    "customer lookup by phone",
    "tickets list",
    "tickets list, filtered by status",
)


#: The hand-written-SQL ceiling route speaks sqlite3: measured on SQLite desks only.
SQLITE_ONLY = {
    ("http: ticket create (hand-written SQL ceiling)", "-"),
    ("http: ticket create (hand-written SQL ceiling) rate", "-"),
    ("http: ticket create (hand-written SQL ceiling) worker CPU", "-"),
    ("ratio: hand-written SQL ceiling / bare route rate", "-"),
    ("ratio: API create / hand-written SQL ceiling rate", "none"),
}


def expected_figures() -> set[tuple[str, str]]:
    """(figure, plugins) pairs every database must report."""
    names = {("http: bare Flask route", "-"), ("http: bare Flask route rate", "-")}
    names.add(("http: bare Flask route worker CPU", "-"))
    names.add(("ratio: API create / bare route rate", "none"))
    names.add(("kb: index build (20 articles)", "-"))
    names.add(("memory: worker peak RSS", "none, all"))
    for plugins in ("none", "all"):
        pages = HTTP_PAGES + (("knowledge-base search",) if plugins == "all" else ())
        for page in pages:
            names.add((f"http: {page}", plugins))
            names.add((f"http: {page} rate", plugins))
            names.add((f"http: {page} worker CPU", plugins))
    for page in HTTP_PAGES:
        names.add((f"plugin cost: {page}", "all / none"))
    for service in SERVICES:
        names.add((f"service: {service}", "all"))
    return names


def test_tiny_run_writes_every_figure_with_its_unit_and_size(tmp_path):
    server = os.environ.get(TEST_DATABASE_ENV)
    output = tmp_path / "figures.json"
    command = [
        sys.executable, "-m", "benchmarks", "run", "--tickets", str(TICKETS),
        "--articles", "20", "--repeats", "1", "--seconds", "0.3", "--warmup", "0.3",
        "--data", str(tmp_path / "data"), "--json", str(output),
    ]  # fmt: skip
    if server:
        command += ["--database-url", server]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKCORE_")}
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        if server:
            subprocess.run(
                [sys.executable, "-m", "benchmarks", "clean", "--database-url", server,
                 "--data", str(tmp_path / "data")],
                cwd=ROOT, env=env, check=True, capture_output=True, timeout=120,
            )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| figure |" in done.stdout and "Targets" in done.stdout

    figures = json.loads(output.read_text())["figures"]
    databases = ["sqlite"] + (["postgresql"] if server else [])
    for database in databases:
        mine = [f for f in figures if f["database"] == database]
        found = {(f["name"], f["plugins"]) for f in mine}
        expected = expected_figures() | (SQLITE_ONLY if database == "sqlite" else set())
        assert expected <= found, sorted(expected - found)
        for figure in mine:
            assert figure["tickets"] == TICKETS
            assert figure["unit"] in {"ms", "ms CPU/request", "requests/s", "ratio", "MiB", "s"}
            assert figure["median"] is not None and figure["median"] > 0, figure
        latencies = [f for f in mine if f["unit"] == "ms"]
        assert all(f["p95"] >= f["median"] for f in latencies)


def test_kb_search_runs_as_documented_and_keeps_its_index_in_the_data_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKCORE_")}
    env["DESKCORE_BENCH_DATA"] = str(tmp_path)
    command = [sys.executable, "-m", "benchmarks.kb_search", "30", "--repeats", "1"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "30 articles: index built" in done.stdout
    assert "kb search: latency: median" in done.stdout and "(40 queries)" in done.stdout
    assert (tmp_path / "kb-search-30" / "knowledge_base_index").exists()
