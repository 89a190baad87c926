"""A small HTTP load tool: browsers' worth of requests to a server on this machine.

Each client is a thread that sends one GET after another for a fixed time, on a new
connection each (gunicorn's sync workers close every connection after its answer anyway).
Only 127.0.0.1 is ever asked.
"""

import http.client
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

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

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
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: {cookie_header}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    phase = Phase(seconds=seconds)

    def client():
        latencies, errors, first_error = [], 0, ""
        while (begun := time.monotonic()) < deadline:
            try:
                with socket.create_connection((HOST, port), timeout=TIMEOUT) as connection:
                    connection.sendall(request)
                    head = connection.recv(65536)
                    while connection.recv(65536):  # the whole answer, up to the close
                        pass
                status = head[9:12]
                if head.startswith(b"HTTP/1.") and status == b"200":
                    latencies.append(time.monotonic() - begun)
                    continue
                error = head.split(b"\r\n", 1)[0].decode("latin-1") or "no answer"
            except OSError as failure:
                error = repr(failure)
            errors += 1
            first_error = first_error or error
        with lock:
            phase.latencies += latencies
            phase.errors += errors
            phase.first_error = phase.first_error or first_error

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    return phase


def median(values):
    values = [v for v in values if v == v]  # without NaN
    return statistics.median(values) if values else float("nan")
