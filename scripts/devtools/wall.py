"""``scripts/wall``: act at the walls of the simulated house, and the tests' control client.

The simulator's control interface (``vbox_simulator/control.py``) takes one text command per
line and answers each with one line of JSON. :func:`send` and :func:`control` send one
command over a plain socket (the browser test cannot use asyncio: Playwright's sync API keeps
an event loop running in its thread); :func:`main` is ``scripts/wall``, which prints the
answers for people: ``state`` one key per line, ``--json`` the answer as it came.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from typing import TYPE_CHECKING, Any

from . import DevelopError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 11600
HOST_ENV = "VITREA_CONTROL_HOST"
PORT_ENV = "VITREA_CONTROL_PORT"
TIMEOUT = 10.0
"""Seconds for the connection and the answer."""
MOMENTARY = frozenset({"push_button", "satellite"})
"""Kinds of key that are pressed, never switched: no state to show."""
LEVELLED = ("dimmer", "blind")
"""Kinds of key (by how their names start) whose level means something: brightness, position."""
HEADER = ("node/key", "name", "kind", "state", "level")
UNREACHABLE = 2
"""The exit status when nothing answers on the control port."""


def send(host: str, port: int, line: str, *, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Send one command line; the answer, whether it succeeded or not.

    Raises:
        OSError: no connection, or no answer within ``timeout`` seconds.
        ValueError: the answer is not a line of JSON.

    """
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(line.encode() + b"\n")
        with conn.makefile("rb") as answers:
            answer = json.loads(answers.readline())
    if not isinstance(answer, dict):
        msg = f"not an answer of the control interface: {answer!r}"
        raise ValueError(msg)  # noqa: TRY004 - what json.loads raises for a bad answer too
    return answer


def control(host: str, port: int, line: str) -> dict[str, Any]:
    """Send one command line; its answer, which must be ok.

    Raises:
        DevelopError: the simulator refused the command (the message is its error).
        OSError: no connection, or no answer.

    """
    answer = send(host, port, line)
    if not answer.get("ok"):
        msg = f"{line!r}: {answer.get('error', answer)}"
        raise DevelopError(msg)
    return answer


def key_state(host: str, port: int, node: int, key: int) -> dict[str, Any]:
    """A key as the simulator holds it: ``{node, key, type, name, on, level}``.

    Raises:
        DevelopError: no such node or key.

    """
    for state in control(host, port, f"state {node}")["keys"]:
        if state["key"] == key:
            found: dict[str, Any] = state
            return found
    msg = f"node {node} has no key {key}"
    raise DevelopError(msg)


# -- what people read ----------------------------------------------------------------------


def _state(key: Mapping[str, Any]) -> tuple[str, str]:
    """The state and level columns of a key."""
    kind = str(key["type"])
    if kind in MOMENTARY:
        return "-", ""
    state = ("open" if key["on"] else "closed") if kind.startswith("blind") else None
    state = state or ("on" if key["on"] else "off")
    level = f"{key['level']} %" if kind.startswith(LEVELLED) else ""
    if key.get("target") is not None:  # a blind on its way
        level += f", moving to {key['target']} %"
    return state, level


