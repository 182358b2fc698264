"""``scripts/develop``: Home Assistant with the Vitrea integration on the simulated demo house.

The command line is read first (``--help`` answers at once, a mistake is told at once), with
whatever ``python3`` there is; then ``scripts/setup oldest`` installs ``.venv`` if need be and
the launcher runs again with its Python. The first start onboards Home Assistant (user
``demo``, password ``demo``) and adds the Vitrea entry through the config flow; later starts
reuse what ``config/.storage`` holds.

The simulator may stop while Home Assistant runs on (killed, or SIGUSR1 to the launcher,
which stops it, and at the next SIGUSR1 starts it again); ``scripts/wall outage SECONDS``
takes the vBox away without stopping the process. Ctrl-C (or SIGTERM) stops Home Assistant,
then the simulator (a second one kills them). If Home Assistant dies, the simulator is stopped
and the exit status is 1. The pieces are in ``scripts/devtools``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from devtools import DevelopError, ProcessDiedError, client, processes

if TYPE_CHECKING:
    from collections.abc import Sequence

    from devtools.processes import HomeAssistant, Simulator

DEFAULT_CONFIG_DIR = processes.REPO / "config"
VENV_PYTHON = processes.REPO / ".venv" / "bin" / "python"
SET_UP_ENV = "VITREA_DEVELOP_SET_UP"
"""Set when the launcher runs again with ``.venv``'s Python, after ``scripts/setup``."""
DEMO_WALL = (
    ("press 1 0 short", "entrance light: a short press toggles it"),
    ("press 1 4 short", "the doorbell push button (an event entity)"),
    ("set 3 0 40", "living-room main dimmer to 40 %"),
)


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if host and not port.isdigit():
        msg = f"expected HOST:PORT, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return (host, int(port)) if host else (text, 11501)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line of ``scripts/develop``."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description="Start the vBox simulator with the demo house and Home Assistant with the "
        "Vitrea integration on it; onboard Home Assistant and add the entry on the first run.",
        epilog="While it runs: scripts/wall acts at the walls of the simulated house (scripts/wall "
        "help), `scripts/wall outage SECONDS` takes the vBox away for a while, and "
        "`kill -USR1 PID` (the launcher's PID, which it prints) stops the simulator, the next "
        "one starts it again; Home Assistant runs on meanwhile. Ctrl-C stops everything.",
    )
    add = parser.add_argument_group("Home Assistant").add_argument
    add("--config", type=Path, default=DEFAULT_CONFIG_DIR, help="config directory")
    add("--port", type=int, default=8123, help="HTTP port (8123)")
    add("--listen", default="127.0.0.1", help="address to bind (127.0.0.1; 0.0.0.0 for all)")
    add("--ha-username", default="demo", help="owner login (demo)")
    add("--ha-password", default="demo", help="owner password (demo)")
    add("--language", help="UI language, e.g. en or he: set at onboarding (en), or changed later")
    add("--request-gap", type=float, help="set the entry's request_gap option (seconds)")
    add("--follow", action="store_true", help="show Home Assistant's log here once started")
    add("--start-timeout", type=float, default=600.0, help="seconds to wait for it (600)")
    add = parser.add_argument_group("vBox").add_argument
    add("--vbox", type=_host_port, metavar="HOST:PORT", help="use this vBox; no simulator")
    add("--username", default="admin", help="vBox login (admin)")
    add("--password", default="vitrea", help="vBox password (vitrea)")
    add("--sim-port", type=int, default=11501, help="simulator port (11501)")
    add("--sim-host-port", type=int, default=11502, help="simulator host-interface port (11502)")
    add("--control-port", type=int, default=11600, help="simulator control port (11600)")
    add("--house", type=Path, help="house JSON for the simulator (the demo house)")
    return parser.parse_args(argv)


def _say(text: str) -> None:
    print(f"develop: {text}", flush=True)


def _display(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd()))
    return str(path)


