"""A session of the vendor's own client (PyPI ``vitrea-host``) against a host interface.

Run by ``test_vendor_host.py`` with a Python that has ``vitrea_host`` (0.2.3), never imported
by the tests themselves::

    python vendor_session.py HOST PORT TRIES

It does what the vendor's Home Assistant integration does, with the vendor's own classes:

1. its version check (``validate_controller_availability``), ``TRIES`` times, on a socket of
   its own each time;
2. ``connect()``: the database, then a status of every key and AC (``H:NALL:G``), timed;
3. one model per key and AC of its database (the kinds its integration makes entities of),
   each fed the status lines as the integration feeds them, and every command those models
   drive, each followed until the model shows the answer;
4. ``READY`` on stdout, then, once a line comes on stdin (the test pressed keys at the wall
   meanwhile), what the push button and satellite models saw.

It prints one JSON object per phase on stdout; every warning or error the vendor's library
logs is in ``problems``. Every wait has a deadline (:data:`WAIT`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from typing import Any

from vitrea_host import VBoxController
from vitrea_host.control_api.commands import DimmerUpCommand
from vitrea_host.models.blind import Blind
from vitrea_host.models.light import Dimmer
from vitrea_host.models.push_button import PushButton
from vitrea_host.models.satellite import Satellite
from vitrea_host.models.scenario import Scenario
from vitrea_host.models.thermostat import Thermostat
from vitrea_host.models.toggle import Toggle
from vitrea_host.utils.enums import KeyTypes

WAIT = 10.0
"""Seconds any one wait of the session may take."""
UNKNOWN_SCENARIO = 9998
"""Run as a fence: its ``S:R9998:ERROR`` comes after everything the box sent before."""
MODELS: dict[int, type] = {
    **dict.fromkeys(Toggle.supported_key_types, Toggle),
    KeyTypes.Dimmer.value: Dimmer,
    KeyTypes.BlindUp.value: Blind,
    KeyTypes.PushButton.value: PushButton,
    KeyTypes.Satellite.value: Satellite,
}
"""The model the vendor's integration makes of each key type."""


class Problems(logging.Handler):
    """Every warning and error the vendor's library logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.levelname} {record.name}: {record.getMessage()}")


class Hub:
    """What the vendor's integration does with the controller: models fed status lines."""

    def __init__(self, host: str, port: int) -> None:
        self.controller = VBoxController(host, port, status_update_callback=self.route)
        self.keys: dict[tuple[int, int], Any] = {}
        self.acs: dict[int, Thermostat] = {}
        self.history: dict[tuple[int, int], list[Any]] = {}
        self.scenario_results: list[tuple[int, bool]] = []
        self.changed = asyncio.Event()
        self.polls: list[bool] = []
        poll = self.controller.poll_state

        async def recorded_poll() -> bool:
            result: bool = await poll()
            self.polls.append(result)
            return result

        self.controller.poll_state = recorded_poll  # type: ignore[method-assign]

    async def route(self, item: dict[str, Any]) -> None:
        kind = item.get("type")
        if kind == "node_status":
            model = self.keys.get((item["node_id"], item["key"]))
            if model is not None:
                await model.update_state(item)
        elif kind == "ac_status":
            ac = self.acs.get(item["ac_id"])
            if ac is not None:
                await ac.update_state(item)
        elif kind == "scenario_status":
            self.scenario_results.append((item["scenario_id"], item["executed"]))
        self.changed.set()

    def build(self) -> None:
        """One model per key and AC of the database."""
        database = self.controller.database
        for key in database.keys:
            model_class = MODELS.get(key.type.value)
            if model_class is not None:
                model = model_class(
                    node_id=key.keypad_id,
                    key_id=key.id,
                    key_name=key.name,
                    room_name="",
                    controller=self.controller,
                )
                self.keys[key.keypad_id, key.id] = model
                seen: list[Any] = []
                self.history[key.keypad_id, key.id] = seen
                model.register_callback(lambda m=model, seen=seen: seen.append(_state_of(m)))
        for ac in database.air_conditioners:
            self.acs[ac.id] = Thermostat(
                node_id=ac.id,
                key_name=ac.name,
                room_name="",
                controller=self.controller,
                thermostat_type=ac.type,
            )

    async def until(self, what: str, check: Any) -> None:
        """Wait until ``check()`` holds, with a deadline."""
        async with asyncio.timeout(WAIT):
            while not check():
                self.changed.clear()
                await self.changed.wait()
        del what

    async def fence(self) -> None:
        """Until everything the box sent so far has been handled."""
        count = len(self.scenario_results)
        await Scenario(UNKNOWN_SCENARIO, "fence", "", self.controller).run()
        await self.until("the fence", lambda: len(self.scenario_results) > count)

    def first(self, model_class: type, **state: Any) -> Any:
        for model in self.keys.values():
            if type(model) is model_class and all(
                getattr(model, name) == value for name, value in state.items()
            ):
                return model
        msg = f"no {model_class.__name__} with {state}"
        raise LookupError(msg)


def _state_of(model: Any) -> Any:
    if isinstance(model, Dimmer):
        return model.intensity
    if isinstance(model, Blind):
        return model.location
    if isinstance(model, Satellite):
        return model.native_value
    return model.is_on


async def version_checks(host: str, port: int, tries: int) -> list[dict[str, Any]]:
    results = []
    for _ in range(tries):
        try:
            result = await VBoxController.validate_controller_availability(host, port)
        except Exception as err:  # noqa: BLE001 - the tally counts every way it fails
            results.append({"error": f"{type(err).__name__}: {err}"})
        else:
            results.append(result)
    return results


