"""Measuring code the benchmarks share: peak memory, child processes, interleaved timing, tables.

* :func:`peak_kb`: this process's peak resident set. ``tracemalloc`` cannot see
  polars' Rust allocations, and on Linux ``ru_maxrss``, even a child's from
  ``wait4`` or ``RUSAGE_CHILDREN``, carries over the resident set the parent had
  when it forked; ``VmHWM`` from ``/proc/self/status`` starts afresh at ``exec``.
  So each contender's peak is measured by running it alone in a fresh Python
  process (:func:`spawn`) that prints its :func:`peak_kb`.
* :func:`interleave`: one warm-up round, then ``repeat`` timed rounds; each round
  runs every job once, starting one job further along each round, so slow drift
  of the machine's load falls on all of them alike. Wall and CPU seconds are
  both kept: on a shared machine, CPU seconds (user + system, all threads)
  show the work done, which other jobs' load changes far less than wall time.
* :func:`format_table`, :func:`check`, :func:`machine`: the printed report.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Job = TypeVar("Job", bound=Hashable)


def peak_kb() -> int:
    """This process's peak resident memory in KiB (``VmHWM``; ``ru_maxrss`` off Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def spawn(script: str, arguments: Sequence[str]) -> dict[str, Any]:
    """Run ``python script *arguments`` in a fresh process; its last stdout line, as JSON.

    The child inherits this process's environment (so ``PYTHONPATH`` too) and its
    stderr, and must print one JSON object on its last line of output.
    """
    command = [sys.executable, script, *arguments]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@dataclass
class Interleaved(Generic[Job]):
    """What :func:`interleave` measured: each job's timed seconds, last result, error."""

    seconds: dict[Job, list[float]]
    cpu: dict[Job, list[float]] = field(default_factory=dict)
    """CPU seconds (user + system, all threads of this process) of each timed run."""
    results: dict[Job, Any] = field(default_factory=dict)
    errors: dict[Job, BaseException] = field(default_factory=dict)

    def median(self, job: Job) -> float:
        return statistics.median(self.seconds[job])

    def best(self, job: Job) -> float:
        return min(self.seconds[job])


def interleave(
    jobs: Sequence[Job],
    run: Callable[[Job], Any],
    repeat: int,
    *,
    catch: bool = False,
    keep: bool = True,
) -> Interleaved[Job]:
    """Time every job: one warm-up round, then ``repeat`` rounds, interleaved.

    Args:
        jobs: the jobs (any hashable keys).
        run: runs one job and returns its result.
        repeat: timed rounds after the warm-up round.
        catch: record a job's exception and skip it from then on, instead of raising.
        keep: keep each job's last result (else it is let go at once).
    """
    out: Interleaved[Job] = Interleaved({job: [] for job in jobs}, {job: [] for job in jobs})
    for round_ in range(repeat + 1):
        shift = round_ % len(jobs)
        for job in [*jobs[shift:], *jobs[:shift]]:
            if job in out.errors:
                continue
            gc.collect()
            started, cpu = time.perf_counter(), time.process_time()
            try:
                result = run(job)
            except Exception as exc:
                if not catch:
                    raise
                out.errors[job] = exc
                print(f"  {job} raises {type(exc).__name__}", file=sys.stderr)
                continue
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            if keep:
                out.results[job] = result
            del result
            if round_ > 0:  # round 0 warms the page cache, imports and thread pool
                out.seconds[job].append(elapsed)
                out.cpu[job].append(cpu)
        print(f"  round {round_}/{repeat} done", file=sys.stderr, flush=True)
    return out


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1) -> str:
    """A plain text table: the first ``left`` columns aligned left, the rest right."""
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in rows if i < len(row)))
        for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i < left else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    text = [line(headers)]
    text.append("-" * len(text[0]))
    text.extend(line(row) for row in rows)
    return "\n".join(text)


def check(name: str, ok: bool, detail: str, *, gating: bool = True) -> bool:
    """Print one PASS/FAIL line; return whether it passed (true if it only informs)."""
    note = "" if gating else " (informational: not the acceptance criterion)"
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}{note}")
    return ok or not gating


def machine(*modules: Any) -> str:
    """The platform, CPU count, load, Python and the given modules' versions."""
    import polars as pl

    versions = "".join(f"; {m.__name__} {m.__version__}" for m in modules)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.platform()}; nproc {os.cpu_count()}; load average {load}; "
        f"python {platform.python_version()}{versions}; "
        f"POLARS_MAX_THREADS={pl.thread_pool_size()}"
    )
