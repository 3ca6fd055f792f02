"""Knowledge-base search benchmark: indexing time and warm query latency (median, p95).

Builds the plugin's real Whoosh index (same schema, analyzers, parser and ranking) from
synthetic Spanish and English articles with a fixed seed, then runs the fixed query set
``QUERIES`` against one warm index, as a worker does. No database is involved: this
measures the index, which is what grows with the number of articles.

    .venv/bin/python -m benchmarks.kb_search                 # 20,000 and 100,000 articles
    .venv/bin/python -m benchmarks.kb_search 20000           # one size
    .venv/bin/python -m benchmarks.kb_search 20000 --reuse   # search an index built before

Built indexes are kept in ``kb-search-<N>/`` in the benchmarks' data folder
(``benchmarks/.data``, or ``$DESKCORE_BENCH_DATA``); ``--reuse`` skips the build.
Target: p95 under 50 ms at 20,000 articles with a warm worker. ``documents(count)`` and
``QUERIES`` are also the articles and queries of ``python -m benchmarks``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import time
from pathlib import Path

from deskcore_knowledge_base.index import ArticleIndex, Document

from .dataset import data_folder
from .stats import median, p95

TARGET_P95_MS = 50.0
SEED = 7
WORDS_ES = [
    "garantía",
    "refrigerador",
    "lavadora",
    "compresor",
    "termostato",
    "boleta",
    "reparación",
    "técnico",
    "visita",
    "ruido",
    "enfría",
    "enciende",
    "pantalla",
    "repuesto",
    "devolución",
    "cambio",
    "cliente",
    "factura",
    "instalación",
    "manguera",
    "filtro",
    "puerta",
    "sello",
    "motor",
    "tarjeta",
    "placa",
    "eléctrico",
    "agua",
    "fuga",
    "hielo",
    "congelador",
    "horno",
    "microondas",
    "secadora",
    "programa",
    "centrifugado",
    "tambor",
    "correa",
    "bomba",
    "desagüe",
]
WORDS_EN = [
    "warranty",
    "fridge",
    "washer",
    "compressor",
    "thermostat",
    "receipt",
    "repair",
    "technician",
    "visit",
    "noise",
    "cooling",
    "power",
    "screen",
    "spare",
    "return",
    "exchange",
    "customer",
    "invoice",
    "installation",
    "hose",
    "filter",
    "door",
    "seal",
    "motor",
    "board",
    "electric",
    "water",
    "leak",
    "ice",
    "freezer",
    "oven",
    "microwave",
    "dryer",
    "program",
    "spin",
    "drum",
    "belt",
    "pump",
    "drain",
    "printer",
    "toner",
    "cartridge",
    "paper",
    "jam",
    "tray",
]
QUERIES = [
    "garantía refrigerador",
    "garantia",
    "compresor ruido",
    "no enfría",
    "termostato",
    "fuga de agua",
    "lavadora centrifugado",
    "cambio de placa",
    "boleta devolución",
    "repuesto motor",
    "warranty",
    "fridge noise",
    "compressor",
    "water leak",
    "printer jam",
    "toner cartridge",
    "replace filter",
    "door seal",
    "spin drum belt",
    "drain pump",
    "KB-1234",
    "4321",
    "microondas pantalla",
    "oven power",
    "instalación eléctrica",
    "freezer ice",
    "cliente factura",
    "technician visit",
    "secadora programa",
    "hose",
    "garantias refrigeradores",
    "compressors",
    "jammed trays",
    "printing",
    "enciende",
    "reparaciones",
    "visitas técnicas",
    "receipts",
    "exchanges",
    "electric board",
]


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Real words plus 20,000 pseudo-words with Zipf-like frequencies (cumulative weights)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    fillers = ["".join(rng.choices(letters, k=rng.randint(4, 10))) for _ in range(20_000)]
    return fillers, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(fillers))))


def documents(count: int):
    rng = random.Random(SEED)
    fillers, weights = _vocabulary(rng)

    def words(n: int, real: list[str], share: float) -> list[str]:
        picked = rng.choices(fillers, cum_weights=weights, k=n)
        return [rng.choice(real) if rng.random() < share else w for w in picked]

    for number in range(1, count + 1):
        real = WORDS_ES if number % 2 else WORDS_EN
        yield Document(
            number=number,
            title=" ".join(words(6, real, 0.4)).capitalize(),
            keywords=", ".join(rng.choices(real, k=3)),
            text=". ".join(" ".join(words(12, real, 0.05)) for _ in range(10)),
            topic_id=rng.randint(1, 30),
            audience=rng.choice(("internal", "customer")),
            status="published",
        )


def index_folder(count: int) -> Path:
    return data_folder() / f"kb-search-{count}"


def build(count: int, reuse: bool = False) -> tuple[ArticleIndex, float]:
    """The index of ``count`` articles, built now (or the one built before, when ``reuse``),
    and the seconds the build took (0.0 when reused)."""
    folder = index_folder(count)
    link = folder / "knowledge_base_index"
    seconds = 0.0
    if not (reuse and link.exists()):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        ArticleIndex(link).rebuild(documents(count))
        seconds = time.perf_counter() - started
    return ArticleIndex(link), seconds


def measure(index: ArticleIndex, repeats: int = 3) -> list[dict]:
    """Wall and CPU milliseconds per query of ``QUERIES``, each run ``repeats`` times."""
    index.search("warm up")  # opens the searcher, as a worker's first request does
    wall, cpu = [], []
    for _ in range(repeats):
        for text in QUERIES:
            started, started_cpu = time.perf_counter(), time.process_time()
            index.search(text, per_page=10)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
    return [_row("kb search: latency", wall), _row("kb search: CPU per query", cpu)]


def _row(name: str, samples: list[float]) -> dict:
    return {
        "name": name,
        "unit": "ms",
        "median": round(median(samples), 1),
        "p95": round(p95(samples), 1),
        "samples": len(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20_000, 100_000])
    parser.add_argument("--reuse", action="store_true", help="search an index built before")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes:
        load = os.getloadavg()[0]
        index, seconds = build(size, reuse=args.reuse)
        rows = measure(index, args.repeats)
        print(f"{size:,} articles: index built in {seconds:.0f} s" if seconds else
              f"{size:,} articles: index reused")  # fmt: skip
        for row in rows:
            print(f"  {row['name']}: median {row['median']} ms, p95 {row['p95']} ms"
                  f" ({row['samples']} queries)")  # fmt: skip
        verdict = "meets" if rows[0]["p95"] < TARGET_P95_MS else "misses"
        print(f"  load average {load:.1f} before, {os.getloadavg()[0]:.1f} after;"
              f" latency p95 {verdict} the {TARGET_P95_MS:.0f} ms target", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
