"""The simulator's host interface over real loopback TCP, with raw lines and frames."""

from __future__ import annotations

import asyncio

import pytest
from vitrea_client import KeyPowerStatus, requests

from tests.simulator.sim_support import TIMEOUT, StatusQueue
from vbox_simulator import FaultError, House, load_demo_house
from vbox_simulator import host_wire as w
from vbox_simulator.host_server import host_key_type
from vbox_simulator.house import Ac, Floor, Key, KeypadLockedError, Room, Scenario, ScenarioAction
from vbox_simulator.pytest_plugin import until
from vbox_simulator.wire import KeyCategory, KeyType

OK = b"OK\r\n"
FIRST_FLOOR = "קומה א\u05f3"  # with a geresh


def line(text: str) -> bytes:
    return text.encode() + b"\r\n"


def request(command: int, data: bytes = b"") -> bytes:
    return w.vth(command, data, prefix=w.REQUEST)


async def command(client, text: str, *answers: str) -> None:
    """Send a command; expect its echo (``H:`` lines alone are echoed), then these lines."""
    echo = [line(text)] if text.startswith("H:") else []
    got = await client.ask(text, len(echo) + len(answers))
    assert got == [*echo, *(line(answer) for answer in answers)]


# -- session ------------------------------------------------------------------------------


async def test_session_keep_alive_and_version(sim, host) -> None:
    client = await host(sim)
    assert await client.ask("P:VITREA", 1) == [b"S:PSW:OK\r\n"]  # not echoed
    await command(client, "G:V:S", "V:966")
    assert await client.ask("P:OTHER", 1) == [b"E:1:wrong command\r\n"]  # not echoed
    assert sim.host_server.received[:2] == [b"P:VITREA\r\n", b"G:V:S\r\n"]


async def test_commands_before_the_keep_alive_are_served(sim, host) -> None:
    client = await host(sim)
    await command(client, "H:N001:2:O", "OK", "S:N001:2:O")
    assert sim.house.key(1, 1).on


async def test_echo_off_and_another_version(make_sim, host) -> None:
    sim = await make_sim(host_echo=False, host_version="866")
    client = await host(sim)
    assert await client.ask("G:V:S", 1) == [b"V:866\r\n"]
    assert await client.ask("H:N001:1:F", 2) == [OK, b"S:N001:1:F\r\n"]
    assert await client.ask(request(w.Db.FLOORS), 1) == [w.floors([0, 1])]


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="digits"):
        _sim(host_version="9.66")
    with pytest.raises(ValueError, match="one client"):
        _sim(host_clients=0)
    with pytest.raises(ValueError, match="minute"):
        _sim(minute=0)


def _sim(**options):
    from vbox_simulator import VBoxSimulator  # noqa: PLC0415

    return VBoxSimulator(load_demo_house(), username="u", password="p", **options)


async def test_without_a_host_port_nothing_listens(make_sim) -> None:
    sim = await make_sim(host_port=None)
    assert sim.host_port is None
    assert not sim.host_server.running
    sim.host_server.push_key(1, sim.house.key(1, 0))  # no clients: nothing to do


# -- keys ---------------------------------------------------------------------------------


async def test_toggle_commands_push_to_every_host_client(sim, host) -> None:
    first, second = await host(sim), await host(sim)
    await command(first, "H:N001:2:O:", "OK", "S:N001:2:O")
    assert await second.message() == b"S:N001:2:O\r\n"
    await command(first, "H:N001:2:F:000", "OK", "S:N001:2:F")
    await command(first, "H:N001:2:T", "OK", "S:N001:2:O")
    await command(first, "H:N001:2:F", "OK", "S:N001:2:F")
    assert await second.messages(3) == [line(f"S:N001:2:{x}") for x in "FOF"]
    await command(first, "H:N001:7:T", "OK", "S:N001:7:O")  # a scene toggle
    await command(first, "H:N029:1:O", "OK", "S:N029:1:O")  # a dual-pole
    assert sim.host_server.pushes == 12


async def test_timers_count_minutes_and_switch_off(make_sim, host) -> None:
    sim = await make_sim(minute=0.05)
    client = await host(sim)
    await command(client, "H:N021:1:O:003", "OK", "S:N021:1:o:003")
    await command(client, "H:N021:G:1", "S:N021:1:o:003")  # 3 minutes are still left
    assert await client.message(within=1.0) == b"S:N021:1:f\r\n"
    assert not sim.house.key(21, 0).on
    await command(client, "H:N021:1:O", "OK", "S:N021:1:o:000")  # no timer
    await command(client, "H:N021:1:O:001", "OK", "S:N021:1:o:001")
    await command(client, "H:N021:1:F", "OK", "S:N021:1:f")  # the timer ends with it
    await client.nothing_more()


async def test_toggles_tell_the_minutes_left_while_a_timer_runs(make_sim, host) -> None:
    """A toggle on for a while reports ``O:mmm``, as a boiler ``o:mmm``; without a timer
    plain ``O`` (docs/host-interface.md §7.3, decision 12)."""
    sim = await make_sim(minute=0.05)
    client = await host(sim)
    await command(client, "H:N001:2:O:003", "OK", "S:N001:2:O:003")
    await command(client, "H:N001:G:2", "S:N001:2:O:003")
    assert await client.message(within=1.0) == b"S:N001:2:F\r\n"
    await command(client, "H:N001:2:O:001", "OK", "S:N001:2:O:001")
    await command(client, "H:N001:2:O", "OK", "S:N001:2:O")  # a new switch ends the timer
    await command(client, "H:N001:2:F", "OK", "S:N001:2:F")
    await client.nothing_more()


