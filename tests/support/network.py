"""A network between the browser and the live server that a test can cut, as a coach's
phone loses its wifi in a classroom.

Chromium's offline emulation tells the page it is offline (`navigator.onLine`, the
`offline` event), but a page controlled by a service worker has now and then still reached
the server through it, and Playwright's request routing does not see what passes through a
service worker. So the browser talks to the server through this relay, and going offline
also closes every connection and refuses new ones: nothing the page or its service worker
sends can arrive, whatever the emulation does.
"""

import contextlib
import socket
import threading


class NetworkLink:
    """A TCP relay on 127.0.0.1 to `target` ((host, port)); `url` is what the browser opens."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.up = True
        self.lock = threading.Lock()
        self.connections: set[socket.socket] = set()
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
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self.lock:
                for connection in (source, sink):
                    self.connections.discard(connection)
                    _close(connection)


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
