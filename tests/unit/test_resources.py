"""The default number of enrichment processes: CPUs this process may use, memory that fits."""

from __future__ import annotations

from pathlib import Path

from worker.config import Settings
from worker.resources import MAIN_BYTES, PROCESS_BYTES, cpu_quota, memory_limit, plan

GIB = 1024**3


def test_one_process_per_usable_cpu() -> None:
    assert plan(affinity=2, quota=None, memory=None, root=Path("/nonexistent")).processes == 2


def test_a_container_quota_wins_over_the_host_cpus() -> None:
    p = plan(affinity=64, quota=2.5, memory=None, root=Path("/nonexistent"))
    assert p.processes == 2 and "quota of 2.5" in p.reason
    assert plan(affinity=64, quota=0.5, memory=None,
                root=Path("/nonexistent")).processes == 1  # never zero


def test_the_memory_limit_caps_the_count() -> None:
    p = plan(affinity=64, quota=None, memory=2 * GIB, root=Path("/nonexistent"))
    assert p.processes == (2 * GIB - MAIN_BYTES) // PROCESS_BYTES == 2
    assert "memory limit of 2048 MiB" in p.reason


def test_cgroup_files_v2_and_v1(tmp_path: Path) -> None:
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "cpu.max").write_text("150000 100000\n")
    (v2 / "memory.max").write_text(f"{3 * GIB}\n")
    assert cpu_quota(v2) == 1.5 and memory_limit(v2) == 3 * GIB
    (v2 / "cpu.max").write_text("max 100000\n")
    (v2 / "memory.max").write_text("max\n")
    assert cpu_quota(v2) is None and memory_limit(v2) is None
    v1 = tmp_path / "v1"
    (v1 / "cpu").mkdir(parents=True)
    (v1 / "memory").mkdir()
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    (v1 / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    (v1 / "memory" / "memory.limit_in_bytes").write_text("9223372036854771712\n")
    assert cpu_quota(v1) is None and memory_limit(v1) is None
    (v1 / "cpu" / "cpu.cfs_quota_us").write_text("400000\n")
    assert cpu_quota(v1) == 4.0


def test_enrich_workers_overrides_the_plan() -> None:
    s = Settings(bootstrap_servers="k:1", workers=3)
    assert s.process_plan().processes == 3 and s.process_plan().reason == "ENRICH_WORKERS"