async def test_dimmers(make_sim, host) -> None:
    sim = await make_sim(dimmer_ramp=0)  # up and down at once
    client = await host(sim)
    await command(client, "H:N003:1:D:000:075", "OK", "S:N003:1:D:075")
    await command(client, "H:N003:1:D:000:000", "OK", "S:N003:1:D:000")
    await command(client, "H:N003:1:D:010:254", "OK", "S:N003:1:D:075")
    await command(client, "H:N003:1:D:000", "OK", "S:N003:1:D:000")
    await command(client, "H:N003:1:D:100", "OK", "S:N003:1:D:100")
    await command(client, "H:N003:1:D:100", "OK", "S:N003:1:D:100")  # already up
    await command(client, "H:N003:1:D:000:255", "OK", "S:N003:1:D:100")  # stands: stays
    await command(client, "H:N003:1:F", "OK", "S:N003:1:D:000")
    await command(client, "H:N003:1:O", "OK", "S:N003:1:D:100")
    await client.nothing_more()


async def _before_the_version(client) -> list[bytes]:
    """Every message the box sent before its answer to ``G:V:S`` (a fence: lines keep their
    order)."""
    await client.send("G:V:S")
    messages = []
    while not (message := await client.message()).startswith(b"V:"):
        messages.append(message)
    return messages


def _levels(messages: list[bytes], address: str) -> list[int]:
    return [int(m.split(b":")[-1]) for m in messages if m.startswith(f"S:{address}:D:".encode())]


async def test_a_dimmer_goes_up_and_stops_where_it_is(make_sim, host) -> None:
    """``D:100`` starts the dimmer going up, its levels pushed; ``D:000:255`` stops it."""
    sim = await make_sim(dimmer_ramp=5.0)  # 10 % a half second: time to stop it
    key = sim.house.key(3, 2)
    client = await host(sim)
    await command(client, "H:N003:3:D:100", "OK")  # from off
    await until(lambda: 0 < key.level < 100)
    await client.send("H:N003:3:D:000:255")
    messages = await _before_the_version(client)
    assert (key.on, key.target) == (True, None)
    stopped = key.level
    assert 0 < stopped < 100
    levels = _levels(messages, "N003:3")
    assert levels == sorted(levels)  # going up
    after_the_stop = messages[messages.index(OK) + 1 :]
    assert after_the_stop == [line(f"S:N003:3:D:{stopped:03d}")]  # where it stands
    assert (await _before_the_version(client)) == []
    assert key.level == stopped


async def test_a_dimmer_goes_down_to_off_and_up_to_full(make_sim, host) -> None:
    sim = await make_sim(dimmer_ramp=0.3)
    key = sim.house.key(3, 0)
    client = await host(sim)
    await command(client, "H:N003:1:D:000", "OK")  # 80 %, going down
    await until(lambda: key.target is None)
    levels = _levels(await _before_the_version(client), "N003:1")
    assert len(levels) > 1
    assert levels == sorted(levels, reverse=True)
    assert levels[-1] == 0
    assert not key.on
    await command(client, "H:N003:1:D:100", "OK")
    await until(lambda: key.target is None)
    assert _levels(await _before_the_version(client), "N003:1")[-1] == 100
    assert (key.on, key.level) == (True, 100)
    await command(client, "H:N003:1:F", "OK", "S:N003:1:D:000")
    await command(client, "H:N003:1:O", "OK", "S:N003:1:D:100")  # its last level: full


async def test_a_moving_dimmer_set_or_pressed_stops_moving(make_sim, host) -> None:
    sim = await make_sim(dimmer_ramp=5.0)
    key = sim.house.key(3, 2)
    client = await host(sim)
    await command(client, "H:N003:3:D:100", "OK")
    await until(lambda: key.level > 0)
    await client.send("H:N003:3:D:000:040")
    messages = await _before_the_version(client)
    assert messages[messages.index(OK) + 1 :] == [line("S:N003:3:D:040")]
    assert (key.level, key.target) == (40, None)
    await command(client, "H:N003:3:D:000", "OK")
    await until(lambda: key.level < 40)
    await sim.press(3, 2, "short")  # at the wall: switched off, no longer moving
    assert (key.on, key.target) == (False, None)
    assert _levels(await _before_the_version(client), "N003:3")[-1] == 0
    assert (await _before_the_version(client)) == []


async def test_a_vtu_command_stops_a_moving_dimmer(make_sim, host, make_client) -> None:
    """VTU switches through the same engine as the host interface: the ramp ends."""
    sim = await make_sim(dimmer_ramp=5.0)
    key = sim.house.key(3, 2)
    vtu = await make_client(sim)
    client = await host(sim)
    await command(client, "H:N003:3:D:100", "OK")
    await until(lambda: key.level > 0)
    request = requests.ToggleKeyStatus(node_id=3, key_id=2, status=KeyPowerStatus.ON, dimmer=70)
    assert (await vtu.send(request)).is_ok
    assert (key.level, key.target) == (70, None)
    assert sim.engine.moving == frozenset()
    assert _levels(await _before_the_version(client), "N003:3")[-1] == 70
    assert (await _before_the_version(client)) == []


