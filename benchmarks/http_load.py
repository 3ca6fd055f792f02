"""The HTTP load generator: its own process, client threads on keep-alive connections.

Each scenario is a list of requests the clients take in turn (several
tickets, several phones), run for a warm-up and then for a fixed time; every answer must have
the expected status, otherwise the run stops with the first unexpected answer.
"""

from __future__ import annotations

import http.client
import itertools
import multiprocessing
import os
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
    #: CPU seconds the server's workers spent during the run (None: no worker pids given)
    worker_cpu: float | None = None

    @property
    def worker_cpu_ms_per_request(self) -> float | None:
        if self.worker_cpu is None or not self.samples:
            return None
        return self.worker_cpu * 1000 / len(self.samples)

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


def _generate(port, scenarios, clients, seconds, warmup, worker_pids, queue) -> None:
    outcomes = []
    for scenario in scenarios:
        if warmup:
            warm = run_scenario(port, scenario, clients, warmup)
            if warm.error:
                outcomes.append(warm)
                continue
        before = cpu_seconds(worker_pids)
        outcome = run_scenario(port, scenario, clients, seconds)
        if worker_pids:
            outcome.worker_cpu = cpu_seconds(worker_pids) - before
        outcomes.append(outcome)
    queue.put(outcomes)


def cpu_seconds(pids) -> float:
    """User and system CPU time the processes ``pids`` have used so far."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / _CLOCK_TICKS


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def measure(
    port: int,
    scenarios: list[Scenario],
    clients: int,
    seconds: float,
    warmup: float,
    worker_pids: tuple[int, ...] = (),
) -> list[Outcome]:
    """Run every scenario one after the other from a separate load-generator process;
    with ``worker_pids``, also count the CPU time those server workers spend on each."""
    # Forked, not spawned: a spawned child would import the harness (and the desk) again.
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(
        target=_generate, args=(port, scenarios, clients, seconds, warmup, worker_pids, queue)
    )
    process.start()
    outcomes = queue.get()
    process.join()
    return outcomes
