"""How many enrichment processes fit where the worker runs.

``os.cpu_count()`` is the host's count: a container limited to 2 CPUs on a 64-core node would
start 63 processes of ~450 MB each and be OOM-killed. What the worker may use is the smaller of
its CPU affinity and its cgroup CPU quota (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``), and the
processes must also fit in the cgroup memory limit. One process per usable CPU: the event loop
needs little CPU (measured: two enrichment processes on two cores give about 2x one).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")
# Budget per enrichment process, with room for bigger pipelines than the image's and for long
# articles (measured with the en/fr small pipelines: ~270 MB RSS each, ~160 MB of it private,
# plus ~220 MB for the forkserver they share); and the main process (Kafka clients, HTTP,
# buffers) with the forkserver.
PROCESS_BYTES = 700 * 1024 * 1024
MAIN_BYTES = 500 * 1024 * 1024
_UNLIMITED = 1 << 60  # cgroup v1 reports "no limit" as a huge number


@dataclass(frozen=True, slots=True)
class Plan:
    processes: int
    reason: str


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def cpu_quota(root: Path = CGROUP) -> float | None:
    """CPUs allowed by the cgroup quota, or None when there is no quota."""
    v2 = _read(root / "cpu.max")
    if v2 is not None:
        quota, _, period = v2.partition(" ")
        if quota != "max" and period:
            return int(quota) / int(period)
        return None
    quota_us, period_us = _read(root / "cpu" / "cpu.cfs_quota_us"), _read(
        root / "cpu" / "cpu.cfs_period_us")
    if quota_us and period_us and int(quota_us) > 0:
        return int(quota_us) / int(period_us)
    return None


def memory_limit(root: Path = CGROUP) -> int | None:
    """Bytes allowed by the cgroup memory limit, or None when unlimited."""
    value = _read(root / "memory.max") or _read(root / "memory" / "memory.limit_in_bytes")
    if value is None or value == "max" or int(value) >= _UNLIMITED:
        return None
    return int(value)


def plan(affinity: int | None = None, quota: float | None = None,
         memory: int | None = None, root: Path = CGROUP) -> Plan:
    """The default number of enrichment processes, and why (for the start-up log)."""
    cpus = affinity if affinity is not None else len(os.sched_getaffinity(0))
    quota = quota if quota is not None else cpu_quota(root)
    memory = memory if memory is not None else memory_limit(root)
    usable: float = cpus
    why = f"{cpus} CPUs in this process's affinity"
    if quota is not None and quota < usable:
        usable, why = quota, f"cgroup CPU quota of {quota:g} CPUs"
    n = max(1, math.floor(usable))
    if memory is not None:
        fit = max(1, (memory - MAIN_BYTES) // PROCESS_BYTES)
        if fit < n:
            mib = memory // (1024 * 1024)
            return Plan(int(fit), f"{why}, capped by the cgroup memory limit of {mib} MiB "
                                  f"(~{PROCESS_BYTES // (1024 * 1024)} MiB per process)")
    return Plan(n, why)
