"""What the end-to-end test and its fixtures share: paths, Chromium, the running stack."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scripts.devtools import client, processes

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "e2e"
DEMO_HOUSE = REPO / "vbox_simulator" / "demo_house.json"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium",)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
HA_START_TIMEOUT = 300.0
"""Seconds: the first start in a fresh venv installs the frontend from PyPI."""
HA_USERNAME = "demo"
HA_PASSWORD = "demo"
# pytest-cov measures subprocesses through these variables. Home Assistant and the simulator
# run unmeasured, so that the coverage figure does not depend on whether a browser is present.
COVERAGE_VARIABLES = (
    "COV_CORE_SOURCE",
    "COV_CORE_CONFIG",
    "COV_CORE_DATAFILE",
    "COV_CORE_BRANCH",
    "COV_CORE_CONTEXT",
)


def find_chromium() -> str | None:
    """The system's Chromium (Playwright's own browser download does not work here)."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


@dataclass
class Screenshots:
    """Numbered screenshots of the steps, in ``artifacts/e2e/``."""

    directory: Path
    taken: list[Path] = field(default_factory=list)

    def take(self, page: Page, name: str, *, full_page: bool = False) -> Path:
        """Save what the page shows now as ``NN-name.png`` (``full_page``: all of it)."""
        path = self.directory / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=path, animations="disabled", full_page=full_page)
        self.taken.append(path)
        return path


@dataclass
class Stack:
    """The running simulator (both interfaces) and Home Assistant, and the owner's tokens."""

    sim: processes.Simulator
    ha: processes.HomeAssistant
    tokens: client.Tokens
    host_port: int
    """The port of the simulator's host interface (the form's "Host interface port")."""

    @property
    def url(self) -> str:
        """Home Assistant's URL."""
        return self.ha.url

    @property
    def token(self) -> str:
        """An access token of the owner."""
        return self.tokens.access_token
