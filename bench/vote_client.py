"""A light HTTP/1.1 load client for the benchmarks: asyncio, raw keep-alive connections to
127.0.0.1, N concurrent clients in a closed loop (each client sends its next request when the
previous answer is in). One thread; no third-party package. Two ways to feed it:
- run_load: a fixed list of requests shared by the clients, each sent once (bench/vote.py);
- run_for: for a given time, each client asks a function for its next request, which names
  its route and how to tell a right answer; figures per route (bench/http_mix.py).

BENCH.md: on 2 cores the client decides the figure, so it must cost little per request.
"""

import asyncio
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    method: str
    path: str
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    def encode(self, port: int) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


@dataclass
class Result:
    count: int
    seconds: float
    latencies: list  # ms, sorted
    errors: int
    samples: list  # (status, body) of the first errors
    statuses: dict

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def p(self, pct: float) -> float:
        if not self.latencies:
            return 0.0
        k = min(len(self.latencies) - 1, max(0, round(pct / 100 * len(self.latencies)) - 1))
        return self.latencies[k]


async def _read_response(reader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close, chunked = 0, False, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value == "close":
            close = True
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            body += await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        body = await reader.readexactly(length) if length else b""
    return status, body, close


class Connection:
    """One keep-alive connection to 127.0.0.1:port, reopened when the server closes it."""

    def __init__(self, port: int):
        self.port, self.reader, self.writer = port, None, None

    async def send(self, raw: bytes) -> tuple[float, int, bytes]:
        """(seconds, status, body) of one request; status 0 if three connections failed."""
        for _attempt in range(3):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                started = time.perf_counter()
                self.writer.write(raw)
                status, body, close = await _read_response(self.reader)
                seconds = time.perf_counter() - started
                if close:
                    self.close()
                return seconds, status, body
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()  # the server closed an idle keep-alive: reconnect
        return 0.0, 0, b"connection failed"

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _client(port, queue, out):
    connection = Connection(port)
    while True:
        try:
            raw = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        out.append(await connection.send(raw))
    connection.close()


async def _load(port, targets, clients, ok_statuses):
    queue = asyncio.Queue()
    for target in targets:
        queue.put_nowait(target.encode(port))
    out = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, queue, out) for _ in range(clients)))
    seconds = time.perf_counter() - started
    statuses, samples, errors = {}, [], 0
    for _latency, status, body in out:
        statuses[status] = statuses.get(status, 0) + 1
        if status not in ok_statuses:
            errors += 1
            if len(samples) < 3:
                samples.append((status, body.decode(errors="replace")))
    latencies = sorted(latency * 1000 for latency, _s, _b in out)
    return Result(len(out), seconds, latencies, errors, samples, statuses)


def run_load(port: int, targets: list, clients: int, ok=(200, 201, 302, 303)) -> Result:
    """Send every target once, `clients` at a time; returns the figures."""
    return asyncio.run(_load(port, targets, clients, set(ok)))


@dataclass(frozen=True)
class Sent:
    """One request of run_for: its route's name, the raw bytes, and check(status, body) that
    tells a right answer (anything else counts as an error)."""

    route: str
    raw: bytes
    check: object


def summarise(rows: list, seconds: float) -> Result:
    """rows: (ms, status, right, body) of one route, body kept only for the first errors."""
    statuses, samples, errors = {}, [], 0
    for _ms, status, right, body in rows:
        statuses[status] = statuses.get(status, 0) + 1
        if not right:
            errors += 1
            if len(samples) < 3 and body is not None:
                samples.append((status, body.decode(errors="replace")))
    latencies = sorted(ms for ms, _s, _r, _b in rows)
    return Result(len(rows), seconds, latencies, errors, samples, statuses)


async def _timed(port, next_request, clients, seconds):
    rows = {}  # route -> [(ms, status, right, body of an early error or None)]
    deadline = time.perf_counter() + seconds

    async def client():
        connection = Connection(port)
        while time.perf_counter() < deadline:
            sent = next_request()
            took, status, body = await connection.send(sent.raw)
            right = status != 0 and sent.check(status, body)
            mine = rows.setdefault(sent.route, [])
            keep = body if not right and len(mine) < 50 else None
            mine.append((took * 1000, status, right, keep))
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return rows, time.perf_counter() - started


def run_for(port: int, next_request, clients: int, seconds: float) -> dict:
    """`clients` closed-loop clients send next_request() (a Sent) for `seconds`; returns
    {route: Result} plus "all" over every route. A route's rate is its count over the whole
    phase, so in a mix the rates add up to the total."""
    rows, took = asyncio.run(_timed(port, next_request, clients, seconds))
    results = {route: summarise(r, took) for route, r in rows.items()}
    results["all"] = summarise([row for r in rows.values() for row in r], took)
    return results