async def test_a_blind_travels_and_stops(make_sim, host) -> None:
    sim = await make_sim(blind_travel=0.5)
    client = await host(sim)
    await command(client, "H:N004:1:B:050", "OK")
    positions = []
    while not positions or positions[-1] != 50:
        message = await client.message()
        assert message.startswith(b"S:N004:1:B:")
        positions.append(int(message[11:14]))
    assert positions == sorted(positions, reverse=True)
    assert len(positions) >= 2
    await command(client, "H:N004:1:B:000", "OK")
    first = await client.message()
    await command(client, "H:N004:1:B:255", "OK")
    stopped = sim.house.key(4, 0).level
    assert 0 < stopped < int(first[11:14]) or stopped == int(first[11:14])
    assert await client.message() == line(f"S:N004:1:B:{stopped:03d}")
    assert sim.house.key(4, 0).target is None
    await command(client, "H:N004:1:B:255", "OK", f"S:N004:1:B:{stopped:03d}")  # stands


async def test_blinds_at_once_open_close_toggle(sim, host) -> None:
    client = await host(sim)
    await command(client, "H:N011:1:O", "OK", "S:N011:1:B:100")
    await command(client, "H:N011:1:F", "OK", "S:N011:1:B:000")
    await command(client, "H:N011:1:T", "OK", "S:N011:1:B:100")
    await command(client, "H:N011:1:B:030", "OK", "S:N011:1:B:030")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("H:N099:1:O", "E:2:wrong node number"),
        ("H:N001:9:O", "E:3:wrong key number"),
        ("H:N001:5:O", "E:1:wrong command"),  # a push button
        ("H:N001:6:T", "E:1:wrong command"),  # a satellite
        ("H:N001:1:D:000:050", "E:1:wrong command"),  # a toggle is no dimmer
        ("H:N003:1:B:050", "E:1:wrong command"),  # a dimmer is no blind
        ("H:N004:1:B:254", "E:1:wrong command"),
        ("H:N004:1:D:100", "E:1:wrong command"),
        ("H:N001:1:X", "E:1:wrong command"),
        ("H:N007:S:3", "E:1:wrong command"),  # fan speed: not supported
        ("H:N007:1:d:2", "E:1:wrong command"),
        ("H:C:G", "E:1:wrong command"),
        ("H:I001:G", "E:1:wrong command"),
        ("H:N099:G", "E:2:wrong node number"),
        ("H:N001:G:9", "E:3:wrong key number"),
        ("H:A099:G", "E:1:wrong command"),
        ("H:R12345", "E:5:wrong scenario"),
        ("L:N099:1:O", "E:2:wrong node number"),
    ],
)
async def test_rejected_commands(sim, host, text, error) -> None:
    client = await host(sim)
    await command(client, text, error)


async def test_unreadable_lines(sim, host) -> None:
    client = await host(sim)
    assert await client.ask("nonsense", 1) == [b"E:1:wrong command\r\n"]
    assert await client.ask(b"H:N001:\xff\r\n", 2) == [
        b"H:N001:\xff\r\n",
        line("E:1:wrong command"),
    ]


async def test_status_of_everything(sim, host) -> None:
    client = await host(sim)
    expected = [
        line(f"S:N{node.id:03d}:{key.id + 1}:{_state(key)}")
        for node in sim.house.nodes
        for key in node.keys
        if host_key_type(key) in (1, 2, 3, 4, 10, 12, 14)
    ]
    acs = [line(f"S:A{ac.id:03d}:1:") for ac in sim.house.acs]
    answer = await client.ask("H:NALL:G", 1 + len(expected) + len(acs))
    assert answer[0] == b"H:NALL:G\r\n"
    assert answer[1 : 1 + len(expected)] == expected
    assert [a[:9] for a in answer[1 + len(expected) :]] == [a[:9] for a in acs]
    assert answer[-4] == b"S:A001:1:F:04:024:026:2:F:0\r\n"
    assert answer[-3] == b"S:A002:1:O:10:022:020:1:O:0\r\n"
    await client.nothing_more()


def _state(key: Key) -> str:
    match host_key_type(key):
        case 3:
            return f"D:{key.level:03d}"
        case 4:
            return f"B:{key.level:03d}"
        case 10:
            return "o:000" if key.on else "f"
        case 2:
            return "F"  # a push button at rest
        case 12:
            return "S"  # a satellite, as the vendor's library expects one polled
    return "O" if key.on else "F"


async def test_status_of_a_node_and_a_key(sim, host) -> None:
    client = await host(sim)
    dimmers = ("S:N003:1:D:080", "S:N003:2:D:045", "S:N003:3:D:000")
    satellites = ("S:N003:4:S", "S:N003:5:S", "S:N003:6:S")
    await command(client, "H:N003:G", *dimmers, *satellites)
    await command(client, "H:N004:G:1", "S:N004:1:B:100")
    await command(client, "H:N004:4:G", "S:N004:4:F")
    await command(client, "H:N001:G:5", "S:N001:5:F")  # a push button
    await command(client, "H:N001:G:6", "S:N001:6:S")  # a satellite
    await client.nothing_more()


