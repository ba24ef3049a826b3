"""A process tree's memory and CPU time, read from Linux's /proc (no psutil)."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """`pid` and all its live descendants (uvicorn may fork workers: count them all)."""
    children: dict[int, list[int]] = {}
    for stat in PROC.glob("[0-9]*/stat"):
        fields = _stat_fields(stat)
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rss_kib(pid: int) -> int:
    """Resident memory of `pid` and its descendants (sum of VmRSS), in KiB."""
    return sum(_vm_rss_kib(p) for p in tree(pid))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` and its live descendants, in seconds."""
    total = 0
    for p in tree(pid):
        fields = _stat_fields(PROC / str(p) / "stat")
        if fields is not None:
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


def _stat_fields(path: Path) -> list[str] | None:
    """The fields after `comm` (which may hold spaces): [state, ppid, ...]; None if gone."""
    try:
        text = path.read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _vm_rss_kib(pid: int) -> int:
    try:
        lines = (PROC / str(pid) / "status").read_text().splitlines()
    except OSError:
        return 0  # exited between listing and reading
    line = next((ln for ln in lines if ln.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1])
