"""The simulator's fixtures, for every test folder and the benchmarks.

See ``vbox_simulator/pytest_plugin.py``. Only this top-level conftest may name plugins.
"""

pytest_plugins = ["vbox_simulator.pytest_plugin"]