def test_host_key_types() -> None:
    def key(key_type: KeyType, category: KeyCategory = KeyCategory.LIGHT) -> Key:
        return Key(0, key_type, category, "k")

    assert [
        host_key_type(key(t))
        for t in (
            KeyType.TOGGLE,
            KeyType.DUAL_POLE,
            KeyType.BOILER,
            KeyType.DIMMER,
            KeyType.DIMMER_MW,
            KeyType.BLIND,
            KeyType.BLIND_MW,
            KeyType.PUSH_BUTTON,
            KeyType.SATELLITE,
            KeyType.TOGGLE_SCENE,
            KeyType.THERMOSTAT,
            KeyType.NOT_EXIST,
            KeyType.NOT_ACTIVE,
            KeyType.REPEATER,
        )
    ] == [1, 1, 10, 3, 3, 4, 4, 2, 12, 14, 16, 0, 0, 0]
    assert host_key_type(key(KeyType.TOGGLE, KeyCategory.BOILER)) == 10


async def test_a_boiler_toggle_and_keys_without_an_address(make_sim, host) -> None:
    house = House(
        rooms=[Room(0, 0, "r")],
        nodes=[_node(1, [Key(i, KeyType.TOGGLE, KeyCategory.BOILER, f"k{i}") for i in range(10)])],
    )
    sim = await make_sim(house)
    client = await host(sim)
    await command(client, "H:N001:1:O:000", "OK", "S:N001:1:o:000")
    answer = await client.ask("H:N001:G", 10)
    assert answer[1:] == [line(f"S:N001:{k}:{'o:000' if k == 1 else 'f'}") for k in range(1, 10)]
    await sim.set_key(1, 9, on=True)  # key 10 has no host address
    await sim.press(1, 9, "short")
    await client.nothing_more()


async def test_keys_without_a_state(make_sim, host) -> None:
    """A thermostat key and an inactive one: not in a node's answer, E:1 asked alone."""
    keys = [Key(0, KeyType.THERMOSTAT, KeyCategory.UNDEFINED, "t")]
    keys.append(Key(1, KeyType.NOT_ACTIVE, KeyCategory.UNDEFINED, "n"))
    sim = await make_sim(House(rooms=[Room(0, 0, "r")], nodes=[_node(1, keys)]))
    client = await host(sim)
    await command(client, "H:N001:G:1", "E:1:wrong command")
    await command(client, "H:N001:G:2", "E:1:wrong command")
    await command(client, "H:N001:G")
    await client.nothing_more()


def _node(node_id: int, keys: list[Key]):
    from vbox_simulator import Node  # noqa: PLC0415

    return Node(node_id, 5, "00:0D:6F:00:00:00:00:01", "7.93", 0, keys=keys)


# -- the wall and the VTU side -------------------------------------------------------------


async def test_presses_at_the_wall(sim, host) -> None:
    client = await host(sim)
    await sim.press(1, 0, "short")  # a toggle: its new state alone
    assert await client.messages(1) == [b"S:N001:1:F\r\n"]
    await sim.press(1, 0, "long")  # nothing switched, nothing pushed
    await sim.press(1, 5, "short")  # satellites: S, L, R
    await sim.press(1, 5, "long")
    await sim.press(1, 5, "release")
    assert await client.messages(3) == [line("S:N001:6:S"), line("S:N001:6:L"), line("S:N001:6:R")]
    await client.nothing_more()


async def test_a_push_button_goes_down_and_up(sim, host) -> None:
    """O while held, F once up: a short press both, a long press O until released."""
    client = await host(sim)
    await sim.press(1, 4, "short")
    assert await client.messages(2) == [line("S:N001:5:O"), line("S:N001:5:F")]
    await sim.press(1, 4, "release")  # already up: nothing to report
    await sim.press(1, 4, "long")
    assert await client.message() == line("S:N001:5:O")
    await command(client, "H:N001:G:5", "S:N001:5:O")  # held
    await sim.press(1, 4, "long")  # still held
    await sim.press(1, 4, "short")  # up at last
    assert await client.message() == line("S:N001:5:F")
    await sim.press(1, 4, "long")
    await sim.press(1, 4, "release")
    assert await client.messages(2) == [line("S:N001:5:O"), line("S:N001:5:F")]
    await command(client, "H:N001:G:5", "S:N001:5:F")
    await client.nothing_more()


async def test_a_locked_keypad_ignores_the_wall(sim, host) -> None:
    """Node 19 is locked: presses and changes at the wall are refused, nothing is pushed;
    commands from the network still work."""
    client = await host(sim)
    assert sim.house.node(19).locked
    for press in ("short", "long", "release"):
        for key_id in (0, 3, 5):  # a toggle, a satellite, a push button
            with pytest.raises(KeypadLockedError, match="node 19 is locked"):
                await sim.press(19, key_id, press)
    with pytest.raises(KeypadLockedError):
        await sim.set_key(19, 0, on=not sim.house.key(19, 0).on)
    await client.nothing_more()
    before = sim.house.key(19, 0).on
    await command(client, "H:N019:1:T", "OK", f"S:N019:1:{'F' if before else 'O'}")
    sim.house.node(19).locked = False
    await sim.press(19, 0, "short")
    assert await client.message() == line(f"S:N019:1:{'O' if before else 'F'}")


