"""Upstream vitrea-client (TypeScript, ``bdsoha/vitrea-client``) on the same work as ours.

The work is a cold start of the demo house over VTU: log in, read the rooms, the nodes and
every key's parameters, then the status of the keys that have one (the 74 our library reads,
the stateful kinds; not all 107). ``upstream_discovery.mjs`` does it with upstream's
client, one request at a time at upstream's pacing (its ``requestBuffer``: 250 ms ± 15 %
after every request by default), against the simulator's VTU port, service time 0; each
run gets a fresh simulator. It runs at upstream's default gap and at ours (100 ms), so the
ratio to our VTU-only cold start can be read at equal pacing too. The *floor* beside each is
the VTU requests the simulator received (heartbeats aside) times the gap.

Upstream is installed outside the repository, in ``VITREA_UPSTREAM_CACHE`` (default
``~/.cache/vitrea-benchmarks/upstream``): from npm (``vitrea-client``) where the registry
has it, else built from a checkout of its source named by ``VITREA_UPSTREAM_SOURCE`` (its
runtime dependencies and esbuild from npm, bundled into one module). Without node and npm,
or without either source, the benchmark skips itself and says why.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.report import Load, record, spread
from custom_components.vitrea.vbox import CommandID
from custom_components.vitrea.vbox.topology import STATEFUL_KINDS, KeyInfo
from vbox_simulator import VBoxSimulator, load_demo_house
from vbox_simulator.pytest_plugin import PASSWORD, USERNAME, SimFactory

PACKAGE = "vitrea-client@0.1.1"
CACHE = Path(
    os.environ.get("VITREA_UPSTREAM_CACHE", Path.home() / ".cache/vitrea-benchmarks/upstream")
)
DRIVER = Path(__file__).parent / "upstream_discovery.mjs"
RUNS = int(os.environ.get("VITREA_BENCH_VTU_RUNS", "3"))
"""Runs per gap (a minute each at upstream's 250 ms)."""
GAPS = {"upstream's default, 250 ms": 250, "ours, 100 ms": 100}


def _npm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - npm, found on PATH, with fixed arguments
        [shutil.which("npm") or "npm", "--loglevel=error", "--no-fund", "--no-audit", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _from_npm() -> tuple[Path, str] | None:
    """Upstream's package from npm, installed into the cache; ``None`` where npm lacks it."""
    module = CACHE / "npm/node_modules/vitrea-client/dist/index.js"
    if not module.exists():
        (CACHE / "npm").mkdir(parents=True, exist_ok=True)
        if _npm("install", "--prefix", str(CACHE / "npm"), PACKAGE).returncode != 0:
            return None
    return module, f"{PACKAGE} from npm"


def _from_source(source: Path) -> tuple[Path, str]:
    """Upstream built from a checkout of its source: its dependencies and esbuild from npm."""
    manifest = json.loads((source / "package.json").read_text(encoding="utf-8"))
    label = f"vitrea-client {manifest['version']}, built from its source"
    build = CACHE / "source"
    module = build / "vitrea-client.mjs"
    stamp = f"{label}: {source.resolve()}"
    if (build / "stamp.txt").exists() and (build / "stamp.txt").read_text() == stamp:
        return module, label
    build.mkdir(parents=True, exist_ok=True)
    dependencies = [f"{name}@{spec}" for name, spec in manifest["dependencies"].items()]
    installed = _npm("install", "--prefix", str(build), "esbuild", *dependencies)
    if installed.returncode != 0:
        pytest.skip(f"npm could not install upstream's dependencies: {installed.stderr[-500:]}")
    bundled = subprocess.run(  # noqa: S603 - the esbuild npm just installed
        [
            str(build / "node_modules/.bin/esbuild"),
            str(source / "src/index.ts"),
            "--bundle",
            "--packages=external",
            "--platform=node",
            "--format=esm",
            "--target=node20",
            f"--outfile={module}",
            "--log-level=error",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if bundled.returncode != 0:
        pytest.skip(f"esbuild could not bundle upstream's source: {bundled.stderr[-500:]}")
    (build / "stamp.txt").write_text(stamp)
    return module, label


@pytest.fixture(scope="session")
def upstream() -> tuple[Path, str]:
    """Upstream's module to import, and where it came from; skips where it cannot be had."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are not installed: upstream vitrea-client cannot run")
    found = _from_npm()
    if found is not None:
        return found
    source = os.environ.get("VITREA_UPSTREAM_SOURCE")
    if source:
        return _from_source(Path(source))
    pytest.skip(
        f"npm has no {PACKAGE} here, and VITREA_UPSTREAM_SOURCE (a checkout of "
        "bdsoha/vitrea-client) is not set"
    )


def stateful_keys(simulator: VBoxSimulator) -> list[list[int]]:
    """The keys that have a status, as our library tells them (74 in the demo house)."""
    return [
        [node.id, key.id]
        for node in simulator.house.nodes
        for key in node.keys
        if KeyInfo(node.id, key.id, int(key.type), int(key.category), key.name).kind
        in STATEFUL_KINDS
    ]


async def run_upstream(module: Path, simulator: VBoxSimulator, gap_ms: int) -> dict[str, object]:
    """One run of the driver against ``simulator``; its JSON line."""
    arguments = {
        "module": str(module),
        "host": "127.0.0.1",
        "port": simulator.port,
        "username": USERNAME,
        "password": PASSWORD,
        "gapMs": gap_ms,
        "keys": stateful_keys(simulator),
    }
    process = await asyncio.create_subprocess_exec(
        shutil.which("node") or "node",
        str(DRIVER),
        json.dumps(arguments),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(600):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()[-2000:]
    result: dict[str, object] = json.loads(out.decode().strip().splitlines()[-1])
    assert result["statuses"] == len(arguments["keys"]), result
    return result


@pytest.mark.parametrize("gap", list(GAPS))
@pytest.mark.timeout(1800)
async def test_upstream_cold_start(
    make_sim: SimFactory, upstream: tuple[Path, str], gap: str
) -> None:
    """Upstream's cold start of the demo house, reading the 74 keys' statuses."""
    module, label = upstream
    load = Load()
    seconds, requests = [], []
    for _ in range(RUNS):
        simulator = await make_sim(load_demo_house(), service_time=0.0, host_port=None)
        result = await run_upstream(module, simulator, GAPS[gap])
        seconds.append(float(result["seconds"]))  # type: ignore[arg-type]
        requests.append(len([r for r in simulator.requests if r.command != CommandID.HEARTBEAT]))
        await simulator.stop()
    counts = sorted(set(requests))
    floor = counts[0] * GAPS[gap] / 1000
    record(
        f"upstream ({label}), gap {gap}: cold start, 74 key statuses",
        f"every state known {spread(seconds)}; "
        f"{'-'.join(map(str, (counts[0], counts[-1]))) if len(counts) > 1 else counts[0]} "
        f"VTU requests, floor {floor:.2f} s",
        load,
    )
