"""Knowledge-base search benchmark: indexing time and warm query latency (median, p95).

Builds the plugin's real Whoosh index (same schema, analyzers and query parser) from
synthetic Spanish and English articles with a fixed seed, then runs a fixed query set
against one warm searcher, as a worker does. No database is involved: this measures the
index, which is what grows with the number of articles.

    .venv/bin/python benchmarks/kb_search.py            # 20,000 and 100,000 articles
    .venv/bin/python benchmarks/kb_search.py 20000      # one size
"""

from __future__ import annotations

import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from deskcore_knowledge_base.index import ArticleIndex, Document

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


def run(count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        index = ArticleIndex(Path(folder) / "knowledge_base_index")
        started = time.perf_counter()
        index.rebuild(documents(count))
        build = time.perf_counter() - started
        index.search("warm up")  # open the searcher once, as a worker's first request does
        latencies = []
        for _ in range(3):
            for text in QUERIES:
                started = time.perf_counter()
                index.search(text, per_page=10)
                latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        return {
            "articles": count,
            "index_seconds": round(build, 1),
            "queries": len(latencies),
            "median_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [20_000, 100_000]
    for size in sizes:
        print(run(size), flush=True)


if __name__ == "__main__":
    main()
