"""``python -m benchmarks run``: build (or reuse) the desks, measure, print, write JSON."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from . import report
from .dataset import DATA_ENV, check_server, clean
from .runner import Settings, log, run

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK = {"sizes": (2_000,), "articles": 200, "repeats": 5, "seconds": 2.0, "warmup": 0.5}


def _sizes(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {value!r}") from None
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("ticket counts must be positive")
    return tuple(sorted(set(sizes)))


def _positive(kind):
    def parse(value: str):
        number = kind(value)
        if number <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {value}")
        return number

    return parse


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="measure and print the results table")
    run_parser.add_argument(
        "--tickets", type=_sizes, default=None, metavar="N[,N...]",
        help="desk sizes in tickets (default: 10000,100000,1000000)",
    )  # fmt: skip
    run_parser.add_argument("--articles", type=int, default=None, help="KB articles (20000)")
    run_parser.add_argument(
        "--database-url", default=None,
        help="also measure on this PostgreSQL server (postgresql://…); the benchmark "
        "creates databases named deskcore_bench_<tickets> there",
    )  # fmt: skip
    run_parser.add_argument("--repeats", type=_positive(int), default=None,
                            help="service-level calls per operation (30)")  # fmt: skip
    run_parser.add_argument("--seconds", type=_positive(float), default=None,
                            help="seconds of load per HTTP figure (5)")  # fmt: skip
    run_parser.add_argument("--warmup", type=float, default=None,
                            help="warm-up seconds before each HTTP figure (1)")  # fmt: skip
    run_parser.add_argument("--clients", type=_positive(int), default=2,
                            help="concurrent HTTP clients (2, one per worker)")  # fmt: skip
    run_parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                            help="write every figure to FILE")  # fmt: skip
    run_parser.add_argument(
        "--quick",
        action="store_true",
        help="a small smoke run: 2,000 tickets, 200 articles, short loads",
    )
    run_parser.add_argument("--data", type=Path, default=None, metavar="DIR",
                            help="folder of the cached desks (benchmarks/.data)")  # fmt: skip
    run_parser.add_argument(
        "--skip-sqlite", action="store_true", help="with --database-url: PostgreSQL only"
    )
    run_parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the cached desks instead of reusing them"
    )
    clean_parser = commands.add_parser("clean", help="remove the cached desks")
    clean_parser.add_argument(
        "--database-url", default=None, help="also drop the benchmark's databases on this server"
    )
    clean_parser.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of the cached desks (benchmarks/.data)",
    )
    return main


def settings_from(args: argparse.Namespace) -> Settings:
    defaults = {"sizes": DEFAULT_SIZES, "articles": 20_000, "repeats": 30, "seconds": 5.0,
                "warmup": 1.0}  # fmt: skip
    if args.quick:
        defaults.update(QUICK)
    given = {"sizes": args.tickets, "articles": args.articles, "repeats": args.repeats,
             "seconds": args.seconds, "warmup": args.warmup}  # fmt: skip
    chosen = {k: v if v is not None else defaults[k] for k, v in given.items()}
    if chosen["articles"] < 0:
        raise SystemExit("error: --articles must not be negative")
    if args.database_url and not args.database_url.startswith(("postgresql", "postgres://")):
        raise SystemExit("error: --database-url must be a postgresql:// URL")
    if args.skip_sqlite and not args.database_url:
        raise SystemExit("error: --skip-sqlite needs --database-url")
    return Settings(database_url=args.database_url, clients=args.clients,
                    rebuild=args.rebuild, skip_sqlite=args.skip_sqlite, **chosen)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except (SQLAlchemyError, RuntimeError, OSError) as exc:
        # A server that cannot be reached or started: one readable line, not a traceback.
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: {first_line}", file=sys.stderr)
        return 1


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    if args.data is not None:
        os.environ[DATA_ENV] = str(args.data.resolve())
    if args.command == "clean":
        for removed in clean(args.database_url):
            print(f"removed {removed}")
        return 0
    settings = settings_from(args)
    if settings.database_url:
        check_server(settings.database_url)
    log(f"benchmark run: {settings}")
    figures = run(settings)
    figures += report.derived(figures)
    found = report.targets(figures)
    machine = report.machine()
    print(f"\n{machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
          f"Python {machine['python']}; load average {machine['load_average']}\n")  # fmt: skip
    print(report.table(figures))
    print("\nTargets (largest SQLite desk):")
    print(report.target_lines(found))
    if args.json:
        report.write_json(args.json, figures, found, settings.__dict__)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
