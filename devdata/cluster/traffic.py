"""Signed-in people sending requests through the balancer, one after another, and what
each answer was: a page, a sign-in page (someone was signed out), or an error.

Raw sockets and a request written once, as `devdata.scale.load.drive` does: the clients
share the machine's two cores with everything they measure. Only 127.0.0.1 is asked.
"""

import socket
import threading
import time
from dataclasses import dataclass

from devdata.scale.load import HOST, TIMEOUT

SIGN_IN = b"/accounts/sign-in/"


@dataclass
class Answer:
    started: float  # time.monotonic()
    ended: float
    person: int
    path: str
    status: int  # 0: no HTTP answer at all
    request_id: str  # HAProxy's X-Request-ID: finds the request in its log
    signed_out: bool
    error: str

    @property
    def ok(self) -> bool:
        return self.status == 200


def read_answer(data: bytes) -> tuple[int, str, bool]:
    """Status, X-Request-ID, and whether the answer sends the person to sign in."""
    head = data.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    if not lines[0].startswith(b"HTTP/1."):
        return 0, "", False
    status = int(lines[0][9:12])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    request_id = headers.get(b"x-request-id", b"").decode("latin-1")
    signed_out = status == 401 or (
        status in (301, 302, 303) and SIGN_IN in headers.get(b"location", b"")
    )
    return status, request_id, signed_out


def fetch(port: int, path: str, cookie_header: str) -> tuple[int, str, bool, bytes]:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nCookie: {cookie_header}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    chunks = []
    with socket.create_connection((HOST, port), timeout=TIMEOUT) as connection:
        connection.sendall(request)
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    return (*read_answer(data), data)


class Clients:
    """One thread per person, each opening their pages round and round until stopped."""

    def __init__(self, port: int, people: list[tuple[str, list[str]]]):
        self.port = port
        self.people = people  # (cookie header, paths)
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, args=(number,), daemon=True)
            for number in range(len(people))
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._halt.set()
        for thread in self._threads:
            thread.join()

    def _client(self, number: int) -> None:
        cookies, paths = self.people[number]
        answers, turn = [], 0
        while not self._halt.is_set():
            path = paths[turn % len(paths)]
            turn += 1
            started = time.monotonic()
            try:
                status, request_id, signed_out, _ = fetch(self.port, path, cookies)
                error = "" if status == 200 or signed_out else f"answered {status}"
            except OSError as failure:
                status, request_id, signed_out, error = 0, "", False, repr(failure)
            answers.append(
                Answer(
                    started, time.monotonic(), number, path, status, request_id, signed_out, error
                )
            )
        with self._lock:
            self.answers += answers
