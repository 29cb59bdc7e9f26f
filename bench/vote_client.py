"""A light HTTP/1.1 load client for the benchmarks: asyncio, raw keep-alive connections to
127.0.0.1, a fixed list of requests shared by N concurrent clients (closed loop: each client
sends its next request when the previous answer is in). One thread; no third-party package.

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


async def _client(port, queue, out, ok_statuses):
    reader = writer = None
    while True:
        try:
            raw = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        for attempt in range(3):
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                started = time.perf_counter()
                writer.write(raw)
                status, body, close = await _read_response(reader)
                out.append((time.perf_counter() - started, status, body))
                if close:
                    writer.close()
                    reader = writer = None
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                if writer is not None:
                    writer.close()
                reader = writer = None  # the server closed an idle keep-alive: reconnect
                if attempt == 2:
                    out.append((0.0, 0, b"connection failed"))
    if writer is not None:
        writer.close()


async def _load(port, targets, clients, ok_statuses):
    queue = asyncio.Queue()
    for target in targets:
        queue.put_nowait(target.encode(port))
    out = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, queue, out, ok_statuses) for _ in range(clients)))
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
