"""The simulator's modules import one another without a circle, and nothing of the product.

Every relative import counts, wherever it stands (in a function, under ``TYPE_CHECKING``), so
a circle hidden behind a lazy import fails too.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import vbox_simulator

PACKAGE_NAME = "vbox_simulator"
PACKAGE = Path(vbox_simulator.__file__).parent
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))


def imported(tree: ast.Module) -> set[str]:
    """The package's modules a module's code imports, relatively or by the package's name.

    ``from vbox_simulator import X`` counts as importing ``__init__``.
    """
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and module:
                found.add(module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif module == PACKAGE_NAME:
                found.add("__init__")
            elif module.startswith(f"{PACKAGE_NAME}."):
                found.add(module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith(f"{PACKAGE_NAME}.")
            )
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    """Each module of ``package`` with the package's modules it imports."""
    return {
        path.stem: imported(ast.parse(path.read_text(encoding="utf-8")))
        for path in package.glob("*.py")
    }


def test_the_import_graph_has_no_circle() -> None:
    graph = import_graph(PACKAGE)
    assert set(graph) == set(MODULES)
    assert "engine" in graph["server"]  # the graph is read: the facade imports the engine
    assert "host_server" not in graph["engine"]
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as err:
        pytest.fail(f"import circle in vbox_simulator: {' -> '.join(err.args[1])}")
    assert order.index("engine") < order.index("server")


def test_a_circle_is_found(tmp_path: Path) -> None:
    """The check can fail: two modules importing each other, one lazily, are a circle."""
    (tmp_path / "a.py").write_text("from .b import B\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from .a import A\n", encoding="utf-8")
    (tmp_path / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n",
        encoding="utf-8",
    )
    graph = import_graph(tmp_path)
    assert graph == {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    with pytest.raises(CycleError):
        list(TopologicalSorter(graph).static_order())


def test_absolute_imports_of_the_package_count() -> None:
    tree = ast.parse(
        "import vbox_simulator.engine\nfrom vbox_simulator.house import House\n"
        "from vbox_simulator import VBoxSimulator\nimport asyncio\nfrom .. import other\n"
    )
    assert imported(tree) == {"engine", "house", "__init__"}


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_alone(module: str) -> None:
    """In a fresh interpreter, each module imports first, and nothing of the product comes."""
    name = "vbox_simulator" if module == "__init__" else f"vbox_simulator.{module}"
    code = (
        "import sys, importlib\n"
        f"importlib.import_module({name!r})\n"
        "product = ('custom_components', 'vitrea_client')\n"
        "assert not [m for m in sys.modules if m.startswith(product)]\n"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_package_reexports_what_it_did() -> None:
    server = importlib.import_module("vbox_simulator.server")
    for name in ("VBoxSimulator", "NoClientError", "ReceivedRequest", "DEFAULT_BLIND_TRAVEL"):
        assert hasattr(server, name)
