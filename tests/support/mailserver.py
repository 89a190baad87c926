"""Mail servers for tests: one in memory that fails on demand, and a real SMTP one.

`failing_mail_server(*errors)` makes the next sends raise those errors, in order, before it
accepts again; what it accepts lands in `django.core.mail.outbox` as usual. `WorkerKilled`
stands for a worker killed mid-send: it is no Exception, so nothing on the way catches it,
as nothing in a killed process runs.

`SmtpSink` speaks enough SMTP for smtplib, on 127.0.0.1, and keeps every message it accepts.
A recipient put in `hang_for` has their first message read in full and never answered,
like a server that hangs after DATA: the client is then "sending", and `hung` is set.
"""

import contextlib
import email
import socketserver
import threading

from django.core.mail.backends import locmem
from django.test import override_settings


class WorkerKilled(BaseException):
    pass


class FailingBackend(locmem.EmailBackend):
    errors: list[BaseException] = []

    def send_messages(self, messages):
        if FailingBackend.errors:
            raise FailingBackend.errors.pop(0)
        return super().send_messages(messages)


@contextlib.contextmanager
def failing_mail_server(*errors: BaseException):
    FailingBackend.errors = list(errors)
    try:
        with override_settings(EMAIL_BACKEND="tests.support.mailserver.FailingBackend"):
            yield
    finally:
        FailingBackend.errors = []


class SmtpSink:
    def __init__(self):
        self.accepted: list[email.message.Message] = []
        self.hang_for: set[str] = set()
        self.hung = threading.Event()
        self._lock = threading.Lock()
        sink = self

        class Session(socketserver.StreamRequestHandler):
            timeout = 30  # a test that goes wrong still ends

            def handle(self):
                with contextlib.suppress(OSError):
                    sink._converse(self.rfile, self.wfile)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def received_by(self, address: str) -> list[email.message.Message]:
        with self._lock:
            return [m for m in self.accepted if address in m["To"]]

    def _converse(self, rfile, wfile):
        def reply(line: str) -> None:
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        reply("220 sink ESMTP")
        recipients = []
        while line := rfile.readline():
            verb = line[:4].decode("ascii", "replace").upper()
            if verb in ("EHLO", "HELO"):
                reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split("<", 1)[1].split(">", 1)[0])
                reply("250 OK")
            elif verb == "DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                if hanging := self.hang_for.intersection(recipients):
                    self.hang_for -= hanging
                    self.hung.set()
                    rfile.readline()  # never answer: wait until the client goes
                    return
                with self._lock:
                    self.accepted.append(email.message_from_bytes(data))
                reply("250 OK accepted")
            elif verb == "QUIT":
                reply("221 bye")
                return
            else:
                reply("250 OK")
