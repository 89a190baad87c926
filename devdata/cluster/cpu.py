"""CPU seconds spent by each piece of the cluster, from the kernel's own counters
(/proc/<pid>/stat, each process with all its descendants): on a shared machine, what one
request costs each piece is steadier than how many requests a second got through.
"""

import os
from collections.abc import Callable

from devdata.scale.cpu import CLOCK_TICKS, stat_of


def _processes() -> dict[int, tuple[int, float]]:
    """Every process: its parent and the CPU seconds it has used (user + system)."""
    found = {}
    for entry in os.scandir("/proc"):
        # stat_of is None for a process gone meanwhile.
        if entry.name.isdigit() and (stat := stat_of(int(entry.name))):
            found[stat.pid] = (stat.parent, stat.ticks / CLOCK_TICKS)
    return found


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy, on every core, since it started."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


def pid_file(path: str) -> Callable[[], list[int]]:
    def read() -> list[int]:
        try:
            with open(path) as file:
                return [int(file.readline())]
        except (OSError, ValueError):
            return []

    return read


class Meter:
    """CPU seconds of named groups of process trees, and of the machine, at a moment."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]):
        self.groups = groups

    def read(self) -> dict[str, float]:
        processes = _processes()
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in processes.items():
            children.setdefault(parent, []).append(pid)

        def tree(pid: int) -> float:
            if pid not in processes:
                return 0.0
            return processes[pid][1] + sum(tree(child) for child in children.get(pid, []))

        totals = {name: sum(tree(pid) for pid in roots()) for name, roots in self.groups.items()}
        mine = os.times()  # the load clients: this process alone, not the nodes it started
        totals["load clients"] = mine.user + mine.system
        totals["machine"] = machine_busy()
        return totals


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}