async def test_a_change_at_the_wall_is_pushed(sim, host) -> None:
    client = await host(sim)
    await sim.set_key(3, 0, level=33)
    assert await client.message() == b"S:N003:1:D:033\r\n"


async def test_a_vtu_command_is_pushed_to_host_clients(sim, host, client) -> None:
    host_client = await host(sim)
    request = requests.ToggleKeyStatus(node_id=3, key_id=1, status=KeyPowerStatus.ON, dimmer=55)
    assert (await client.send(request)).is_ok
    assert await host_client.message() == b"S:N003:2:D:055\r\n"


async def test_a_host_command_is_pushed_to_the_vtu_client(sim, host, client) -> None:
    statuses = StatusQueue(client)
    host_client = await host(sim)
    await command(host_client, "H:N003:1:D:000:042", "OK", "S:N003:1:D:042")
    status = await statuses.get()
    assert (status.node_id, status.key_id, status.level) == (3, 0, 42)


# -- ACs ----------------------------------------------------------------------------------


async def test_ac_commands(sim, host) -> None:
    client = await host(sim)
    await command(client, "H:A001:G", "S:A001:1:F:04:024:026:2:F:0")
    await command(client, "H:A001:1:O:02:023:0", "OK", "S:A001:1:O:02:023:026:2:O:0")
    await command(client, "H:A001:2:F", "OK", "S:A001:1:F:02:023:026:2:F:0")
    await command(client, "H:A001:2:O", "OK", "S:A001:1:O:02:023:026:2:O:0")
    await command(client, "H:A001:3:1", "OK", "S:A001:1:O:12:023:026:2:F:0")
    await command(client, "H:A001:4:0", "OK", "S:A001:1:O:10:023:026:2:F:0")
    await command(client, "H:A001:5:027", "OK", "S:A001:1:O:10:027:026:2:O:0")
    await command(client, "H:A001:6", "OK", "S:A001:1:O:10:028:026:2:O:0")
    await command(client, "H:A001:7", "OK", "S:A001:1:O:10:027:026:2:O:0")
    await command(client, "H:A001:3:3", "OK", "S:A001:1:O:30:027:026:2:O:0")  # dry: relay on
    await command(client, "H:A001:8:1", "OK", "S:A001:1:O:30:081:079:2:O:1")
    await command(client, "H:A001:5:090", "OK", "S:A001:1:O:30:090:079:2:O:1")
    await command(client, "H:A001:8:0", "OK", "S:A001:1:O:30:030:026:2:O:0")  # kept in range
    await command(client, "H:A001:1:F:14:024:0", "OK", "S:A001:1:F:14:024:026:2:F:0")


@pytest.mark.parametrize(
    "text",
    [
        "H:A001:5:031",
        "H:A001:5:014",
        "H:A001:1:O:02:050:0",
        "H:A001:1:X:02:024:0",
        "H:A001:8:1:",
        "H:A004:3:0",  # floor heating heats only
        "H:A004:1:O:04:024:0",
        "H:A004:4:1",  # no fan speeds
        "H:A003:4:1",
        "H:A009:2:O",  # no such AC
    ],
)
async def test_rejected_ac_commands(sim, host, text) -> None:
    client = await host(sim)
    await command(client, text, "E:1:wrong command")


async def test_ac_limits_and_fanless_full_set(sim, host) -> None:
    client = await host(sim)
    await command(client, "H:A001:5:030", "OK", "S:A001:1:F:04:030:026:2:F:0")
    await command(client, "H:A001:6", "E:1:wrong command")
    await command(client, "H:A003:1:O:01:025:0", "OK", "S:A003:1:O:04:025:025:3:F:0")
    await command(client, "H:A004:1:O:10:028:0", "OK", "S:A004:1:O:14:028:022:4:O:0")


async def test_set_ac_at_the_unit(sim, host) -> None:
    client = await host(sim)
    state = await sim.set_ac(1, on=True, mode="heat", fan="high", setpoint=25, measured=21)
    assert state["relay"] is True
    assert await client.message() == b"S:A001:1:O:12:025:021:2:O:0\r\n"
    assert sim.ac_state()[0] == state


# -- scenarios and LEDs --------------------------------------------------------------------


async def test_scenarios(sim, host) -> None:
    first, second = await host(sim), await host(sim)
    await command(
        first,
        "H:R0001",
        "S:R0001:OK",
        "S:N003:1:D:030",
        "S:N003:2:D:020",
        "S:N003:3:D:050",
        "S:N004:3:F",
    )
    assert await second.messages(4) == [
        b"S:N003:1:D:030\r\n",
        b"S:N003:2:D:020\r\n",
        b"S:N003:3:D:050\r\n",
        b"S:N004:3:F\r\n",
    ]
    morning = ["S:N016:2:D:060", "S:N017:1:B:100", "S:N021:1:o:000"]
    await command(first, "H:R00004", "S:R0004:OK", *morning)
    assert await second.messages(3) == [line(each) for each in morning]
    await command(first, "H:R0099", "S:R0099:ERROR")
    await second.nothing_more()


async def test_leds_with_a_new_version(sim, host) -> None:
    client = await host(sim)
    await command(client, "L:N001:5:O", "OK")
    assert sim.house.key(1, 4).led
    assert next(k for k in sim.state(led=True) if (k["node"], k["key"]) == (1, 4))["led"]
    await command(client, "L:N001:5:F", "OK")
    assert not sim.house.key(1, 4).led
    await command(client, "L:N001:9:F", "E:3:wrong key number")


