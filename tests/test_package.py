"""The standalone protocol package: built from the vendored sources, usable on its own."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from vbox_simulator import House, load_demo_house
from vbox_simulator.pytest_plugin import SimFactory

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "custom_components" / "vitrea" / "vbox"
UNMEASURED = {k: v for k, v in os.environ.items() if not k.startswith("COV_CORE_")}
"""The environment of this test's subprocesses: pytest-cov would measure the copies of the
sources they load, and count them as untested files."""
SMALL_HOUSE = 3
"""How many of the demo house's nodes the README example reads."""

# Runs in a separate interpreter that sees only the unpacked wheel, not this repository.
STANDALONE_SCRIPT = """
import asyncio, sys
import vitrea_client
from vitrea_client import ConnectionConfig, SocketConfig, VitreaClient, requests

assert vitrea_client.__file__.startswith(sys.argv[2]), vitrea_client.__file__
assert vitrea_client.client.LOGGER.name == "vitrea_client"

async def main() -> None:
    client = VitreaClient(
        ConnectionConfig(host="127.0.0.1", port=int(sys.argv[1]), username="admin", password="pw"),
        SocketConfig(request_gap=0, reconnect=False),
    )
    await client.connect()
    nodes = await client.send(requests.NodeCount())
    meta = await client.send(requests.NodeMetaData(node_id=nodes.node_ids[0]))
    print(nodes.total, meta.model)
    await client.disconnect()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build from a copy of what packaging reads, so the build leaves nothing in the repo."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        CORE, source / CORE.relative_to(ROOT), ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        cwd=source,
        env=UNMEASURED,
        timeout=300,
    )
    return out


def readme_example() -> str:
    """The first Python example of the package's README, as written."""
    readme = (CORE / "README.md").read_text(encoding="utf-8")
    return readme.split("```python\n", 1)[1].split("```", 1)[0]


def test_wheel_holds_exactly_the_core(dist: Path) -> None:
    (wheel,) = dist.glob("vitrea_client-0.1.0-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    modules = {path.relative_to(CORE).as_posix() for path in CORE.rglob("*.py")}
    assert "host/__init__.py" in modules
    assert {f"vitrea_client/{name}" for name in modules} | {"vitrea_client/py.typed"} <= names
    assert {name.split("/")[0] for name in names} == {
        "vitrea_client",
        "vitrea_client-0.1.0.dist-info",
    }


def test_sdist_builds_from_the_same_sources(dist: Path) -> None:
    (sdist,) = dist.glob("vitrea_client-0.1.0.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    for module in CORE.rglob("*.py"):
        path = module.relative_to(CORE).as_posix()
        assert f"vitrea_client-0.1.0/custom_components/vitrea/vbox/{path}" in names


@pytest.fixture
def site(dist: Path, tmp_path: Path) -> Path:
    """The wheel unpacked, as an installer would put it into site-packages."""
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")  # noqa: S202 - our own wheel
    return tmp_path / "site"


async def test_standalone_package_talks_to_a_vbox(
    site: Path, tmp_path: Path, make_sim: SimFactory
) -> None:
    sim = await make_sim(username="admin", password="pw")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-I",  # isolated: neither this repository nor PYTHONPATH is importable
        "-c",
        f"import sys; sys.path.insert(0, {str(site)!r}); exec({STANDALONE_SCRIPT!r})",
        str(sim.port),
        str(site),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
        env=UNMEASURED,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    first = sim.house.nodes[0]
    assert stdout.decode().split() == [str(len(sim.house.nodes)), first.model]


async def test_the_readme_example_runs_unchanged_against_a_vbox(
    site: Path, tmp_path: Path, make_sim: SimFactory
) -> None:
    """Named by the environment, the simulated house is discovered and printed.

    The demo house's first nodes (Hebrew names included): the whole demo house takes the
    example a minute over VTU, which shows nothing more.
    """
    demo = load_demo_house().to_dict()
    first_nodes = House.from_dict({"rooms": demo["rooms"], "nodes": demo["nodes"][:SMALL_HOUSE]})
    sim = await make_sim(first_nodes, username="admin", password="pw")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-I",
        "-c",
        f"import sys; sys.path.insert(0, {str(site)!r}); exec({readme_example()!r})",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
        env=UNMEASURED
        | {
            "VITREA_VBOX_HOST": "127.0.0.1",
            "VITREA_VBOX_PORT": str(sim.port),
            "VITREA_VBOX_USERNAME": "admin",
            "VITREA_VBOX_PASSWORD": "pw",
        },
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, stderr.decode()
    lines = stdout.decode().splitlines()
    house = sim.house
    assert len(lines) == len(house.nodes) + house.key_count
    for node in house.nodes:
        assert f"{house.room(node.room_id).name}: node {node.id} {node.model}" in lines
    for node in house.nodes:
        for key in node.keys:
            assert any(f"Key({node.id}/{key.id} {key.name!r}" in line for line in lines)
    spots = house.key(3, 0)
    assert any(
        line.strip().startswith(f"Key(3/0 {spots.name!r} dimmer on {spots.level})")
        for line in lines
    )
