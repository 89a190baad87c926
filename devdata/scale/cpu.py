"""CPU time of the processes that serve the benchmark, from the kernel's own counters.

Linux keeps, for every process, the CPU time it has spent in user and in kernel mode
(`utime` and `stime` in /proc/<pid>/stat, in clock ticks). Read before and after a window
of load, their difference is what the process spent on that load, whatever else the
machine's other tenants were doing meanwhile: a figure that does not swing with the
neighbours as requests per second do.
"""

import os
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # ticks a second, 100 on Linux as built today
POSTGRES_NAMES = frozenset({"postgres", "postmaster"})


@dataclass(frozen=True)
class Stat:
    """The fields of one /proc/<pid>/stat line that the benchmark reads."""

    pid: int
    name: str
    parent: int
    ticks: int  # utime + stime: the process's own CPU, not its children's


def parse_stat(line: str) -> Stat:
    """Reads "pid (name) state ppid ... utime stime ..." (proc(5)); the name may hold
    spaces and parentheses, so the fields after it are counted from its last ")"."""
    head, _, rest = line.rpartition(")")
    pid, _, name = head.partition(" (")
    fields = rest.split()
    # fields[0] is the state, field 3 of proc(5): field n is fields[n - 3].
    return Stat(
        pid=int(pid),
        name=name,
        parent=int(fields[1]),
        ticks=int(fields[11]) + int(fields[12]),
    )


def stat_of(pid: int) -> Stat | None:
    """The process's stat, or None once it has ended."""
    try:
        return parse_stat(Path(f"/proc/{pid}/stat").read_text())
    except (OSError, ValueError, IndexError):
        return None


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers, for its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := stat_of(int(entry.name))) and stat.parent == pid:
            found.append(stat.pid)
    return sorted(found)


def ticks_of(pids: list[int]) -> dict[int, int]:
    """Each process's CPU ticks so far, for those still running."""
    return {stat.pid: stat.ticks for pid in pids if (stat := stat_of(pid))}


@dataclass(frozen=True)
class Spent:
    """CPU spent by a group of processes between two readings."""

    seconds: float
    ended: int = 0  # processes read before but gone after: their last part is not counted

    def __add__(self, other: "Spent") -> "Spent":
        return Spent(self.seconds + other.seconds, self.ended + other.ended)


def spent(before: dict[int, int], after: dict[int, int]) -> Spent:
    """What the processes spent between the two readings. A process that started in
    between spent all its ticks there; one that ended took its last ticks with it (they are
    not in any counter left to read), and is counted in `ended` so the caller can say the
    figure is a lower bound."""
    ticks = 0
    for pid, now in after.items():
        then = before.get(pid, 0)
        # Fewer ticks than before: the pid was given to a new process in between.
        ticks += now - then if now >= then else now
    ended = sum(1 for pid in before if pid not in after)
    return Spent(ticks / CLOCK_TICKS, ended)