@pytest.mark.parametrize(("version", "accepted"), [("866", False), ("1001", False), ("0123", True)])
async def test_leds_by_version(make_sim, host, version, accepted) -> None:
    sim = await make_sim(host_version=version)
    client = await host(sim)
    await command(client, "L:N001:5:O", "OK" if accepted else "E:1:wrong command")
    assert sim.house.key(1, 4).led is accepted


# -- the database ---------------------------------------------------------------------------


async def test_database_requests_byte_exact(sim, host) -> None:
    client = await host(sim)
    house = sim.house
    cases = [
        (request(w.Db.FLOORS), w.floors([0, 1])),
        (request(w.Db.FLOOR, b"\x00\x01"), w.floor(1, FIRST_FLOOR)),
        (request(w.Db.ROOMS, b"\x00"), w.rooms(range(15))),
        (request(w.Db.ROOM, b"\x00\x05"), w.room(5, 1, "חדר שינה הורים")),
        (request(w.Db.KEYPADS), w.keypads((n.id, len(n.keys)) for n in house.nodes)),
        (request(w.Db.KEY, b"\x00\x03\x02"), w.key(3, 2, 3, 1, "ספוטים")),
        (request(w.Db.KEY, b"\x00\x15\x01"), w.key(21, 1, 10, 7, "דוד שמש")),
        (request(w.Db.ACS), w.acs([1, 2, 3, 4])),
        (request(w.Db.AC, b"\x00\x04"), w.ac(4, 4, 7, "חימום תת-רצפתי")),
        (request(w.Db.SCENARIOS), w.scenarios([1, 2, 3, 4, 5])),
        (request(w.Db.SCENARIO, b"\x00\x01"), w.scenario(1, 1, "ערב")),
        (request(w.Db.SCENARIO, b"\x00\x02"), w.scenario(2, 65535, "כיבוי הכל")),
    ]
    for sent, reply in cases:
        assert await client.ask(sent, 2) == [sent, reply]
    # By hand, for one: 06 keypad 4 key 1, blind, room 1, "תריס חלון גדול".
    name = "תריס חלון גדול".encode("utf-16-le")
    data = b"\x00\x04\x01\x04\x00\x01" + bytes([len(name)]) + name
    head = b"VTH<\x06" + (len(data) + 1).to_bytes(2, "big")
    frame = head + data + bytes([sum(head + data) % 256])
    assert (await client.ask(request(w.Db.KEY, b"\x00\x04\x01"), 2))[1] == frame


async def test_keypad_zero_is_asked_as_256(make_sim, host) -> None:
    house = House(
        rooms=[Room(0, 0, "r")], nodes=[_node(0, [Key(0, KeyType.DIMMER, KeyCategory.LIGHT, "d")])]
    )
    sim = await make_sim(house)
    client = await host(sim)
    assert (await client.ask(request(w.Db.KEY, b"\x01\x00\x01"), 2))[1] == w.key(0, 1, 3, 0, "d")
    assert (await client.ask(request(w.Db.FLOORS), 2))[1] == w.floors([0])
    assert (await client.ask(request(w.Db.FLOOR, b"\x00\x00"), 2))[1] == w.floor(0, "Floor 0")


async def test_a_full_database_walk_in_the_vendors_order(sim, host) -> None:
    client = await host(sim)
    await client.ask("P:VITREA", 1)

    async def ask(command: int, data: bytes = b"") -> bytes:
        sent = request(command, data)
        echo, reply = await client.ask(sent, 2)
        assert echo == sent
        assert reply[:5] == b"VTH<" + bytes([command])
        return reply[7:-1]

    def ids(data: bytes) -> list[int]:
        return [int.from_bytes(data[1 + 2 * i : 3 + 2 * i], "big") for i in range(data[0])]

    floors = ids(await ask(w.Db.FLOORS))
    for floor in floors:
        assert (await ask(w.Db.FLOOR, floor.to_bytes(2, "big")))[:2] == floor.to_bytes(2, "big")
    rooms = ids(await ask(w.Db.ROOMS, b"\x00"))
    for room in rooms:
        await ask(w.Db.ROOM, room.to_bytes(2, "big"))
    keypads = await ask(w.Db.KEYPADS)
    count = int.from_bytes(keypads[:2], "big")
    keys = 0
    for i in range(count):
        entry = keypads[2 + 3 * i : 5 + 3 * i]
        keypad = int.from_bytes(entry[:2], "big") or 256
        for number in range(1, entry[2] + 1):
            reply = await ask(w.Db.KEY, keypad.to_bytes(2, "big") + bytes([number]))
            assert reply[2] == number
            keys += 1
    acs = ids(await ask(w.Db.ACS))
    for ac in acs:
        await ask(w.Db.AC, ac.to_bytes(2, "big"))
    scenarios = ids(await ask(w.Db.SCENARIOS))
    for scenario in scenarios:
        await ask(w.Db.SCENARIO, scenario.to_bytes(2, "big"))
    assert (len(floors), len(rooms), count, keys, len(acs), len(scenarios)) == (
        2,
        15,
        36,
        107,
        4,
        5,
    )


