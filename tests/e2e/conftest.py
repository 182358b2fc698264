"""Fixtures of the end-to-end test: the simulator and Home Assistant as real processes, Chromium.

Nothing here runs inside the test process's Home Assistant (the ``hass`` fixture is not used):
``scripts/devtools`` starts the vBox simulator and ``hass`` in a temporary config directory
on free ports of 127.0.0.1, exactly as ``scripts/develop`` does for people, and Playwright
drives the system's Chromium against it. Screenshots and the logs of both processes are kept
in ``artifacts/e2e/`` at the repository root.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from scripts.devtools import client, processes
from tests.e2e.support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    COVERAGE_VARIABLES,
    DEMO_HOUSE,
    HA_PASSWORD,
    HA_START_TIMEOUT,
    HA_USERNAME,
    Screenshots,
    Stack,
    find_chromium,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "report_call", None)
    return report is None or report.failed


@pytest.fixture
def artifacts() -> Path:
    """``artifacts/e2e/``, emptied of what an earlier run left."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.iterdir():
        if old.is_file():
            old.unlink()
    return ARTIFACTS


@pytest.fixture
def screenshots(artifacts: Path) -> Screenshots:
    """Where the test saves its step-by-step screenshots."""
    return Screenshots(artifacts)


@pytest.fixture(autouse=True)
def chromium() -> str:
    """The path of the system's Chromium; without one the test is skipped before anything
    is started (autouse fixtures come first).
    """
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = find_chromium()
    if path is None:
        pytest.skip(
            "no Chromium at /usr/bin/chromium or on PATH (scripts/test installs it with apt-get "
            "when it runs as root; or: apt-get install chromium fonts-liberation)"
        )
    return path


@pytest.fixture
def house() -> dict[str, Any]:
    """The demo house the simulator serves, as its JSON."""
    house: dict[str, Any] = json.loads(DEMO_HOUSE.read_text(encoding="utf-8"))
    return house


@pytest.fixture
def stack(
    socket_enabled: None,
    tmp_path: Path,
    artifacts: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Stack]:
    """The simulator (demo house, host interface, control port) and an onboarded Home
    Assistant, both stopped afterwards; their logs are copied to ``artifacts/e2e/``.
    """
    for variable in COVERAGE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    config = tmp_path / "config"
    processes.prepare_config_dir(config)
    sim: processes.Simulator | None = None
    ha: processes.HomeAssistant | None = None
    try:
        sim = processes.start_simulator(
            port=0,
            control_port=0,
            host_port=0,
            house=DEMO_HOUSE,
            log_path=tmp_path / processes.SIM_LOG,
        )
        assert sim.host_port is not None
        ha = processes.start_home_assistant(config, port=processes.free_port())
        client.wait_until_up(
            ha.url, timeout=HA_START_TIMEOUT, process=ha.process, log_path=ha.log_path
        )
        tokens = client.onboard(ha.url, HA_USERNAME, HA_PASSWORD)
        yield Stack(sim=sim, ha=ha, tokens=tokens, host_port=sim.host_port)
    finally:
        for process in (ha.process if ha else None, sim.process if sim else None):
            if process is not None:
                processes.stop_process(process, timeout=30)
        # The console log holds all of home-assistant.log, and whatever came before it.
        for log in (config / processes.HA_CONSOLE_LOG, tmp_path / processes.SIM_LOG):
            with contextlib.suppress(OSError):
                shutil.copyfile(log, artifacts / log.name)
        if _failed(request) and ha is not None:
            print(f"--- the end of Home Assistant's log ---\n{processes.tail(ha.log_path, 60)}")  # noqa: T201


@pytest.fixture
def page(
    chromium: str, stack: Stack, artifacts: Path, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A Chromium page logged in to Home Assistant as the owner (no login page)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - skipped without it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
            # The frontend keeps its tokens in localStorage; with them there it skips the login.
            tokens = json.dumps(json.dumps(stack.tokens.frontend_storage()))
            context.add_init_script(f"window.localStorage.setItem('hassTokens', {tokens});")
            page = context.new_page()
            yield page
            if _failed(request):
                with contextlib.suppress(Exception):
                    page.screenshot(path=artifacts / "failure.png")
            context.close()
        finally:
            browser.close()
