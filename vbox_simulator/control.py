"""The simulator's control interface: one text command per line, one JSON answer per line.

Commands (over TCP, e.g. ``nc 127.0.0.1 11600``)::

    state [NODE]                   every key (of NODE)  {"ok": true, "keys": [...], "acs": [...]}
    set NODE KEY on|off|LEVEL      a change at the wall {"ok": true, "key": {...}}
    press NODE KEY short|long|release                   {"ok": true}
    fault NAME [ARG]               see faults.NAMES     {"ok": true, "faults": {...}}
    host-fault NAME [ARG [ARG]]    see faults.HOST_NAMES {"ok": true, "host_faults": {...}}
    ac ID on|off|mode=M|fan=F|setpoint=N|measured=N ... {"ok": true, "ac": {...}}
    outage SECONDS|on|off          the box unreachable  {"ok": true, "listening": false, ...}
    stats                          counters             {"ok": true, "stats": {...}}
    help                           this list            {"ok": true, "commands": [...]}

A blind travels to the position it is ``set`` to, its positions pushed as it goes; in
``state`` its ``level`` is where it is and ``target`` where it is heading (``null``: it
stands), and ``led`` its LED (set over the host interface). ``ac`` changes an AC at the unit
(pushed to the host clients).

During an outage the vBox port refuses connections (the client is dropped) while the box goes
on inside: keys, timers, changes at the wall; this interface stays up. ``outage SECONDS``
ends by itself, ``outage on`` lasts until ``outage off``.

Anything the simulator cannot do is answered ``{"ok": false, "error": "..."}``. Several
control clients may be connected at once.

Run as a program, it sends one command and prints the answer::

    python -m vbox_simulator.control --port 11600 set 3 0 on
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from contextlib import suppress
from typing import Any, Self

from .faults import HOST_NAMES, NAMES, FaultError
from .house import HouseError
from .server import NoClientError, VBoxSimulator

_LOGGER = logging.getLogger("vbox_simulator")

type Answer = dict[str, Any]

SEND_TIMEOUT = 10.0
"""Seconds :func:`send_command` waits for the connection and the answer."""

MAX_OUTAGE = 86_400.0
"""The longest timed outage, in seconds (``outage on`` has no end)."""

COMMANDS = {
    "state [NODE]": "every key with its state (a blind's target, its LED), or those of one "
    "node, and every AC",
    "set NODE KEY on|off|LEVEL": "a change at the wall (LEVEL 0-100), pushed; a blind travels",
    "press NODE KEY short|long|release": "a press at the wall",
    f"fault {'|'.join(name.split()[0] for name in NAMES)} [ARG]": "misbehave, until fault reset",
    f"host-fault {'|'.join(name.split()[0] for name in HOST_NAMES)} [ARG [ARG]]": (
        "misbehave on the host interface, until host-fault reset"
    ),
    "ac ID on|off|mode=M|fan=F|setpoint=N|measured=N ...": "a change at an AC unit, pushed",
    "outage SECONDS|on|off": "the vBox unreachable for SECONDS, or from on until off",
    "stats": "connection, login, request and push counters",
    "help": "this list",
}
"""Every command, with what it does (``help`` answers the commands alone)."""


class CommandError(ValueError):
    """A control command is malformed."""


def _integer(what: str, word: str) -> int:
    try:
        return int(word)
    except ValueError:
        msg = f"{what} must be a whole number, got {word!r}"
        raise CommandError(msg) from None


def _arguments(words: list[str], count: int, usage: str) -> list[str]:
    if len(words) != count:
        msg = f"usage: {usage}"
        raise CommandError(msg)
    return words


class ControlServer:
    """Serves the control interface of one simulator."""

    def __init__(self, simulator: VBoxSimulator, *, host: str = "127.0.0.1", port: int = 0) -> None:
        """Prepare the interface; nothing listens before :meth:`start`."""
        self.simulator = simulator
        self.host = host
        self._port = port
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._outage_end: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        """The port listened on."""
        return self._port

    async def start(self) -> None:
        """Listen."""
        self._server = await asyncio.start_server(self._handle, self.host, self._port)
        self._port = self._server.sockets[0].getsockname()[1]
        _LOGGER.info("Control interface listening on %s:%d", self.host, self._port)

    async def stop(self) -> None:
        """Disconnect every control client and stop listening."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        self._end_outage_timer()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()

    async def __aenter__(self) -> Self:
        """Start listening."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop listening."""
        await self.stop()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:  # pragma: no branch - always run as a task by asyncio
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        try:
            while True:
                try:
                    line = await reader.readline()
                except ValueError:  # a line longer than the reader's limit
                    await _answer(writer, {"ok": False, "error": "line too long"})
                    return
                if not line:
                    return
                await _answer(writer, await self.execute(line.decode("utf-8", errors="replace")))
        except OSError:
            return
        finally:
            writer.close()
            with suppress(OSError):
                await writer.wait_closed()

    async def execute(self, line: str) -> Answer:
        """Carry out one command line and return its answer."""
        words = line.split()
        try:
            return await self._execute(words)
        except (CommandError, FaultError, NoClientError, HouseError) as err:
            return {"ok": False, "error": str(err)}
        except KeyError as err:  # unknown node or key
            return {"ok": False, "error": str(err.args[0])}

    async def _execute(self, words: list[str]) -> Answer:  # noqa: PLR0911, PLR0912 - one per command
        if not words:
            msg = "empty command; try help"
            raise CommandError(msg)
        command, arguments = words[0].lower(), words[1:]
        sim = self.simulator
        match command:
            case "state":
                if len(arguments) > 1:
                    msg = "usage: state [NODE]"
                    raise CommandError(msg)
                keys = sim.state(led=True)
                if arguments:
                    node_id = sim.house.node(_integer("NODE", arguments[0])).id
                    keys = [each for each in keys if each["node"] == node_id]
                return {"ok": True, "keys": keys, "acs": sim.ac_state()}
            case "set":
                node, key, value = _arguments(arguments, 3, "set NODE KEY on|off|LEVEL")
                on, level = _switch(value)
                state = await sim.set_key(_integer("NODE", node), _integer("KEY", key), on, level)
                return {"ok": True, "key": state}
            case "press":
                node, key, kind = _arguments(arguments, 3, "press NODE KEY short|long|release")
                if kind not in ("short", "long", "release"):
                    msg = f"press kind must be short, long or release, got {kind!r}"
                    raise CommandError(msg)
                await sim.press(_integer("NODE", node), _integer("KEY", key), kind)
                return {"ok": True}
            case "fault":
                if not 1 <= len(arguments) <= 2:
                    msg = "usage: fault NAME [ARG]"
                    raise CommandError(msg)
                await sim.inject(*arguments)
                return {"ok": True, "faults": sim.faults.as_dict()}
            case "host-fault" | "host_fault":
                return await self._host_fault(arguments)
            case "ac":
                return await self._ac(arguments)
            case "outage":
                (length,) = _arguments(arguments, 1, "outage SECONDS|on|off")
                return await self._outage(length)
            case "stats":
                _arguments(arguments, 0, "stats")
                return {"ok": True, "stats": _stats(sim)}
            case "help":
                return {"ok": True, "commands": list(COMMANDS)}
        names = ", ".join(syntax.split()[0] for syntax in COMMANDS)
        msg = f"unknown command {command!r}; commands: {names}"
        raise CommandError(msg)

    async def _host_fault(self, arguments: list[str]) -> Answer:
        if not 1 <= len(arguments) <= 3:
            msg = "usage: host-fault NAME [ARG [ARG]]"
            raise CommandError(msg)
        await self.simulator.inject_host(*arguments)
        return {"ok": True, "host_faults": self.simulator.host_faults.as_dict()}

    async def _ac(self, arguments: list[str]) -> Answer:
        if len(arguments) < 2:
            msg = "usage: ac ID on|off|mode=M|fan=F|setpoint=N|measured=N ..."
            raise CommandError(msg)
        ac_id = _integer("ID", arguments[0])
        changes = _ac_changes(arguments[1:])
        return {"ok": True, "ac": await self.simulator.set_ac(ac_id, **changes)}

    async def _outage(self, length: str) -> Answer:
        """Unplug the box for ``length`` seconds, or from ``on`` until ``off``."""
        seconds = _outage_seconds(length)
        self._end_outage_timer()
        if length.lower() == "off":
            try:
                await self.simulator.start()
            except OSError as err:  # the port was taken meanwhile
                msg = f"the vBox cannot listen again on port {self.simulator.port}: {err}"
                raise CommandError(msg) from None
        else:
            await self.simulator.unplug()
        if seconds is not None:
            self._outage_end = asyncio.get_running_loop().create_task(
                self._end_outage(seconds), name="vbox simulator outage end"
            )
        return {"ok": True, "listening": self.simulator.running, "back_in": seconds}

    async def _end_outage(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self._outage_end = None
        try:
            await self.simulator.start()
        except OSError as err:
            _LOGGER.warning("The vBox cannot listen again on port %d: %s", self.simulator.port, err)

    def _end_outage_timer(self) -> None:
        task, self._outage_end = self._outage_end, None
        if task is not None:
            task.cancel()


def _outage_seconds(length: str) -> float | None:
    """The seconds of ``outage SECONDS``; ``None`` for ``on`` and ``off``."""
    if length.lower() in ("on", "off"):
        return None
    try:
        seconds = float(length)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= MAX_OUTAGE:  # also NaN
        msg = f"outage takes on, off or seconds between 0 and {MAX_OUTAGE:g}, got {length!r}"
        raise CommandError(msg)
    return seconds


def _ac_changes(words: list[str]) -> dict[str, Any]:
    """``on``, ``off``, ``mode=M``, ``fan=F``, ``setpoint=N``, ``measured=N``."""
    changes: dict[str, Any] = {}
    for word in words:
        name, _, value = word.lower().partition("=")
        if name in ("on", "off") and not value:
            changes["on"] = name == "on"
        elif name in ("mode", "fan") and value:
            changes[name] = value
        elif name in ("setpoint", "measured") and value:
            changes[name] = _integer(name.upper(), value)
        else:
            msg = f"an AC change is on, off, mode=M, fan=F, setpoint=N or measured=N, got {word!r}"
            raise CommandError(msg)
    return changes


def _switch(value: str) -> tuple[bool | None, int | None]:
    """``on``, ``off`` or a level 0-100."""
    match value.lower():
        case "on":
            return True, None
        case "off":
            return False, None
    level = _integer("LEVEL", value)
    if not 0 <= level <= 100:
        msg = f"LEVEL must be between 0 and 100, got {level}"
        raise CommandError(msg)
    return None, level


def _stats(sim: VBoxSimulator) -> dict[str, Any]:
    return {
        "listening": sim.running,
        "client_connected": sim.client_connected,
        "client_logged_in": sim.client_logged_in,
        "connections": sim.connections,
        "refused_connections": sim.refused_connections,
        "idle_disconnects": sim.idle_disconnects,
        "logins": sim.logins,
        "failed_logins": sim.failed_logins,
        "requests": len(sim.requests),
        "pushes": sim.pushes,
        "host_listening": sim.host_server.running,
        "host_clients": sim.host_server.connected,
        "host_connections": sim.host_server.connections,
        "host_refused_connections": sim.host_server.refused_connections,
        "host_idle_disconnects": sim.host_server.idle_disconnects,
        "host_lines": len(sim.host_server.received),
        "host_pushes": sim.host_server.pushes,
    }


async def _answer(writer: asyncio.StreamWriter, answer: Answer) -> None:
    writer.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
    await writer.drain()


async def send_command(host: str, port: int, line: str) -> Answer:
    """Send one command line to a control interface and return its answer.

    Raises:
        TimeoutError: no answer within ``SEND_TIMEOUT`` seconds.
    """
    try:
        async with asyncio.timeout(SEND_TIMEOUT):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(line.encode() + b"\n")
                await writer.drain()
                answer: Answer = json.loads(await reader.readline())
            finally:
                writer.close()
                with suppress(OSError):
                    await writer.wait_closed()
    except TimeoutError:
        msg = f"no answer within {SEND_TIMEOUT} s"
        raise TimeoutError(msg) from None
    return answer


def main(argv: list[str] | None = None) -> int:
    """Send the command given on the command line; exit status 0 if it succeeded."""
    parser = argparse.ArgumentParser(
        prog="python -m vbox_simulator.control",
        description="Send one command to the control interface of a vBox simulator.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("command", nargs="+", help="e.g. state | set 3 0 on | outage 30")
    args = parser.parse_args(argv)
    try:
        answer = asyncio.run(send_command(args.host, args.port, " ".join(args.command)))
    except (OSError, ValueError) as err:
        sys.stderr.write(f"cannot reach the control interface: {err}\n")
        return 2
    sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    return 0 if answer.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
