"""What every test folder and the benchmarks share.

The simulator's fixtures (``vbox_simulator/pytest_plugin.py``; only this top-level conftest
may name plugins), and ``socket_enabled`` where no plugin blocks sockets.
"""

from importlib.util import find_spec

import pytest

pytest_plugins = ["vbox_simulator.pytest_plugin"]

if find_spec("pytest_socket") is None:
    # Without Home Assistant's test plugin (the library's and the simulator's tests in a venv
    # of their own), nothing blocks sockets: the tests that ask for them need do nothing.

    @pytest.fixture
    def socket_enabled() -> None:
        """Sockets are allowed."""
