"""The host interface codec (TCP 11502): builders, parsers, the stream reader, and a fuzz.

Byte strings come from the host-interface spec (``vbox-host-interface.md`` §2-§4); round trips
go through the simulator's own codec (``vbox_simulator.host_wire``), written separately.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vitrea_client import host
from vitrea_client.host import (
    ACFan,
    Ack,
    ACMode,
    ACNumbers,
    ACParams,
    ACStatus,
    ACType,
    Clock,
    Echo,
    FanSpeed,
    FloorNumbers,
    FloorParams,
    HostError,
    HostErrorCode,
    HostKeyType,
    HostReader,
    HotelState,
    InputStatus,
    KeypadNumbers,
    KeyParams,
    KeyQueryForm,
    KeyState,
    KeyStatus,
    Malformed,
    NodeJoined,
    NodeLeft,
    Occupancy,
    OutputStatus,
    PasswordAck,
    RoomNumbers,
    RoomParams,
    ScenarioNumbers,
    ScenarioParams,
    ScenarioResult,
    TemperatureUnit,
    UnknownFrame,
    Version,
    VersionSupport,
)
from vitrea_client.names import clean_name

from tests.conftest import FUZZ_INPUTS, FuzzCounts
from vbox_simulator import host_wire as sim

H = bytes.fromhex

# -- builders -------------------------------------------------------------------------------

BUILT = [
    (host.keep_alive(), b"P:VITREA"),
    (host.version_query(), b"G:V:S"),
    (host.key_on(18, 2, 30), b"H:N018:2:O:030"),
    (host.key_on(18, 2), b"H:N018:2:O:000"),
    (host.key_off(18, 2), b"H:N018:2:F"),
    (host.key_toggle(18, 2), b"H:N018:2:T"),
    (host.boiler_timer(18, 2, 0), b"H:N018:2:F"),
    (host.boiler_timer(18, 2, 45), b"H:N018:2:O:045"),
    (host.dim(18, 3, 75), b"H:N018:3:D:000:075"),
    (host.dim(18, 3, 100, duration=120), b"H:N018:3:D:120:100"),
    (host.dim_recall(18, 3), b"H:N018:3:D:000:254"),
    (host.dim_recall(18, 3, 5), b"H:N018:3:D:005:254"),
    (host.dim_stop(18, 3), b"H:N018:3:D:000:255"),
    (host.dim_step(18, 3, up=True), b"H:N018:3:D:100"),
    (host.dim_step(18, 3, up=False), b"H:N018:3:D:000"),
    (host.blind(20, 1, 0), b"H:N020:1:B:000"),
    (host.blind(20, 1, 100), b"H:N020:1:B:100"),
    (host.blind_stop(20, 1), b"H:N020:1:B:255"),
    (host.hotel(7, HotelState.MUR), b"H:N007:1:d:2"),
    (host.fan_speed(7, FanSpeed.MAX), b"H:N007:S:4"),
    (host.output(3, close=False), b"H:O003:O"),
    (host.output(3, close=True), b"H:O003:C"),
    (host.led(12, 4, on=True), b"L:N012:4:O"),
    (host.led(12, 4, on=False), b"L:N012:4:F"),
    (host.status_all(), b"H:NALL:G"),
    (host.status_node(18), b"H:N018:G"),
    (host.status_key(18, 2), b"H:N018:G:2"),
    (host.status_key(18, 2, KeyQueryForm.VC), b"H:N018:2:G"),
    (host.status_ac(1), b"H:A001:G"),
    (host.status_input(5), b"H:I005:G"),
    (host.status_output(5), b"H:O005:G"),
    (host.status_occupancy(), b"H:C:G"),
    (host.run_scenario(3), b"H:R0003"),
    (host.run_scenario(9999), b"H:R9999"),
    (host.ac_set(1, ACMode.COOL, ACFan.HIGH, 24, TemperatureUnit.CELSIUS), b"H:A001:1:O:02:024:0"),
    (
        host.ac_set(2, ACMode.AUTO, ACFan.AUTO, 75, TemperatureUnit.FAHRENHEIT),
        b"H:A002:1:O:44:075:1",
    ),
    (host.ac_power(1, on=True), b"H:A001:2:O"),
    (host.ac_power(1, on=False), b"H:A001:2:F"),
    (host.ac_mode(1, ACMode.DRY), b"H:A001:3:3"),
    (host.ac_fan(1, ACFan.TOP), b"H:A001:4:3"),
    (host.ac_setpoint(1, 22), b"H:A001:5:022"),
    (host.ac_setpoint(1, 80, TemperatureUnit.FAHRENHEIT), b"H:A001:5:080"),
    (host.ac_unit(1, TemperatureUnit.FAHRENHEIT), b"H:A001:8:1"),
    (host.ac_step(1, up=True), b"H:A001:6"),
    (host.ac_step(1, up=False), b"H:A001:7"),
]


@pytest.mark.parametrize(("built", "text"), BUILT)
def test_command_lines(built: bytes, text: bytes) -> None:
    assert built == text + b"\r\n"


def test_worked_example_bytes() -> None:
    assert host.key_on(18, 2, 30) == H("48 3A 4E 30 31 38 3A 32 3A 4F 3A 30 33 30 0D 0A")
    assert host.keep_alive() == H("50 3A 56 49 54 52 45 41 0D 0A")
    assert host.version_query() == H("47 3A 56 3A 53 0D 0A")


REQUESTS = [
    (host.floor_numbers(), "56 54 48 3E 01 00 01 32"),
    (host.floor_params(1), "56 54 48 3E 02 00 03 00 01 36"),
    (host.room_numbers(), "56 54 48 3E 03 00 02 00 35"),
    (host.room_params(3), "56 54 48 3E 04 00 03 00 03 3A"),
    (host.keypad_numbers(), "56 54 48 3E 05 00 01 36"),
    (host.key_params(18, 2), "56 54 48 3E 06 00 04 00 12 02 4E"),
    (host.key_params(0, 1), "56 54 48 3E 06 00 04 01 00 01 3C"),
    (host.ac_numbers(), "56 54 48 3E 07 00 01 38"),
    (host.ac_params(1), "56 54 48 3E 08 00 03 00 01 3C"),
    (host.scenario_numbers(), "56 54 48 3E 09 00 01 3A"),
    (host.scenario_params(300), "56 54 48 3E 0A 00 03 01 2C 6A"),
]


@pytest.mark.parametrize(("built", "frame"), REQUESTS)
def test_vth_requests(built: bytes, frame: str) -> None:
    assert built == H(frame)


INVALID: list[tuple[Any, tuple[Any, ...]]] = [
    (host.key_on, (1000, 1)),
    (host.key_on, (-1, 1)),
    (host.key_on, (1, 0)),
    (host.key_on, (1, 10)),
    (host.key_on, (1, 1, 121)),
    (host.key_on, (True, 1)),
    (host.key_on, ("1", 1)),
    (host.boiler_timer, (1, 1, -1)),
    (host.dim, (1, 1, 101)),
    (host.dim, (1, 1, 50, 121)),
    (host.dim_recall, (1, 1, 121)),
    (host.blind, (1, 1, 101)),
    (host.blind, (1, 1, 255)),
    (host.hotel, (1, 3)),
    (host.fan_speed, (1, 5)),
    (host.status_ac, (1000,)),
    (host.status_input, (1000,)),
    (host.status_output, (-1,)),
    (host.run_scenario, (10000,)),
    (host.ac_set, (1, ACMode.COOL, ACFan.LOW, 31, TemperatureUnit.CELSIUS)),
    (host.ac_set, (1, ACMode.COOL, ACFan.LOW, 59, TemperatureUnit.FAHRENHEIT)),
    (host.ac_set, (1, 5, ACFan.LOW, 24, TemperatureUnit.CELSIUS)),
    (host.ac_set, (1, ACMode.COOL, 5, 24, TemperatureUnit.CELSIUS)),
    (host.ac_setpoint, (1, 14)),
    (host.ac_setpoint, (1, 91)),
    (host.ac_mode, (1, 9)),
    (host.ac_fan, (1, -1)),
    (host.ac_unit, (1, 2)),
    (host.floor_params, (0x10000,)),
    (host.room_numbers, (256,)),
    (host.key_params, (1, 0)),
    (host.key_params, (1, 256)),
    (host.scenario_params, (-1,)),
]


@pytest.mark.parametrize(("builder", "args"), INVALID)
def test_builders_reject_out_of_range_arguments(builder: Any, args: tuple[Any, ...]) -> None:
    with pytest.raises(ValueError, match=r"."):
        builder(*args)


def test_vth_frame_checks_its_arguments() -> None:
    assert host.vth_frame(host.VTH_REPLY_PREFIX, 7, H("01 00 01")) == H(
        "56 54 48 3C 07 00 04 01 00 01 3B"
    )
    with pytest.raises(ValueError, match="prefix"):
        host.vth_frame(b"VTU>", 1)
    with pytest.raises(ValueError, match="data bytes"):
        host.vth_frame(host.VTH_REQUEST_PREFIX, 1, bytes(host.MAX_VTH_LENGTH))
    with pytest.raises(ValueError, match="command"):
        host.vth_frame(host.VTH_REQUEST_PREFIX, 256)


# -- line parsers ---------------------------------------------------------------------------

PARSED_LINES: list[tuple[bytes, object]] = [
    (b"S:PSW:OK", PasswordAck()),
    (b"OK", Ack()),
    (b"S:N018:2:O", KeyStatus(node=18, key=2, state=KeyState.ON)),
    (b"S:N018:2:o:030", KeyStatus(node=18, key=2, state=KeyState.BOILER_ON, param=30)),
    (b"S:N018:3:D:075", KeyStatus(node=18, key=3, state=KeyState.DIMMER, param=75)),
    (b"S:N020:1:B:050", KeyStatus(node=20, key=1, state=KeyState.BLIND, param=50)),
    (b"S:N005:1:L", KeyStatus(node=5, key=1, state=KeyState.LONG)),
    (b"S:N005:1:F:", KeyStatus(node=5, key=1, state=KeyState.OFF)),
    (b"S:N005:1:B:5:junk:more", KeyStatus(node=5, key=1, state=KeyState.BLIND, param=5)),
    (b"S:N005:0:Q", KeyStatus(node=5, key=0, state="Q")),
    (
        b"S:A001:1:O:02:024:026:2:O:0",
        ACStatus(
            ac=1,
            key=1,
            is_on=True,
            mode=ACMode.COOL,
            fan=ACFan.HIGH,
            setpoint=24,
            temperature=26,
            ac_type=ACType.TYPE_2,
            relay_on=True,
            unit=TemperatureUnit.CELSIUS,
        ),
    ),
    (
        b"S:A001:1:F:\xff\xff:\xff:026:4:F:\xff",
        ACStatus(
            ac=1,
            key=1,
            is_on=False,
            mode=None,
            fan=None,
            setpoint=None,
            temperature=26,
            ac_type=ACType.TMSF,
            relay_on=False,
            unit=None,
        ),
    ),
    (
        b"S:A012:1:X:14:-05:\xff:1:\xff:1",
        ACStatus(
            ac=12,
            key=1,
            is_on=False,
            mode=ACMode.HEAT,
            fan=ACFan.AUTO,
            setpoint=-5,
            temperature=None,
            ac_type=ACType.TYPE_1,
            relay_on=None,
            unit=TemperatureUnit.FAHRENHEIT,
        ),
    ),
    (b"S:R0003:OK", ScenarioResult(scenario=3, ok=True)),
    (b"S:R00003:ERROR", ScenarioResult(scenario=3, ok=False)),
    (b"S:I005:C", InputStatus(input=5, closed=True)),
    (b"S:I005:O", InputStatus(input=5, closed=False)),
    (b"S:O004:O:050", OutputStatus(output=4, state="O", param=50)),
    (b"S:O004:F", OutputStatus(output=4, state="F")),
    (b"S:C:0", Occupancy(occupied=False)),
    (b"S:C:1", Occupancy(occupied=True)),
    (b"T:30:12:05:11:2025:3", Clock(minute=30, hour=12, day=5, month=11, year=2025, weekday=3)),
    (b"V:866", Version(digits="866", major=8, minor=66)),
    (b"V:805", Version(digits="805", major=8, minor=5)),
    (b"E:1:wrong command", HostError(code=1, text="wrong command")),
    (b"E:006:node not found", HostError(code=6, text="node not found")),
    (b"E:42", HostError(code=42)),
    (b"E:2:a:b", HostError(code=2, text="a:b")),
    (b"ERROR", HostError(code=None, text="ERROR")),
    (b"J:N018", NodeJoined(node=18)),
    (b"L:N018", NodeLeft(node=18)),
    (b"H:N018:2:O:030", Echo(data=b"H:N018:2:O:030")),
    (b"G:V:S", Echo(data=b"G:V:S")),
    (b"P:VITREA", Echo(data=b"P:VITREA")),
    (b"L:N012:4:O", Echo(data=b"L:N012:4:O")),
    (b"L:N012:4:F", Echo(data=b"L:N012:4:F")),
]


@pytest.mark.parametrize(("line", "expected"), PARSED_LINES)
def test_parse_line(line: bytes, expected: object) -> None:
    assert host.parse_line(line) == expected
    assert host.parse_line(line + b"\r\n") == expected


MALFORMED_LINES = [
    b"X:1",
    b"",
    b"OKAY",
    b"S",
    b"S:",
    b"S:PSW",
    b"S:PSW:NO",
    b"S:C:2",
    b"S:C",
    b"S:Z001",
    b"S:N018",
    b"S:N018:2",
    b"S:N18:2:O",
    b"S:N0180:2:O",
    b"S:X018:2:O",
    b"S:N018:22:O",
    b"S:N018:2:OO",
    b"S:N018:2:1",
    b"S:N018:2:D:x",
    b"S:N018:2:D:-1",
    b"S:N\xff18:2:O",
    b"S:N018:2:O:\xff",
    b"S:A001:1:O:02:024:026:2:O",
    b"S:A001:1:O:02:024:026:2:O:0:1",
    b"S:A001:1:O:2:024:026:2:O:0",
    b"S:A001:1:O:52:024:026:2:O:0",
    b"S:A001:1:O:05:024:026:2:O:0",
    b"S:A001:1:O:02:x24:026:2:O:0",
    b"S:A001:1:O:02:024:026:5:O:0",
    b"S:A001:1:O:02:024:026:\xff:O:0",
    b"S:A001:1:O:02:024:026:2:X:0",
    b"S:A001:1:O:02:024:026:2:O:2",
    b"S:A001:x:O:02:024:026:2:O:0",
    b"S:A01:1:O:02:024:026:2:O:0",
    b"S:R:OK",
    b"S:R000003:OK",
    b"S:R0003:MAYBE",
    b"S:R0003",
    b"S:I005:X",
    b"S:I005",
    b"S:O004",
    b"S:O004:5",
    b"S:O004:O:1:2",
    b"S:O004:O:x",
    b"T:30:12:05:11:2025",
    b"T:60:12:05:11:2025:3",
    b"T:30:24:05:11:2025:3",
    b"T:30:12:00:11:2025:3",
    b"T:30:12:05:13:2025:3",
    b"T:30:12:05:11:2025:x",
    b"V:8",
    b"V:",
    b"V:8a6",
    b"V:866:1",
    b"V:\xff66",
    b"E",
    b"E:x:text",
    b"E:N018:2:3",
    b"J:N018:1",
    b"J:018",
    b"L:N012:4:X",
    b"L:N012:4",
    b"\xff\xfe",
]


@pytest.mark.parametrize("line", MALFORMED_LINES)
def test_malformed_lines(line: bytes) -> None:
    result = host.parse_line(line)
    assert isinstance(result, Malformed), result
    assert result.reason
    assert result.data == line


def test_key_status_properties() -> None:
    def status(text: bytes) -> KeyStatus:
        result = host.parse_line(text)
        assert isinstance(result, KeyStatus)
        return result

    assert status(b"S:N001:1:O").is_on is True
    assert status(b"S:N001:1:o:010").is_on is True
    assert status(b"S:N001:1:F").is_on is False
    assert status(b"S:N001:1:f").is_on is False
    assert status(b"S:N001:1:D:050").is_on is None
    assert status(b"S:N001:1:D:050").level == 50
    assert status(b"S:N001:1:B:100").level == 100
    assert status(b"S:N001:1:B:101").level is None
    assert status(b"S:N001:1:D").level is None
    assert status(b"S:N001:1:O:030").level is None
    assert status(b"S:N001:1:S").is_press
    assert status(b"S:N001:1:R").is_press
    assert not status(b"S:N001:1:O").is_press


@pytest.mark.parametrize(
    ("digits", "support", "led"),
    [
        ("866", VersionSupport.SUPPORTED, False),
        ("862", VersionSupport.UPGRADE_OPTIONAL, False),
        ("799", VersionSupport.SUPPORTED, False),
        ("791", VersionSupport.UPGRADE_OPTIONAL, False),
        ("790", VersionSupport.UNSUPPORTED, False),
        ("901", VersionSupport.SUPPORTED, True),
        ("001", VersionSupport.SUPPORTED, True),
        ("1001", VersionSupport.UNSUPPORTED, False),
        ("650", VersionSupport.UNSUPPORTED, False),
    ],
)
def test_version_gates(digits: str, support: VersionSupport, led: bool) -> None:
    version = host.parse_line(f"V:{digits}".encode())
    assert isinstance(version, Version)
    assert version.support is support
    assert version.supports_led_commands is led


def test_error_meanings() -> None:
    assert HostError(code=1).meaning is HostErrorCode.WRONG_COMMAND
    assert HostError(code=6).meaning is HostErrorCode.NODE_NOT_FOUND
    assert HostError(code=7).meaning is None
    assert HostError(code=None).meaning is None


# -- VTH replies ----------------------------------------------------------------------------

WORKED_REPLIES: list[tuple[str, object]] = [
    ("56 54 48 3C 01 00 06 02 00 01 00 02 3A", FloorNumbers(floors=(1, 2))),
    (
        "56 54 48 3C 02 00 10 00 01 0C 47 00 72 00 6F 00 75 00 6E 00 64 00 BC",
        FloorParams(floor=1, name="Ground"),
    ),
    ("56 54 48 3C 03 00 06 02 00 01 00 05 3F", RoomNumbers(rooms=(1, 5))),
    (
        "56 54 48 3C 04 00 0E 00 05 00 01 08 E1 05 DC 05 D5 05 DF 05 D3",
        RoomParams(room=5, floor=1, name="סלון"),
    ),
    (
        "56 54 48 3C 05 00 09 00 02 00 00 02 00 12 04 56",
        KeypadNumbers(keypads=((0, 2), (18, 4))),
    ),
    (
        "56 54 48 3C 06 00 10 00 12 02 03 00 05 08 53 00 70 00 6F 00 74 00 0E",
        KeyParams(keypad=18, key=2, key_type=HostKeyType.DIMMER, room=5, name="Spot"),
    ),
    ("56 54 48 3C 07 00 04 01 00 01 3B", ACNumbers(acs=(1,))),
    (
        "56 54 48 3C 08 00 0B 00 01 32 00 05 04 41 00 43 00 01",
        ACParams(ac=1, ac_type=ACType.TYPE_2, room=5, name="AC"),
    ),
    ("56 54 48 3C 09 00 04 01 01 2C 69", ScenarioNumbers(scenarios=(300,))),
    (
        "56 54 48 3C 0A 00 14 01 2C FF FF 0E 41 00 6C 00 6C 00 20 00 6F 00 66 00 66 00 F9",
        ScenarioParams(scenario=300, room=0xFFFF, name="All off"),
    ),
]


@pytest.mark.parametrize(("frame", "expected"), WORKED_REPLIES)
def test_worked_replies(frame: str, expected: object) -> None:
    assert host.parse_frame(H(frame)) == expected
    assert HostReader().feed(H(frame)) == [expected]


def test_reply_properties() -> None:
    assert KeypadNumbers(keypads=((0, 2), (18, 4))).total_keys == 6
    assert ScenarioParams(scenario=1, room=0xFFFF, name="").is_global
    assert not ScenarioParams(scenario=1, room=5, name="").is_global


def _reply(command: int, data: str) -> bytes:
    return host.vth_frame(host.VTH_REPLY_PREFIX, command, H(data))


def test_reply_edge_cases_that_parse() -> None:
    emoji = "🙂".encode("utf-16-le")
    assert host.parse_frame(_reply(2, "00 01 04" + emoji.hex())) == FloorParams(floor=1, name="🙂")
    assert host.parse_frame(_reply(2, "00 01 02 00 D8")) == FloorParams(floor=1, name="\ufffd")
    assert host.parse_frame(_reply(2, "00 01 00")) == FloorParams(floor=1, name="")
    assert host.parse_frame(_reply(1, "00")) == FloorNumbers(floors=())
    assert host.parse_frame(_reply(6, "00 12 02 63 00 05 00")) == KeyParams(
        keypad=18, key=2, key_type=99, room=5, name=""
    )
    assert host.parse_frame(_reply(0x42, "01 02")) == UnknownFrame(command=0x42, data=H("01 02"))
    assert host.parse_frame(host.floor_params(1)) == Echo(data=host.floor_params(1))


HOSTILE_NAME = "\x00Spo\x00ts\x07\r\n\u202e \u200f"
"""NULs, a bell, a line break, an override and a kept mark; cleaned: "Spots \u200f"."""


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (sim.floor(1, HOSTILE_NAME), FloorParams(floor=1, name="Spots \u200f")),
        (sim.room(5, 1, HOSTILE_NAME), RoomParams(room=5, floor=1, name="Spots \u200f")),
        (
            sim.key(18, 2, 3, 5, HOSTILE_NAME),
            KeyParams(keypad=18, key=2, key_type=3, room=5, name="Spots \u200f"),
        ),
        (
            sim.ac(1, 2, 5, HOSTILE_NAME),
            ACParams(ac=1, ac_type=ACType.TYPE_2, room=5, name="Spots \u200f"),
        ),
        (
            sim.scenario(300, 5, HOSTILE_NAME),
            ScenarioParams(scenario=300, room=5, name="Spots \u200f"),
        ),
        (sim.room(5, 1, "\x00\x01\x1f\u200b\u200e"), RoomParams(room=5, floor=1, name="")),
    ],
)
def test_reply_names_are_cleaned(frame: bytes, expected: object) -> None:
    assert host.parse_frame(frame) == expected
    assert HostReader().feed(frame) == [expected]


@pytest.mark.parametrize(
    "frame",
    [
        _reply(1, "02 00 01"),  # count 2, one ID
        _reply(1, "01 00 01 00"),  # a byte after the last field
        _reply(2, "00 01 03 47 00 72"),  # odd name length
        _reply(2, "00 01 04 47 00"),  # name shorter than its length
        _reply(2, "00 01 02 47 00 72 00"),  # bytes after the name
        _reply(2, "00"),  # truncated floor
        _reply(5, "00 02 00 00 02"),  # count 2, one keypad
        _reply(8, "00 01 35 00 05 00"),  # AC type '5'
        _reply(8, "00 01 02 00 05 00"),  # AC type as a byte, not a digit
        b"VTH<",  # too short
        H("56 54 48 3C 01 00 02 00 32"),  # wrong checksum
        H("56 54 48 3C 01 00 03 00 33"),  # len longer than the frame
        H("56 54 55 3C 01 00 01 32"),  # VTU, not VTH
    ],
)
def test_malformed_replies(frame: bytes) -> None:
    result = host.parse_frame(frame)
    assert isinstance(result, Malformed), result
    assert result.data == frame


# -- the stream reader ----------------------------------------------------------------------

STREAM = [
    b"S:PSW:OK\r\n",
    H(WORKED_REPLIES[0][0]),
    b"S:N018:2:O\r\n",
    H(WORKED_REPLIES[5][0]),
    H(WORKED_REPLIES[9][0]),
    b"S:A001:1:F:\xff\xff:\xff:026:4:F:\xff\r\n",
    b"\r\n",
    b"H:NALL:G\r\n",
    host.floor_params(1),
    b"V:866\r\n",
]
EXPECTED = [
    PasswordAck(),
    WORKED_REPLIES[0][1],
    KeyStatus(node=18, key=2, state=KeyState.ON),
    WORKED_REPLIES[5][1],
    WORKED_REPLIES[9][1],
    host.parse_line(STREAM[5]),
    Echo(data=b"H:NALL:G"),
    Echo(data=host.floor_params(1)),
    Version(digits="866", major=8, minor=66),
]


def test_reader_merged_stream() -> None:
    assert HostReader().feed(b"".join(STREAM)) == EXPECTED


def test_reader_byte_by_byte() -> None:
    reader = HostReader()
    out = [item for byte in b"".join(STREAM) for item in reader.feed(bytes([byte]))]
    assert out == EXPECTED
    assert reader.buffered == 0
    assert reader.discarded_bytes == 0


@settings(deadline=None, max_examples=300)
@given(cuts=st.lists(st.integers(0, sum(map(len, STREAM))), max_size=12))
def test_property_any_split_gives_the_same_messages(cuts: list[int]) -> None:
    data = b"".join(STREAM)
    reader = HostReader()
    out: list[host.HostMessage] = []
    last = 0
    for cut in [*sorted(cuts), len(data)]:
        out += reader.feed(data[last:cut])
        last = cut
    assert out == EXPECTED


def test_reader_garbage_before_a_frame_is_reported() -> None:
    reader = HostReader()
    out = reader.feed(b"\x00junk" + host.vth_frame(host.VTH_REPLY_PREFIX, 7, H("01 00 01")))
    assert out == [
        Malformed(reason="garbage before a VTH frame", data=b"\x00junk"),
        ACNumbers(acs=(1,)),
    ]
    assert reader.discarded_bytes == 5


def test_reader_garbage_line_is_malformed_and_the_next_line_is_read() -> None:
    out = HostReader().feed(b"\x01\x02garbage\r\nS:N001:1:F\r\n")
    assert isinstance(out[0], Malformed)
    assert out[1:] == [KeyStatus(node=1, key=1, state=KeyState.OFF)]


def test_reader_bad_checksum_resynchronises_inside_the_frame() -> None:
    inner = b"S:C:1\r\n"
    bad = b"VTH<\x01\x00" + bytes([len(inner) + 1]) + inner + b"\x00"
    reader = HostReader()
    out = reader.feed(bad + b"OK\r\nS:PSW:OK\r\n")
    assert out[0] == Malformed(reason="bad VTH checksum", data=bad)
    assert out[1] == Occupancy(occupied=True)  # the "data" of the bad frame
    assert isinstance(out[2], Malformed)  # its "checksum" and the line it ran into
    assert out[3:] == [PasswordAck()]


@pytest.mark.parametrize("length", [b"\x00\x00", b"\x10\x00", b"\xff\xff"])
def test_reader_impossible_length_is_dropped_at_once(length: bytes) -> None:
    reader = HostReader()
    out = reader.feed(b"VTH<\x01" + length + b"OK\r\n")
    assert isinstance(out[0], Malformed)
    assert "impossible" in out[0].reason
    assert out[-1] == Ack()
    assert reader.buffered == 0


def test_reader_waits_for_a_partial_prefix_and_header() -> None:
    reader = HostReader()
    frame = H(WORKED_REPLIES[6][0])
    for size in range(1, len(frame)):
        assert reader.feed(frame[size - 1 : size]) == []
    assert reader.feed(frame[-1:]) == [ACNumbers(acs=(1,))]


def test_reader_overlong_line_is_reported_once_and_skipped() -> None:
    reader = HostReader(max_line=32)
    out = reader.feed(b"A" * 40)
    assert out == [Malformed(reason="line longer than 32 bytes", data=b"A" * 32)]
    assert reader.buffered == 0
    assert reader.feed(b"B" * 1000) == []
    assert reader.buffered <= 3
    assert reader.feed(b"BB\rx\r\nOK\r\n") == [Ack()]


def test_reader_overlong_line_keeps_a_frame_that_follows() -> None:
    reader = HostReader(max_line=8)
    frame = H(WORKED_REPLIES[6][0])
    out = reader.feed(b"A" * 20 + b"VT")
    assert [type(item) for item in out] == [Malformed]
    assert reader.feed(frame[2:]) == [ACNumbers(acs=(1,))]  # "VT" was kept
    reader = HostReader(max_line=8)
    reader.feed(b"A" * 20 + b"V")
    assert reader.feed(frame[1:]) == [ACNumbers(acs=(1,))]


def test_reader_overlong_line_ending_in_cr() -> None:
    reader = HostReader(max_line=8)
    assert len(reader.feed(b"A" * 20 + b"\r")) == 1
    assert reader.feed(b"\nOK\r\n") == [Ack()]


def test_reader_stays_bounded_without_line_ends() -> None:
    reader = HostReader()
    rng = random.Random(7)  # noqa: S311
    for _ in range(200):
        reader.feed(bytes(rng.choice(b"ABC:\r") for _ in range(300)))
        assert reader.buffered <= host.MAX_LINE


# -- round trips through the simulator's codec ----------------------------------------------


@pytest.mark.parametrize(("built", "text"), BUILT)
def test_every_command_is_understood_by_the_simulator(built: bytes, text: bytes) -> None:
    command = sim.parse_command(built)
    assert isinstance(command, sim.Command), (text, command)


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (host.key_on(18, 2, 30), sim.Command("on", ("N", 18), 2, (30,))),
        (host.key_off(18, 2), sim.Command("off", ("N", 18), 2)),
        (host.dim(18, 3, 75, 10), sim.Command("dim", ("N", 18), 3, (10, 75))),
        (host.dim_stop(18, 3), sim.Command("dim", ("N", 18), 3, (0, 255))),
        (host.blind_stop(20, 1), sim.Command("blind", ("N", 20), 1, (255,))),
        (host.status_key(18, 2), sim.Command("status_key", ("N", 18), 2)),
        (host.status_key(18, 2, KeyQueryForm.VC), sim.Command("status_key", ("N", 18), 2)),
        (host.run_scenario(3), sim.Command("scenario", ("R", 3))),
        (
            host.ac_set(1, ACMode.COOL, ACFan.HIGH, 24, TemperatureUnit.CELSIUS),
            sim.Command("ac_set", ("A", 1), None, ("O", 0, 2, 24, 0)),
        ),
        (host.led(12, 4, on=True), sim.Command("led", ("N", 12), 4, ("O",))),
        (host.hotel(7, HotelState.DND), sim.Command("hotel", ("N", 7), 1, (1,))),
        (host.fan_speed(7, FanSpeed.LOW), sim.Command("fan", ("N", 7), None, (1,))),
    ],
)
def test_commands_decoded_by_the_simulator(built: bytes, expected: sim.Command) -> None:
    assert sim.parse_command(built) == expected


@pytest.mark.parametrize(("built", "_frame"), REQUESTS)
def test_every_request_is_understood_by_the_simulator(built: bytes, _frame: str) -> None:
    request = sim.parse_request(built)
    assert isinstance(request, sim.DbRequest)
    assert request.command == built[4]
    assert sim.CommandReader().feed(built) == [request]


def test_simulator_replies_parse_in_the_library() -> None:
    pairs: list[tuple[bytes, object]] = [
        (sim.floors([1, 2]), FloorNumbers(floors=(1, 2))),
        (sim.floor(1, "Ground"), FloorParams(floor=1, name="Ground")),
        (sim.rooms([1, 5]), RoomNumbers(rooms=(1, 5))),
        (sim.room(5, 1, "סלון"), RoomParams(room=5, floor=1, name="סלון")),
        (sim.keypads([(0, 2), (18, 4)]), KeypadNumbers(keypads=((0, 2), (18, 4)))),
        (
            sim.key(18, 2, 3, 5, "Spot"),
            KeyParams(keypad=18, key=2, key_type=3, room=5, name="Spot"),
        ),
        (sim.acs([1]), ACNumbers(acs=(1,))),
        (sim.ac(1, 2, 5, "AC"), ACParams(ac=1, ac_type=ACType.TYPE_2, room=5, name="AC")),
        (sim.scenarios([300]), ScenarioNumbers(scenarios=(300,))),
        (
            sim.scenario(300, 0xFFFF, "All off"),
            ScenarioParams(scenario=300, room=0xFFFF, name="All off"),
        ),
        (sim.psw_ok(), PasswordAck()),
        (sim.ok(), Ack()),
        (
            sim.key_status(18, 2, "o", 30),
            KeyStatus(node=18, key=2, state=KeyState.BOILER_ON, param=30),
        ),
        (sim.key_status(5, 1, "S"), KeyStatus(node=5, key=1, state=KeyState.SHORT)),
        (sim.scenario_result(3, success=False), ScenarioResult(scenario=3, ok=False)),
        (sim.input_status(5, closed=True), InputStatus(input=5, closed=True)),
        (sim.output_status(4, "O", 50), OutputStatus(output=4, state="O", param=50)),
        (sim.occupancy(occupied=True), Occupancy(occupied=True)),
        (
            sim.clock(30, 12, 5, 11, 2025, 3),
            Clock(minute=30, hour=12, day=5, month=11, year=2025, weekday=3),
        ),
        (sim.version("866"), Version(digits="866", major=8, minor=66)),
        (sim.error(5, "wrong scenario", width=3), HostError(code=5, text="wrong scenario")),
        (sim.joined(18), NodeJoined(node=18)),
        (sim.left(18), NodeLeft(node=18)),
    ]
    for encoded, expected in pairs:
        assert HostReader().feed(encoded) == [expected], encoded
    for frame, _ in WORKED_REPLIES:
        assert host.parse_frame(H(frame)) is not None


@settings(deadline=None, max_examples=300)
@given(
    ac=st.integers(0, 999),
    on=st.booleans(),
    mode=st.none() | st.sampled_from(ACMode),
    fan=st.sampled_from(ACFan),
    setpoint=st.none() | st.integers(0, 999),
    measured=st.none() | st.integers(0, 999),
    ac_type=st.sampled_from(ACType),
    relay=st.none() | st.booleans(),
    unit=st.none() | st.sampled_from(TemperatureUnit),
)
def test_property_simulator_ac_status_round_trips(
    ac: int,
    on: bool,
    mode: ACMode | None,
    fan: ACFan,
    setpoint: int | None,
    measured: int | None,
    ac_type: ACType,
    relay: bool | None,
    unit: TemperatureUnit | None,
) -> None:
    line = sim.ac_status(
        ac,
        on=on,
        mode=mode,
        fan=fan,
        setpoint=setpoint,
        measured=measured,
        ac_type=ac_type,
        relay=relay,
        unit=unit,
    )
    assert host.parse_line(line) == ACStatus(
        ac=ac,
        key=1,
        is_on=on,
        mode=mode,
        fan=None if mode is None else fan,
        setpoint=setpoint,
        temperature=measured,
        ac_type=ac_type,
        relay_on=relay,
        unit=unit,
    )


names = st.text(st.characters(exclude_categories=("Cs",)), max_size=20).filter(
    lambda name: len(name.encode("utf-16-le")) <= 255
)


@settings(deadline=None, max_examples=300)
@given(
    keypad=st.integers(0, 0xFFFF),
    key=st.integers(1, 255),
    key_type=st.integers(0, 255),
    room=st.integers(0, 0xFFFF),
    name=names,
)
def test_property_simulator_key_params_round_trip(
    keypad: int, key: int, key_type: int, room: int, name: str
) -> None:
    assert host.parse_frame(sim.key(keypad, key, key_type, room, name)) == KeyParams(
        keypad=keypad, key=key, key_type=key_type, room=room, name=clean_name(name)
    )


@settings(deadline=None, max_examples=200)
@given(ids=st.lists(st.integers(0, 0xFFFF), max_size=255))
def test_property_simulator_id_lists_round_trip(ids: list[int]) -> None:
    assert host.parse_frame(sim.scenarios(ids)) == ScenarioNumbers(scenarios=tuple(ids))


# -- fuzz -----------------------------------------------------------------------------------

SAMPLES = [
    *(text + b"\r\n" for text, _ in PARSED_LINES),
    *(H(frame) for frame, _ in WORKED_REPLIES),
    *(built for built, _ in REQUESTS),
    sim.keypads([(n, 8) for n in range(40)]),
]
MESSAGE_TYPES = tuple(
    {type(expected) for _, expected in PARSED_LINES + WORKED_REPLIES}
    | {Malformed, UnknownFrame, Echo, KeyStatus}
)
MAX_HELD = max(host.MAX_FRAME_SIZE, host.MAX_LINE)
"""What the reader may hold between two feeds."""


def _mutant(rng: random.Random) -> bytes:
    """One generated input: real messages, mutated, merged, with junk between them."""
    parts: list[bytes] = []
    for _ in range(rng.randint(1, 4)):
        data = bytearray(rng.choice(SAMPLES))
        for _ in range(rng.randint(0, 3)):
            action = rng.random()
            at = rng.randrange(len(data) + 1)
            if action < 0.4 and data:
                data[min(at, len(data) - 1)] = rng.randrange(256)
            elif action < 0.6:
                del data[at:]
            elif action < 0.8:
                data[at:at] = rng.randbytes(rng.randint(1, 8))
            else:
                data[at:at] = rng.choice((b"\r\n", b"VTH<", b":", b"\xff", b"VTH<\x01\x0f\xff"))
        parts.append(bytes(data))
    return b"".join(parts)


def test_fuzz_reader_and_parsers(fuzz_counts: FuzzCounts) -> None:
    """FUZZ_INPUTS generated inputs through a fresh reader (split at random), the line parser
    and the frame parser, and through one long-lived reader; none may raise or overgrow."""
    rng = random.Random(11502)  # noqa: S311
    long_lived = HostReader()
    started = time.perf_counter()
    for _ in range(FUZZ_INPUTS):
        data = _mutant(rng)
        reader = HostReader()
        cut = rng.randrange(len(data) + 1)
        for chunk in (data[:cut], data[cut:]):
            for item in reader.feed(chunk):
                assert isinstance(item, MESSAGE_TYPES)
            assert reader.buffered <= MAX_HELD
        long_lived.feed(data)
        assert long_lived.buffered <= MAX_HELD
        assert isinstance(host.parse_line(data), MESSAGE_TYPES)
        assert isinstance(host.parse_frame(data), MESSAGE_TYPES)
    seconds = time.perf_counter() - started
    # After all that, clean bytes and one line end bring the long-lived reader back in sync.
    assert long_lived.feed(b"x" * (MAX_HELD + 1) + b"\r\nOK\r\n")[-1] == Ack()
    fuzz_counts.record(
        "host: library reader and parsers (vitrea_client.host)", FUZZ_INPUTS, seconds
    )


garbage = st.binary(max_size=600).map(
    lambda data: b"\x00" + data.replace(b"V", b"").replace(b"\r", b"")
)


@settings(deadline=None, max_examples=300)
@given(junk=garbage, cuts=st.lists(st.integers(0, 2000), max_size=6))
def test_property_valid_messages_after_garbage_are_found(junk: bytes, cuts: list[int]) -> None:
    data = junk + b"\r\n" + b"".join(STREAM)
    reader = HostReader()
    out: list[host.HostMessage] = []
    last = 0
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        out += reader.feed(data[last:cut])
        last = cut
    assert out[-len(EXPECTED) :] == EXPECTED
    assert all(isinstance(item, Malformed) for item in out[: -len(EXPECTED)])
    assert 1 <= len(out) - len(EXPECTED) <= 2
