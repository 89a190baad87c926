"""A network between the browser and the live server that a test can cut, as a coach's
phone loses its wifi in a classroom.

Chromium's offline emulation tells the page it is offline (`navigator.onLine`, the
`offline` event), but a page controlled by a service worker has now and then still reached
the server through it, and Playwright's request routing does not see what passes through a
service worker. So the browser talks to the server through this relay, and going offline
also closes every connection and refuses new ones: nothing the page or its service worker
sends can arrive, whatever the emulation does.

For the same reason a server that fails, refuses or is not Tandem at all (a Wi-Fi portal)
is played here too: `link.answering("/notes/", 500)` answers those requests itself while
it lasts, and everything else still reaches the live server.
"""

import contextlib
import socket
import threading
from collections.abc import Iterator
from http import HTTPStatus

HEAD_END = b"\r\n\r\n"


class Answer:
    """What the relay says instead of the server to requests whose path ends with `path`."""

    def __init__(self, path: str, status: int, body: str, content_type: str):
        self.path = path
        self.response = _response(status, body.encode(), content_type)
        self.answered = threading.Semaphore(0)

    def wait_for_request(self, timeout: float = 15) -> None:
        """Wait until the relay has answered one more request in the server's place."""
        if not self.answered.acquire(timeout=timeout):
            raise AssertionError(f"No request for {self.path} arrived in {timeout} s")


class NetworkLink:
    """A TCP relay on 127.0.0.1 to `target` ((host, port)); `url` is what the browser opens."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.up = True
        self.lock = threading.Lock()
        self.connections: set[socket.socket] = set()
        self.answers: list[Answer] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        """Close every open connection; new ones are closed as soon as they arrive."""
        with self.lock:
            self.up = False
            for connection in self.connections:
                _close(connection)
            self.connections.clear()

    def restore(self) -> None:
        with self.lock:
            self.up = True

    @contextlib.contextmanager
    def answering(
        self, path: str, status: int, body: str = "", content_type: str = "text/plain"
    ) -> Iterator[Answer]:
        """While it lasts, requests whose path ends with `path` get this answer instead of
        reaching the server."""
        answer = Answer(path, status, body, content_type)
        with self.lock:
            self.answers.append(answer)
        try:
            yield answer
        finally:
            with self.lock:
                self.answers.remove(answer)

    def close(self) -> None:
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # the link was closed
            try:
                server = socket.create_connection(self.target)
            except OSError:
                _close(client)
                continue
            with self.lock:
                if not self.up:
                    _close(client)
                    _close(server)
                    continue
                self.connections |= {client, server}
            threading.Thread(target=self._requests, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client), daemon=True).start()

    def _requests(self, client: socket.socket, server: socket.socket) -> None:
        """Relay the browser's requests one by one, answering those an `Answer` matches.
        Browsers do not pipeline, so an answer never overtakes the server's last response."""
        buffer = b""
        try:
            while True:
                while HEAD_END not in buffer:
                    if not (data := client.recv(65536)):
                        return
                    buffer += data
                head, _, buffer = buffer.partition(HEAD_END)
                lines = head.split(b"\r\n")
                headers = dict(_header(line) for line in lines[1:] if b":" in line)
                if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
                    # A body of unknown length: no test answers these, so pass it all on.
                    server.sendall(head + HEAD_END + buffer)
                    self._pipe(client, server)
                    return
                length = int(headers.get(b"content-length", b"0"))
                while len(buffer) < length:
                    if not (data := client.recv(65536)):
                        return
                    buffer += data
                body, buffer = buffer[:length], buffer[length:]
                if answer := self._answer_for(lines[0]):
                    client.sendall(answer.response)
                    answer.answered.release()
                else:
                    server.sendall(head + HEAD_END + body)
        except OSError:
            pass
        finally:
            self._forget(client, server)

    def _answer_for(self, request_line: bytes) -> Answer | None:
        target = request_line.split(b" ")[1].decode("latin-1")
        path = target.split("?")[0]
        with self.lock:
            return next((a for a in reversed(self.answers) if path.endswith(a.path)), None)

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._forget(source, sink)

    def _forget(self, *connections: socket.socket) -> None:
        with self.lock:
            for connection in connections:
                self.connections.discard(connection)
                _close(connection)


def _header(line: bytes) -> tuple[bytes, bytes]:
    name, _, value = line.partition(b":")
    return name.strip().lower(), value.strip()


def _response(status: int, body: bytes, content_type: str) -> bytes:
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\n\r\n"
    )
    return head.encode("latin-1") + body


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
