"""Run a simulated vBox: ``python -m vbox_simulator --port 11501 --control-port 11600``.

It prints where it listens, serves until SIGINT or SIGTERM, and stops cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import Protocol

from .control import ControlServer
from .house import House, load_demo_house
from .server import DEFAULT_BLIND_TRAVEL, VBoxSimulator
from .wire import ProtocolVersion

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "vitrea"  # noqa: S105 - the simulator's documented demo password


class Output(Protocol):
    """Where the listening line is printed (standard output by default)."""

    def write(self, text: str, /) -> object:
        """Write text."""

    def flush(self) -> object:
        """Flush what was written."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m vbox_simulator",
        description="A simulated Vitrea vBox speaking the VTU protocol.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=11501, help="vBox port (0: any free port)")
    parser.add_argument("--username", default=DEFAULT_USERNAME)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--house", help="house JSON file (default: the packaged demo house)")
    parser.add_argument("--version", choices=["v1", "v2"], default="v2", help="protocol layout")
    parser.add_argument("--control-port", type=int, help="port of the text control interface")
    parser.add_argument("--service-time", type=float, default=0.0, help="seconds before each reply")
    parser.add_argument(
        "--idle-timeout", type=float, default=30.0, help="drop a silent client after this long"
    )
    parser.add_argument(
        "--blind-travel",
        type=float,
        default=DEFAULT_BLIND_TRAVEL,
        metavar="SECONDS",
        help="seconds a blind takes from closed to fully open (0: at once; default %(default)g)",
    )
    parser.add_argument(
        "--host-port", type=int, help="port of the host interface (0: any free port; none: off)"
    )
    parser.add_argument(
        "--host-version", default="966", metavar="DIGITS", help="what G:V:S answers (%(default)s)"
    )
    parser.add_argument(
        "--host-clients", type=int, default=2, metavar="N", help="host clients at once (2)"
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log every frame")
    return parser.parse_args(argv)


async def serve(
    args: argparse.Namespace,
    *,
    stop: asyncio.Event | None = None,
    out: Output | None = None,
    handle_signals: bool = True,
) -> None:
    """Run the simulator (and its control interface) until ``stop`` is set or a signal comes.

    Raises:
        HouseError: the house file is invalid.
        ValueError: a negative blind travel time.
        OSError: the house file cannot be read, or a port cannot be bound.

    """
    house = House.load(args.house) if args.house else load_demo_house()
    simulator = VBoxSimulator(
        house,
        username=args.username,
        password=args.password,
        version=ProtocolVersion(args.version),
        host=args.host,
        port=args.port,
        idle_timeout=args.idle_timeout,
        service_time=args.service_time,
        blind_travel=args.blind_travel,
        host_port=args.host_port,
        host_version=args.host_version,
        host_clients=args.host_clients,
    )
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM) if handle_signals else ()
    async with simulator, contextlib.AsyncExitStack() as stack:
        line = (
            f"vBox simulator listening on {args.host}:{simulator.port} (house: {house.describe()})"
        )
        if simulator.host_port is not None:
            line += f"; host interface on {args.host}:{simulator.host_port}"
        if args.control_port is not None:
            control = await stack.enter_async_context(
                ControlServer(simulator, host=args.host, port=args.control_port)
            )
            line += f"; control on {args.host}:{control.port}"
        stream = out or sys.stdout
        stream.write(line + "\n")
        stream.flush()
        for sig in signals:
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            for sig in signals:
                loop.remove_signal_handler(sig)


def main(argv: list[str] | None = None) -> int:
    """Run the simulator from the command line; the exit status."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        asyncio.run(serve(args))
    except (ValueError, OSError) as err:  # an invalid house file or option, a port in use
        sys.stderr.write(f"vbox_simulator: {err}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
