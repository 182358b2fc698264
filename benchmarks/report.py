"""The benchmarks' results table: one row per figure, each with its spread and the load.

Every figure is given as min/median/max over its runs (``n``), with the machine's 1-minute
load average (``os.getloadavg()``) when the benchmark started and when it ended: the machine
is shared, and a figure means little without it. The table is written to
``benchmarks/results.md`` at the end of the session, headed by the machine and the command.
"""

from __future__ import annotations

import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = Path(__file__).parent / "results.md"
ROWS: list[str] = []


def load() -> float:
    """The machine's load average over the last minute."""
    return os.getloadavg()[0]


@dataclass
class Load:
    """The 1-minute load average at the start of a benchmark and at its end."""

    start: float = field(default_factory=load)

    def __str__(self) -> str:
        return f"{self.start:.2f} -> {load():.2f}"


def spread(samples: list[float], unit: str = "s", scale: float = 1.0, digits: int = 2) -> str:
    """``min/**median**/max unit (n=N)`` of ``samples`` (each multiplied by ``scale``)."""
    values = sorted(sample * scale for sample in samples)
    low, mid, high = values[0], statistics.median(values), values[-1]
    return f"{low:.{digits}f}/**{mid:.{digits}f}**/{high:.{digits}f} {unit} (n={len(values)})"


def ms(samples: list[float]) -> str:
    """``spread`` in milliseconds, one decimal."""
    return spread(samples, "ms", 1000, 1)


def record(name: str, result: str, load_: Load) -> None:
    """Add a row to the results table (and print it)."""
    ROWS.append(f"| {name} | {result} | {load_} |")
    print(f"\n{name}: {result}; {load_}")


def command() -> str:
    """The command that ran the benchmarks (``scripts/benchmark`` passes its own)."""
    return os.environ.get("VITREA_BENCH_COMMAND") or shlex.join(["pytest", *sys.argv[1:]])


def commit() -> str:
    """The commit measured: ``VITREA_BENCH_COMMIT``, else the work tree's (``+`` if changed)."""
    if named := os.environ.get("VITREA_BENCH_COMMIT"):
        return named
    root = Path(__file__).parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head} with uncommitted changes" if changed else head


def write_results() -> None:
    """Write the rows to ``benchmarks/results.md`` and print the table."""
    if not ROWS:
        return
    machine = (
        f"{platform.node()}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {machine}, commit {commit()}, by\n\n"
        f"    {command()}\n\n"
        "Figures: min/**median**/max (n runs); load: the 1-minute load average at the "
        "benchmark's start -> end.\n\n"
        "| benchmark | result | load |\n|---|---|---|\n"
    )
    RESULTS.write_text(header + "\n".join(ROWS) + "\n", encoding="utf-8")
    print("\n" + header + "\n".join(ROWS))
