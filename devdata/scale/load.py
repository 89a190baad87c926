"""A small HTTP load tool: browsers' worth of requests to a server on this machine.

Two ways to load it, each request on a new connection (gunicorn's sync workers close every
connection after its answer anyway):

- closed loop (`drive`): each client is a thread that sends one GET after another for a
  fixed time, so the server's pace sets how many requests it is asked;
- open loop (`offer`): requests leave on a fixed schedule whether or not the earlier ones
  have been answered, and each latency runs from the moment its request was due, so the
  time a request waits behind others counts (no coordinated omission).

Only 127.0.0.1 is ever asked, and every run stops by itself: a bounded time, a bounded
number of requests, each given at most TIMEOUT seconds.
"""

import asyncio
import http.client
import math
import re
import socket
import statistics
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"
TIMEOUT = 30


@dataclass
class Phase:
    """What the clients of one phase saw."""

    seconds: float
    latencies: list = field(default_factory=list)  # seconds, of the answers that were right
    errors: int = 0
    first_error: str = ""
    answered: int = 0  # requests the server answered, rightly or not: the ones it worked for

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def failed(self, error: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or error

    def add(self, other: "Phase") -> None:
        """Takes in what another client of the same phase saw."""
        self.latencies += other.latencies
        self.errors += other.errors
        self.answered += other.answered
        self.first_error = self.first_error or other.first_error

    def percentile(self, share: float) -> float:
        """The latency under which `share` of the answers came, in seconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Browser:
    """One person's cookies, as a browser keeps them (Secure ones too: this is the
    benchmark's plain-HTTP loopback, not the web)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None) -> tuple[int, dict, bytes]:
        headers = {"Cookie": self.cookie_header}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def post_form(self, path, fields) -> tuple[int, dict, bytes]:
        """Open the form's page, then send it back with its CSRF token, as a person would."""
        status, _, page = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError(f"{path} shows no form")
        return self.request("POST", path, {**fields, "csrfmiddlewaretoken": token[1].decode()})


def drive(port: int, path: str, cookie_header: str, *, clients: int, seconds: float) -> Phase:
    """`clients` clients fetch `path` for `seconds`; every answer but a 200 is an error.

    Raw sockets and a request written once: at a thousand answers a second, a client that
    parses headers would take the CPU the server needs from the same two cores.
    """
    request = _request(port, path, cookie_header)
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    phase = Phase(seconds=seconds)

    def client():
        seen = Phase(seconds=seconds)
        while (begun := time.monotonic()) < deadline:
            try:
                with socket.create_connection((HOST, port), timeout=TIMEOUT) as connection:
                    connection.sendall(request)
                    head = connection.recv(65536)
                    while connection.recv(65536):  # the whole answer, up to the close
                        pass
            except OSError as failure:
                seen.failed(repr(failure))
                continue
            _judge(seen, head, time.monotonic() - begun)
        with lock:
            phase.add(seen)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    return phase


def _request(port: int, path: str, cookie_header: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: {cookie_header}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()


def _judge(phase: Phase, head: bytes, latency: float) -> None:
    """Counts one answer, from its first bytes: a 200 is a latency, anything else an error."""
    if head.startswith(b"HTTP/1."):
        phase.answered += 1
        if head[9:12] == b"200":
            phase.latencies.append(latency)
            return
    phase.failed(head.split(b"\r\n", 1)[0].decode("latin-1") or "no answer")


def schedule(rate: float, seconds: float) -> list[float]:
    """When an open-loop run sends its requests, in seconds from its start: evenly spaced,
    `rate` a second, for `seconds` (the last one leaves before `seconds` is up)."""
    if rate <= 0 or seconds <= 0:
        return []
    # The tolerance keeps 20/s for 3 s at 60 requests where 3 * 20 lands a hair under 60.
    count = math.ceil(rate * seconds - 1e-9)
    return [number / rate for number in range(count)]


def offer(port: int, path: str, cookie_header: str, *, rate: float, seconds: float) -> Phase:
    """Offers `path` at `rate` requests a second for `seconds`, whatever the server's pace.

    Each request leaves when it is due even if every earlier one is still waiting, and its
    latency is counted from when it was due, not from when it could be sent: a server that
    falls behind shows it in every request queued behind the slow one, as the people
    sending them would see it. One event loop in this thread sends them all, so at tens of
    requests a second the tool itself takes almost none of the CPU it measures.
    """
    return asyncio.run(_offer(_request(port, path, cookie_header), port, rate, seconds))


async def _offer(request: bytes, port: int, rate: float, seconds: float) -> Phase:
    loop = asyncio.get_running_loop()
    phase = Phase(seconds=seconds)

    async def one(due: float) -> None:
        try:
            async with asyncio.timeout(TIMEOUT):
                reader, writer = await asyncio.open_connection(HOST, port)
                try:
                    writer.write(request)
                    await writer.drain()
                    head = await reader.read(65536)
                    while await reader.read(65536):  # the whole answer, up to the close
                        pass
                finally:
                    writer.close()
        except OSError as failure:  # TimeoutError among them
            phase.failed(repr(failure))
            return
        _judge(phase, head, loop.time() - due)

    started = loop.time()
    sent = []
    for offset in schedule(rate, seconds):
        due = started + offset
        await asyncio.sleep(max(0.0, due - loop.time()))
        sent.append(asyncio.create_task(one(due)))
    await asyncio.gather(*sent)
    phase.seconds = loop.time() - started
    return phase


def median(values):
    values = [v for v in values if v == v]  # without NaN
    return statistics.median(values) if values else float("nan")