@pytest.mark.parametrize(
    "sent",
    [
        request(w.Db.FLOOR, b"\x00\x07"),
        request(w.Db.ROOM, b"\x00\x63"),
        request(w.Db.KEY, b"\x00\x63\x01"),
        request(w.Db.KEY, b"\x00\x01\x09"),
        request(w.Db.KEY, b"\x00\x01\x00"),
        request(w.Db.AC, b"\x00\x09"),
        request(w.Db.SCENARIO, b"\x00\x63"),
    ],
)
async def test_no_reply_for_what_does_not_exist(sim, host, sent) -> None:
    client = await host(sim)
    assert await client.ask(sent, 1) == [sent]  # the echo alone
    await client.nothing_more()


async def test_no_reply_for_bad_frames(sim, host) -> None:
    client = await host(sim)
    bad_sum = request(w.Db.FLOORS)[:-1] + b"\x00"
    unknown = w.vth(0x0B, b"", prefix=w.REQUEST)
    await client.send(bad_sum + unknown)
    await client.nothing_more()
    assert sim.host_server.received[:3] == [bad_sum[:7], bad_sum[7:], unknown]


# -- connections ----------------------------------------------------------------------------


async def test_client_limit(make_sim, host) -> None:
    sim = await make_sim(host_clients=1)
    first = await host(sim)
    second = await host(sim)
    assert await second.closed_by_peer()
    assert (sim.host_server.connections, sim.host_server.refused_connections) == (1, 1)
    await first.nothing_more()


async def test_idle_clients_are_dropped(make_sim, host) -> None:
    sim = await make_sim(host_idle_timeout=0.2)
    client = await host(sim)
    assert await client.closed_by_peer()
    assert sim.host_server.idle_disconnects == 1
    await sim.wait_until(lambda: sim.host_server.connected == 0)


async def test_outage_and_stop_close_the_host_port(sim, host) -> None:
    client = await host(sim)
    port = sim.host_port
    await sim.unplug()
    assert await client.closed_by_peer()
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port)
    await sim.start()
    assert sim.host_port == port
    again = await host(sim)
    await again.nothing_more()
    await sim.stop()
    assert await again.closed_by_peer()
    assert not sim.host_server.running


async def test_a_client_that_leaves(sim, host) -> None:
    client = await host(sim)
    await client.close()
    await sim.wait_until(lambda: sim.host_server.connected == 0)
    await sim.set_key(1, 0, on=False)  # nobody to push to


async def test_a_client_reset(sim, host) -> None:
    from tests.simulator.sim_support import reset  # noqa: PLC0415

    client = await host(sim)
    await client.ask("G:V:S", 1)
    reset(client.writer)
    await client.close()
    await sim.wait_until(lambda: sim.host_server.connected == 0)


# -- faults ---------------------------------------------------------------------------------


async def test_fault_close(sim, host) -> None:
    first, second = await host(sim), await host(sim)
    await sim.inject_host("close")
    assert await first.closed_by_peer()
    assert await second.closed_by_peer()
    await sim.inject_host("close")  # nobody connected: nothing to do


async def test_fault_silent_and_recover(sim, host) -> None:
    client = await host(sim)
    await sim.inject_host("silent")
    await client.send("H:N001:2:O")
    await sim.wait_until(lambda: len(sim.host_server.received) == 1)
    await sim.set_key(1, 0, on=False)
    assert not sim.house.key(1, 1).on  # not done
    await sim.inject_host("recover")
    await client.nothing_more()
    await sim.inject_host("silent")
    await sim.inject_host("reset")
    assert not sim.host_faults.silent
    await client.nothing_more()


async def test_fault_garbage(sim, host) -> None:
    client = await host(sim)
    await sim.inject_host("garbage", 20)
    garbage = await client.message()
    assert len(garbage) == 22
    assert garbage.endswith(b"\r\n")
    assert not set(garbage[:-2]) & set(b"\r\nV")
    await sim.inject_host("garbage")
    assert len(await client.message()) == 34


async def test_fault_split(sim, host) -> None:
    client = await host(sim)
    await sim.inject_host("split")
    writes = sim.host_server.writes
    await command(client, "H:N001:2:O", "OK", "S:N001:2:O")
    assert sim.host_server.writes - writes == len(b"H:N001:2:O\r\nOK\r\nS:N001:2:O\r\n")


async def test_fault_merge(sim, host) -> None:
    client = await host(sim)
    await sim.inject_host("merge")
    assert await client.ask("H:N001:2:O", 3) == [b"H:N001:2:O\r\n", OK, b"S:N001:2:O\r\n"]
    assert client.reads == [b"H:N001:2:O\r\nOK\r\nS:N001:2:O\r\n"]


async def test_fault_delay(sim, host) -> None:
    client = await host(sim)
    await sim.inject_host("delay", 0.2)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await command(client, "G:V:S", "V:966")
    assert loop.time() - start >= 0.2


