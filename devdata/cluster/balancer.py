"""HAProxy, as the run sees it: which nodes it holds up (its runtime socket), and what
became of each request (its log, in deploy/haproxy.cfg's log-format)."""

import socket
import time
from dataclasses import dataclass
from pathlib import Path


def server_states(haproxy_socket: str, backend: str = "web") -> dict[str, str]:
    """Each server of the backend and its state: "UP", "DOWN", "UP 1/2" (rising)..."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(5)
        connection.connect(haproxy_socket)
        connection.sendall(b"show stat\n")
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    columns = lines[0].lstrip("# ").split(",")
    states = {}
    for line in lines[1:]:
        row = dict(zip(columns, line.split(","), strict=False))
        if row.get("pxname") == backend and row.get("svname") not in ("BACKEND", None):
            states[row["svname"]] = row["status"]
    return states


def wait_for_state(haproxy_socket: str, server: str, state: str, seconds: float = 60) -> float:
    """Waits until HAProxy holds `server` in `state`; returns when (time.monotonic())."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server_states(haproxy_socket).get(server) == state:
            return time.monotonic()
        time.sleep(0.05)
    raise RuntimeError(f"HAProxy did not see {server} {state} within {seconds:g} s")


@dataclass
class Logged:
    request_id: str
    server: str  # "web1", "web2", or "<NOSRV>" when no node took it
    status: int  # -1: no answer was sent
    termination: str  # HAProxy's four termination state flags, "----" when all went well
    retries: int
    redispatched: bool  # sent again to another node
    path: str


def read_log(path: Path) -> dict[str, Logged]:
    """The requests HAProxy logged, by request id; other lines (health checks) are left."""
    logged = {}
    for line in path.read_text(errors="replace").splitlines():
        fields = line.split(" ")
        if len(fields) != 8 or "/" not in fields[1] or not fields[2].lstrip("-").isdigit():
            continue
        request_id, where, status, termination, retries, _, _, path_ = fields
        logged[request_id] = Logged(
            request_id=request_id,
            server=where.split("/", 1)[1],
            status=int(status),
            termination=termination,
            retries=int(retries.lstrip("+")),
            redispatched=retries.startswith("+"),
            path=path_,
        )
    return logged
