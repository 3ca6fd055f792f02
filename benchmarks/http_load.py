"""The HTTP load generator: its own process, client threads on keep-alive connections.

Each scenario is a list of requests the clients take in turn (several
tickets, several phones), run for a warm-up and then for a fixed time; every answer must have
the expected status, otherwise the run stops with the first unexpected answer.
"""

from __future__ import annotations

import http.client
import itertools
import multiprocessing
import threading
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    expect: int = 200
    body: bytes | None = None
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    requests: tuple[Request, ...]


@dataclass
class Outcome:
    name: str
    #: (seconds since the start when the answer arrived, latency in ms) per request
    samples: list[tuple[float, float]]
    seconds: float
    error: str | None = None

    @property
    def latencies_ms(self) -> list[float]:
        return [latency for _, latency in self.samples]

    def rates(self) -> list[float]:
        """Answers per second in each whole second of the run (the whole run when short)."""
        if self.seconds < 2:
            return [len(self.samples) / self.seconds] if self.seconds else []
        per_second = [0] * max(1, int(self.seconds))
        for done_at, _ in self.samples:
            if int(done_at) < len(per_second):
                per_second[int(done_at)] += 1
        return [float(n) for n in per_second]


def _client(port, requests, started_at, stop_at, samples, errors, lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    mine: list[float] = []
    try:
        # Every client makes at least one request, however short the run.
        for request in itertools.cycle(requests):
            started = time.perf_counter()
            # http.client opens a new connection by itself when the server closed the last.
            connection.request(request.method, request.path, request.body, request.headers)
            response = connection.getresponse()
            payload = response.read()
            done = time.perf_counter()
            mine.append((time.monotonic() - started_at, (done - started) * 1000))
            if response.status != request.expect:
                errors.append(
                    f"{request.method} {request.path} answered {response.status} "
                    f"(expected {request.expect}): {payload[:300]!r}"
                )
            if time.monotonic() >= stop_at or errors:
                break
    except OSError as exc:
        errors.append(f"connection failed: {exc}")
    finally:
        connection.close()
        with lock:
            samples.extend(mine)


def _rotations(requests: tuple, clients: int) -> list[tuple]:
    """Each client starts at a different request, so they do not all ask for the same row."""
    return [requests[i % len(requests) :] + requests[: i % len(requests)] for i in range(clients)]


def run_scenario(port: int, scenario: Scenario, clients: int, seconds: float) -> Outcome:
    samples: list[tuple[float, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [
        threading.Thread(
            target=_client, args=(port, rotated, started, stop_at, samples, errors, lock)
        )
        for rotated in _rotations(scenario.requests, clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return Outcome(scenario.name, samples, elapsed, errors[0] if errors else None)


def _generate(port, scenarios, clients, seconds, warmup, queue) -> None:
    outcomes = []
    for scenario in scenarios:
        if warmup:
            warm = run_scenario(port, scenario, clients, warmup)
            if warm.error:
                outcomes.append(warm)
                continue
        outcomes.append(run_scenario(port, scenario, clients, seconds))
    queue.put(outcomes)


def measure(
    port: int, scenarios: list[Scenario], clients: int, seconds: float, warmup: float
) -> list[Outcome]:
    """Run every scenario one after the other from a separate load-generator process."""
    # Forked, not spawned: a spawned child would import the harness (and the desk) again.
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(
        target=_generate, args=(port, scenarios, clients, seconds, warmup, queue)
    )
    process.start()
    outcomes = queue.get()
    process.join()
    return outcomes