async def test_fault_error(sim, host) -> None:
    client = await host(sim)
    await sim.inject_host("error", "3", "2")
    assert sim.host_faults.as_dict()["error"] == 3
    await command(client, "H:N001:2:O", "E:3:wrong key number")
    assert await client.ask("P:VITREA", 1) == [b"S:PSW:OK\r\n"]  # not counted
    await command(client, "G:V:S", "E:3:wrong key number")
    await command(client, "G:V:S", "V:966")
    await sim.inject_host("error", 42)
    await command(client, "H:N001:2:O", "E:42:error")
    await command(client, "H:N001:2:O", "OK", "S:N001:2:O")
    assert not sim.host_faults.as_dict()["error"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("nack",), "unknown host fault"),
        (("close", "1"), "no argument"),
        (("error",), "CODE"),
        (("error", "x"), "CODE"),
        (("error", "1000"), "CODE"),
        (("error", "1", "0"), "whole number"),
        (("delay",), "seconds"),
    ],
)
async def test_bad_host_faults(sim, arguments, message) -> None:
    with pytest.raises(FaultError, match=message):
        await sim.inject_host(*arguments)


# -- the house's new parts ------------------------------------------------------------------


def test_house_floors_acs_and_scenarios_validate() -> None:
    room = Room(0, 1, "r")
    with pytest.raises(ValueError, match="unknown floor 1"):
        House(rooms=[room], nodes=[], floors=[Floor(0, "g")])
    assert House(rooms=[room], nodes=[]).floors == [Floor(1, "Floor 1")]
    with pytest.raises(ValueError, match="ac 1 is in unknown room 5"):
        House(rooms=[room], nodes=[], acs=[Ac(1, 2, 5, "a")])
    with pytest.raises(ValueError, match="duplicate ac ids"):
        House(rooms=[room], nodes=[], acs=[Ac(1, 2, 0, "a"), Ac(1, 2, 0, "b")])
    with pytest.raises(ValueError, match="unknown room 3"):
        House(rooms=[room], nodes=[], scenarios=[Scenario(1, 3, "s")])
    with pytest.raises(ValueError, match="does not exist"):
        House(
            rooms=[room], nodes=[], scenarios=[Scenario(1, None, "s", [ScenarioAction(1, 0, True)])]
        )
    with pytest.raises(ValueError, match="heats only"):
        Ac(1, 4, 0, "floor", mode="cool")
    with pytest.raises(ValueError, match="setpoint"):
        Ac(1, 1, 0, "a", setpoint=40)


def test_house_json_with_floors_acs_and_scenarios_round_trips() -> None:
    house = load_demo_house()
    data = house.to_dict()
    assert data["floors"] == [{"id": 0, "name": "קומת קרקע"}, {"id": 1, "name": FIRST_FLOOR}]
    assert data["acs"][3]["type"] == 4
    assert data["scenarios"][0]["actions"][0] == {"node": 3, "key": 0, "on": True, "level": 30}
    assert House.from_dict(data) == house
    assert house.ac(4).mode == "heat"
    with pytest.raises(KeyError):
        house.ac(9)
    with pytest.raises(KeyError):
        house.floor(9)
    for bad, message in (
        ({"floors": {}}, "floors must be a list"),
        ({"acs": [{"id": 1, "type": 9, "room": 1, "name": "a"}]}, "type"),
        ({"acs": [{"id": 1, "type": 2, "room": 1, "name": "a", "mode": "x"}]}, "mode"),
        ({"acs": [{"id": 1, "type": 2, "room": 1, "name": "a", "on": 1}]}, "on must be"),
        ({"scenarios": [{"id": 10000, "name": "s"}]}, "scenario id"),
        ({"scenarios": [{"id": 1, "name": "s", "actions": {}}]}, "actions must be a list"),
        ({"scenarios": [{"id": 1, "name": "s", "actions": [{"node": 1, "key": 0}]}]}, "on must"),
    ):
        with pytest.raises(ValueError, match=message):
            House.from_dict(data | bad)
    tmsf = Ac.from_dict({"id": 2, "type": 4, "room": 0, "name": "f"})
    assert (tmsf.mode, tmsf.measured) == ("heat", 24)


def test_ac_relay_and_unit_change() -> None:
    ac = Ac(1, 2, 0, "a", on=True, mode="fan", setpoint=20, measured=30)
    assert ac.relay
    ac.change(mode="heat")
    assert not ac.relay
    ac.change(unit="f")
    assert (ac.setpoint, ac.measured, ac.unit) == (68, 86, "f")
    with pytest.raises(ValueError, match="unit"):
        ac.change(unit="k")
    assert ac.unit == "f"


async def test_wait_for_nothing_left(sim) -> None:
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_until(lambda: sim.host_server.connected == 0)


async def test_fault_drop_acknowledges_each_greeting_then_closes(sim, host) -> None:
    await sim.inject_host("drop")
    client = await host(sim)
    assert await client.ask("P:VITREA", 1) == [b"S:PSW:OK\r\n"]
    assert await client.closed_by_peer()
    await sim.inject_host("reset")
    client = await host(sim)
    assert await client.ask("P:VITREA", 1) == [b"S:PSW:OK\r\n"]
    await client.nothing_more()


async def test_fault_stray_sends_a_header_whose_frame_never_comes(sim, host) -> None:
    client = await host(sim)
    await sim.inject_host("stray")
    await client.send("G:V:S")
    async with asyncio.timeout(5):
        while len(client.buffer) < 7 + 6:  # the header, then the version line
            client.buffer.extend(await client.reader.read(4096))
    assert bytes(client.buffer) == b"VTH<\x1f\x0f\xffV:966\r\n"