def _claim(args: argparse.Namespace, config_dir: Path) -> None:
    """Lock the config directory and check that the ports are free, or raise DevelopError."""
    # The descriptor stays open, and so the lock held, until this process exits.
    lock = os.open(config_dir / ".develop.lock", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        msg = f"another scripts/develop is running on {_display(config_dir)}"
        raise DevelopError(msg) from None
    wanted = [(args.listen, args.port, "Home Assistant (--port)")]
    if args.vbox is None:
        wanted.append(("127.0.0.1", args.sim_port, "the simulator (--sim-port)"))
        wanted.append(("127.0.0.1", args.sim_host_port, "its host interface (--sim-host-port)"))
        wanted.append(("127.0.0.1", args.control_port, "the control port (--control-port)"))
    if busy := [f"{h}:{p} for {w}" for h, p, w in wanted if not processes.port_is_free(h, p)]:
        msg = f"already in use: {', '.join(busy)} (is scripts/develop running already?)"
        raise DevelopError(msg)


def _vitrea_entry(
    args: argparse.Namespace, ha: HomeAssistant, token: str, vbox: tuple[str, int]
) -> list[str]:
    """Add the Vitrea entry if there is none and wait until it is loaded; lines about it."""
    if entries := client.vitrea_entries(ha.url, token):
        entry = entries[0]
        _say(f"reusing the Vitrea entry {entry['title']!r} (the first of {len(entries)})")
    else:
        _say(f"adding the Vitrea entry for {vbox[0]}:{vbox[1]} (reads the whole house)...")
        entry = client.add_vitrea_entry(
            ha.url, token, *vbox, args.username, args.password, host_port=args.host_port
        )
    try:
        if args.request_gap is not None:
            _say(f"setting the entry's request_gap to {args.request_gap} s (reloads it)")
            options = {"request_gap": args.request_gap}
            client.set_entry_options(ha.url, token, entry["entry_id"], options)
        entry = client.wait_for_entry(ha.url, token, entry["entry_id"], process=ha.process)
    except ProcessDiedError:
        raise
    except DevelopError as err:
        _say(f"warning: {err}; Home Assistant keeps running, see its log")
        return ["not loaded (see the log)"]
    entities = client.vitrea_entities(ha.url, token)
    counts = sorted(Counter(entity.split(".", 1)[0] for entity in entities).items())
    summary = ", ".join(f"{count} {domain}" for domain, count in counts)
    return [f"{entry['title']}: {entry['state']}", f"{len(entities)} entities ({summary})"]


def _wall_examples(port: int, *, demo_house: bool) -> list[str]:
    """Commands that act at the walls of the simulated house, with what they do."""
    wall = "scripts/wall" + (f" --port {port}" if port != 11600 else "")
    examples = [*DEMO_WALL] if demo_house else [("press NODE KEY short", "or long, release")]
    examples += [
        ("set NODE KEY on", "or off, or a level 0-100"),
        ("state 1", "the keys of node 1, one per line (state: all of them)"),
        ("outage 30", "the vBox unreachable for 30 s (outage on ... outage off)"),
        ("help", "every command"),
    ]
    width = max(len(command) for command, _ in examples)
    return [f"  {wall} {command:<{width}}  # {what}" for command, what in examples]


def _banner(
    args: argparse.Namespace,
    ha: HomeAssistant,
    sim: Simulator | None,
    entry: list[str],
    seconds: float,
) -> str:
    """What runs where, how to log in, how to act at the walls, how to stop."""
    rows = [
        f"Home Assistant   {ha.url}   (ready after {seconds:.0f} s)",
        f"Log in as        {args.ha_username} / {args.ha_password}",
        f"Vitrea entry     {entry[0]}",
        *(f"{'':17}{line}" for line in entry[1:]),
    ]
    logs = f"{_display(ha.config_dir)}/home-assistant.log"
    if sim is None:
        rows.append(f"vBox             {args.vbox[0]}:{args.vbox[1]} (--vbox; no simulator)")
    else:
        rows.append(
            f"vBox simulator   {sim.host}:{sim.port}, login {sim.username} / {sim.password}"
        )
        if sim.host_port is not None:
            rows.append(f"                 host interface {sim.host}:{sim.host_port}, no login")
        rows.append(f"                 house: {sim.house}")
        logs += f", {_display(sim.log_path)}"
    if sim is not None and sim.control_port is not None:
        rows.append(f"Wall control     {sim.host}:{sim.control_port}; from a second terminal:")
        rows += _wall_examples(sim.control_port, demo_house=args.house is None)
    if sim is not None:
        rows.append("vBox away        scripts/wall outage (above), or stop the simulator itself:")
        rows.append(f"{'':17}{_switch_command()}  # stops it; the same again starts it afresh")
        rows.append(f"{'':17}(Home Assistant runs on; the Vitrea entities are unavailable)")
    fresh = "git clean -fdX" if ha.config_dir == DEFAULT_CONFIG_DIR.resolve() else "delete"
    rows.append(f"Logs             {logs}")
    rows.append(f"Start over       stop, then: {fresh} {_display(ha.config_dir)}/")
    rows.append("Stop             Ctrl-C")
    return "\n".join(["", "=" * 78, *(f"  {row}" for row in rows), "=" * 78, ""])


def _switch_command() -> str:
    """What stops the simulator, or starts it again (see :func:`main`)."""
    return f"kill -USR1 {os.getpid()}"


def _set_up(argv: Sequence[str] | None) -> int:
    """Install ``.venv`` if need be (``scripts/setup oldest``), then run again with its Python.

    Returns only if that failed: the exit status.
    """
    setup = [str(processes.REPO / "scripts" / "setup"), "oldest"]  # only .venv: not the tests'
    arguments = sys.argv[1:] if argv is None else list(argv)
    command = [str(VENV_PYTHON), str(Path(__file__).resolve()), *arguments]
    try:
        subprocess.run(setup, check=True)  # noqa: S603 - our own script
        os.execve(command[0], command, {**os.environ, SET_UP_ENV: "1"})  # noqa: S606
    except subprocess.CalledProcessError as err:
        _say(f"error: scripts/setup oldest failed (exit status {err.returncode})")
    except OSError as err:
        _say(f"error: {err}")
    except KeyboardInterrupt:
        print("\ndevelop: interrupted", flush=True)
        return 130
    return 1


def _run(
    args: argparse.Namespace,
    started: list[Simulator | HomeAssistant],
    switches: processes.SignalFlag,
) -> None:
    """Start both (into ``started``), onboard, add the entry, then supervise until HA exits."""
    began = time.monotonic()
    config_dir: Path = args.config.resolve()
    processes.prepare_config_dir(config_dir)
    _claim(args, config_dir)
    first_start = not (config_dir / ".storage").exists()
    sim = None
    if args.vbox is None:
        sim = processes.start_simulator(
            port=args.sim_port,
            host_port=args.sim_host_port,
            control_port=args.control_port,
            username=args.username,
            password=args.password,
            house=args.house,
            log_path=config_dir / processes.SIM_LOG,
        )
        started.append(sim)
        _say(f"vBox simulator listening on {sim.host}:{sim.port} ({sim.house})")
    else:
        _say(f"using the vBox at {args.vbox[0]}:{args.vbox[1]}; no simulator")
    vbox = (sim.host, sim.port) if sim else args.vbox
    args.host_port = args.sim_host_port if sim else 11502

    ha = processes.start_home_assistant(config_dir, port=args.port, host=args.listen)
    started.append(ha)
    _say(f"Home Assistant starting from {_display(config_dir)} (pid {ha.process.pid})")
    if first_start:
        _say("first start here: Home Assistant may install packages from PyPI (a minute or two)")
    client.wait_until_up(
        ha.url, timeout=args.start_timeout, process=ha.process, log_path=ha.log_path
    )
    _say(f"Home Assistant answers on {ha.url} after {time.monotonic() - began:.0f} s")

    _say(f"onboarding or logging in as {args.ha_username!r}")
    tokens = client.onboard(ha.url, args.ha_username, args.ha_password, language=args.language)
    entry = _vitrea_entry(args, ha, tokens.access_token, vbox)
    print(_banner(args, ha, sim, entry, time.monotonic() - began), flush=True)
    client.revoke(tokens)  # the browser logs in by itself: no session left behind
    follow = ha.config_dir / "home-assistant.log" if args.follow else None
    processes.Supervisor(
        ha, sim, switch=switches.take, how=f"`{_switch_command()}`", follow=follow
    ).run()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo until Ctrl-C; the exit status."""
    args = parse_args(argv)
    if os.environ.pop(SET_UP_ENV, None) is None:
        return _set_up(argv)
    for signum in (signal.SIGINT, signal.SIGTERM):  # even if SIGINT came ignored (`cmd &`)
        signal.signal(signum, signal.default_int_handler)  # KeyboardInterrupt
    # From the start: SIGUSR1 would end the launcher (and so the demo) before supervision.
    switches = processes.SignalFlag(signal.SIGUSR1)
    started: list[Simulator | HomeAssistant] = []
    status = 1
    try:
        _run(args, started, switches)
    except KeyboardInterrupt:
        print("\ndevelop: interrupted: stopping", flush=True)
        status = 0
    except ProcessDiedError as err:
        _say(f"error: {err}")
        if err.log_path is not None and (last := processes.tail(err.log_path)):
            print(f"--- the end of {_display(err.log_path)} ---\n{last}\n---", flush=True)
    except (DevelopError, OSError) as err:
        _say(f"error: {err}")
    finally:
        processes.stop_all(started)
    if started:
        _say("stopped" if status == 0 else "stopped everything after the error above")
    return status


if __name__ == "__main__":
    sys.exit(main())