async def drive(hub: Hub) -> list[dict[str, Any]]:
    """Every command the models drive, each until the model shows the answer."""
    steps: list[dict[str, Any]] = []

    async def step(name: str, action: Any, check: Any) -> None:
        try:
            await action
            await hub.until(name, check)
        except Exception as err:  # noqa: BLE001 - reported, the test fails on it
            steps.append({"step": name, "ok": False, "error": f"{type(err).__name__}: {err}"})
        else:
            steps.append({"step": name, "ok": True})

    toggle = hub.first(Toggle, is_on=False)
    await step("toggle on", toggle.turn_on(), lambda: toggle.is_on)
    await step("toggle off", toggle.turn_off(), lambda: toggle.is_on is False)
    await step(  # the minutes left, as the vendor reads them from O:005 (or a boiler's o:005)
        "toggle on for 5 minutes",
        toggle.turn_on(5),
        lambda: toggle.is_on and toggle.countdown_minutes == 5,
    )
    await step("toggle off again", toggle.turn_off(), lambda: toggle.is_on is False)

    dimmer = hub.first(Dimmer, intensity=0)
    await step("dimmer to 40 %", dimmer.set_intensity(40), lambda: dimmer.intensity == 40)
    await step("dimmer off", dimmer.turn_off(), lambda: dimmer.intensity == 0)
    await step("dimmer on at its last", dimmer.turn_on(), lambda: dimmer.intensity == 40)
    await step("dimmer off again", dimmer.turn_off(), lambda: dimmer.intensity == 0)
    up = hub.controller.connection.send(
        DimmerUpCommand(node_id=dimmer.node_id, key_id=dimmer.key_id).serialize()
    )
    await step("dimmer going up", up, lambda: dimmer.intensity > 0)
    await step("dimmer stopped", dimmer.stop(), lambda: True)
    await hub.fence()
    stopped = dimmer.intensity
    await hub.fence()
    steps.append(
        {
            "step": "dimmer stays where it stopped",
            "ok": 0 < stopped < 100 and dimmer.intensity == stopped,
            "level": stopped,
            "address": [dimmer.node_id, dimmer.key_id],
        }
    )

    blind = hub.first(Blind)
    await step("blind to 30 %", blind.set_location(30), lambda: blind.location == 30)
    await step("blind stop", blind.stop(), lambda: blind.location == 30)
    await step("blind up", blind.blind_up(), lambda: blind.location == 100)

    button = hub.first(PushButton)
    await step("push button asked", button.get_state(), lambda: button.is_on is False)
    await step("push button LED on", button.turn_on_indicator(), lambda: button.indicator_value)
    satellite = hub.first(Satellite)
    await step("satellite LED on", satellite.turn_on_indicator(), lambda: satellite.indicator_value)

    ac = next(ac for ac in hub.acs.values() if ac.thermostat_type.value != 4)
    await step("AC off", ac.turn_off(), lambda: ac.is_on is False)
    await step("AC on", ac.turn_on(), lambda: ac.is_on)
    await step("AC to 23", ac.turn_on(temperature=23), lambda: ac.set_temperature == 23)
    await step("AC up a degree", ac.temperature_up(), lambda: ac.set_temperature == 24)
    await step("AC asked", ac.get_state(), lambda: ac.set_temperature == 24)

    scenario_id = min(scenario.id for scenario in hub.controller.database.scenarios)
    done = len(hub.scenario_results)
    await step(
        "scenario",
        Scenario(scenario_id, "", "", hub.controller).run(),
        lambda: (scenario_id, True) in hub.scenario_results[done:],
    )
    await hub.fence()
    steps.append(
        {
            "step": "addresses",
            "ok": True,
            "toggle": [toggle.node_id, toggle.key_id],
            "push_button": [button.node_id, button.key_id],
            "satellite": [satellite.node_id, satellite.key_id],
        }
    )
    return steps


def emit(phase: str, **data: Any) -> None:
    print(json.dumps({"phase": phase, **data}), flush=True)  # noqa: T201 - the report


async def main(host: str, port: int, tries: int) -> None:
    problems = Problems()
    logging.getLogger("vitrea_host").addHandler(problems)
    logging.getLogger("vitrea_host").setLevel(logging.WARNING)

    checks = await version_checks(host, port, tries)
    emit("version", checks=checks, problems=problems.records)
    problems.records.clear()

    hub = Hub(host, port)
    started = time.monotonic()
    await hub.controller.connect(watchdog=False)
    connect_seconds = time.monotonic() - started
    hub.build()
    database = hub.controller.database
    emit(
        "connect",
        seconds=connect_seconds,
        polls=hub.polls,
        keys=len(database.keys),
        acs=len(database.air_conditioners),
        polled_keys=len(database.get_state_activated_ids()["keys"]),
        problems=problems.records,
    )
    problems.records.clear()

    for model in hub.keys.values():  # what the integration reads of each at the start
        await model.get_state()
    await hub.fence()
    steps = await drive(hub)
    emit("commands", steps=steps, problems=problems.records)
    problems.records.clear()

    for history in hub.history.values():
        history.clear()
    print("READY", flush=True)  # noqa: T201 - the test presses keys at the wall now
    async with asyncio.timeout(WAIT * 3):
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await hub.fence()
    emit(
        "presses",
        history={f"{node}/{key}": seen for (node, key), seen in hub.history.items() if seen},
        problems=problems.records,
    )
    await hub.controller.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