def key_lines(keys: Iterable[Mapping[str, Any]]) -> list[str]:
    """Keys as a table: a header, then one key per line (node/key, name, kind, state, level)."""
    rows = [HEADER]
    rows += [(f"{k['node']}/{k['key']}", str(k["name"]), str(k["type"]), *_state(k)) for k in keys]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
    return [
        "  ".join(f"{cell:<{width}}" for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "-" if value is None else str(value)


def _outage_lines(answer: Mapping[str, Any]) -> list[str]:
    if answer["listening"]:
        return [
            "the vBox listens again; Home Assistant reconnects by itself (within a few seconds)"
        ]
    until = "`scripts/wall outage off`"
    if answer.get("back_in") is not None:
        until = f"{answer['back_in']:g} s have passed (or `scripts/wall outage off`)"
    return [f"the vBox is unreachable until {until}; this control port stays up"]


def answer_lines(words: Sequence[str], answer: Mapping[str, Any]) -> list[str]:
    """A successful answer to the command ``words``, as lines for people."""
    command = words[0].lower() if words else ""
    if "keys" in answer:
        return key_lines(answer["keys"])
    if "key" in answer:
        return key_lines([answer["key"]])
    if command == "outage":
        return _outage_lines(answer)
    if command == "press" and len(words) == 4:
        return [f"pressed {words[1]}/{words[2]}: {words[3]}"]
    lines: list[str] = []
    for name, value in answer.items():
        if isinstance(value, dict):  # stats, faults
            lines += [f"{key}: {_value(item)}" for key, item in value.items()]
        elif name != "ok":
            lines.append(f"{name}: {_value(value)}")
    return lines or ["ok"]


# -- the command ---------------------------------------------------------------------------


def _commands() -> Mapping[str, str]:
    """The simulator's commands with what each does (its module imports asyncio: only here)."""
    from vbox_simulator.control import COMMANDS  # noqa: PLC0415

    return COMMANDS


def parser() -> argparse.ArgumentParser:
    """The command line of ``scripts/wall``."""
    epilog = "commands (sent to the simulator's control interface):\n"
    for syntax, what in _commands().items():
        # A syntax too long for the column (fault's) puts its description on the next line.
        epilog += (
            f"  {syntax:<34}  {what}\n"
            if len(syntax) <= 34
            else f"  {syntax}\n{what:>{38 + len(what)}}\n"
        )
    epilog += (
        "\nexamples:\n"
        "  scripts/wall state 1            the keys of node 1, one per line\n"
        "  scripts/wall press 1 0 short    a short press: toggles the entrance light\n"
        "  scripts/wall set 3 0 40         the living room's dimmer to 40 %\n"
        "  scripts/wall outage 30          the vBox away for 30 s; Home Assistant shows it\n"
        "\nexit status: 0 done, 1 refused (the reason is printed), 2 nothing answers there"
    )
    wall = argparse.ArgumentParser(
        prog="scripts/wall",
        description="Act at the walls of the simulated house that scripts/develop runs: send "
        "one command to the vBox simulator's control interface and print its answer.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = wall.add_argument
    add(
        "--host", default=os.environ.get(HOST_ENV, DEFAULT_HOST), help=f"(${HOST_ENV} or 127.0.0.1)"
    )
    port = int(os.environ.get(PORT_ENV, DEFAULT_PORT))
    add("--port", type=int, default=port, help=f"the control port (${PORT_ENV} or 11600)")
    add("--json", action="store_true", help="print the answer as it came, one line of JSON")
    add("command", nargs=argparse.REMAINDER, help="a command and its arguments (see below)")
    return wall


def main(argv: Sequence[str] | None = None) -> int:
    """Send the command of the command line and print the answer; the exit status."""
    wall = parser()
    args = wall.parse_args(argv)
    words: list[str] = args.command
    if "--json" in words:  # after the command too: `scripts/wall state --json`
        words = [word for word in words if word != "--json"]
        args.json = True
    if not words or words[0].lower() in ("help", "-h", "--help"):
        wall.print_help()
        return 0
    try:
        answer = send(args.host, args.port, " ".join(words))
    except (OSError, ValueError) as err:
        where = f"{args.host}:{args.port}"
        print(
            f"scripts/wall: nothing answers on {where} (is scripts/develop running?): {err}",
            file=sys.stderr,
        )
        return UNREACHABLE
    if args.json:
        print(json.dumps(answer, ensure_ascii=False))
    elif answer.get("ok"):
        print("\n".join(answer_lines(words, answer)))
    else:
        print(f"scripts/wall: {answer.get('error', answer)}", file=sys.stderr)
    return 0 if answer.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
