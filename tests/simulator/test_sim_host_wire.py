"""The simulator's host-interface codec (TCP 11502), from the spec alone, and a fuzz of it."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from tests.conftest import FUZZ_INPUTS, FuzzCounts
from vbox_simulator import host_wire as w
from vbox_simulator.host_wire import BadCommand, Command, Db, DbRequest

H = bytes.fromhex


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"P:VITREA", Command("keep_alive", values=("VITREA",))),
        (b"G:V:S", Command("version")),
        (b"H:NALL:G", Command("status_all")),
        (b"H:C:G", Command("status_occupancy")),
        (b"H:N018:G", Command("status_node", ("N", 18))),
        (b"H:N018:G:2", Command("status_key", ("N", 18), 2)),
        (b"H:N018:2:G", Command("status_key", ("N", 18), 2)),
        (b"H:N018:2:O:030", Command("on", ("N", 18), 2, (30,))),
        (b"H:N018:2:O:000", Command("on", ("N", 18), 2, (0,))),
        (b"H:N018:2:O:", Command("on", ("N", 18), 2)),
        (b"H:N018:2:O", Command("on", ("N", 18), 2)),
        (b"H:N018:2:F", Command("off", ("N", 18), 2)),
        (b"H:N018:2:F:000", Command("off", ("N", 18), 2)),
        (b"H:N018:2:T", Command("toggle", ("N", 18), 2)),
        (b"H:N018:3:D:000:075", Command("dim", ("N", 18), 3, (0, 75))),
        (b"H:N018:3:D:000:254", Command("dim", ("N", 18), 3, (0, 254))),
        (b"H:N018:3:D:100", Command("dim_step", ("N", 18), 3, (100,))),
        (b"H:N020:1:B:255", Command("blind", ("N", 20), 1, (255,))),
        (b"H:N007:1:d:2", Command("hotel", ("N", 7), 1, (2,))),
        (b"H:N007:S:3", Command("fan", ("N", 7), None, (3,))),
        (b"L:N012:4:O", Command("led", ("N", 12), 4, ("O",))),
        (b"H:A001:G", Command("status_ac", ("A", 1))),
        (b"H:I005:G", Command("status_input", ("I", 5))),
        (b"H:O005:G", Command("status_output", ("O", 5))),
        (b"H:O005:C", Command("output", ("O", 5), None, ("C",))),
        (b"H:R0003", Command("scenario", ("R", 3))),
        (b"H:R00003", Command("scenario", ("R", 3))),
        (b"H:A001:1:O:02:024:0", Command("ac_set", ("A", 1), None, ("O", 0, 2, 24, 0))),
        (b"H:A001:2:F", Command("ac_power", ("A", 1), None, ("F",))),
        (b"H:A001:3:4", Command("ac_mode", ("A", 1), None, (4,))),
        (b"H:A001:4:2", Command("ac_fan", ("A", 1), None, (2,))),
        (b"H:A001:5:022\r\n", Command("ac_setpoint", ("A", 1), None, (22,))),
        (b"H:A001:8:1", Command("ac_unit", ("A", 1), None, (1,))),
        (b"H:A001:6", Command("ac_up", ("A", 1))),
        (b"H:A001:7", Command("ac_down", ("A", 1))),
    ],
)
def test_parse_command(line: bytes, expected: Command) -> None:
    assert w.parse_command(line) == expected
    assert expected.kind in w.KINDS


@pytest.mark.parametrize(
    "line",
    [
        b"H:N018:0:F",  # keys are 1-based
        b"H:N018:2:O:121",
        b"H:N018:3:D:121:050",
        b"H:N018:3:D:000:101",
        b"H:N018:3:D:000:253",
        b"H:N020:1:B:101",
        b"H:N18:2:F",
        b"H:N018:2:X",
        b"H:R003",
        b"H:\xff",
        b"",
        b"S:N018:2:O",
    ],
)
def test_bad_commands(line: bytes) -> None:
    assert isinstance(w.parse_command(line), BadCommand)


REQUESTS = [
    ("56 54 48 3E 01 00 01 32", DbRequest(Db.FLOORS)),
    ("56 54 48 3E 02 00 03 00 01 36", DbRequest(Db.FLOOR, 1)),
    ("56 54 48 3E 03 00 02 00 35", DbRequest(Db.ROOMS, key=0)),
    ("56 54 48 3E 04 00 03 00 03 3A", DbRequest(Db.ROOM, 3)),
    ("56 54 48 3E 05 00 01 36", DbRequest(Db.KEYPADS)),
    ("56 54 48 3E 06 00 04 00 12 02 4E", DbRequest(Db.KEY, 18, 2)),
    ("56 54 48 3E 06 00 04 01 00 01 3C", DbRequest(Db.KEY, 256, 1)),
    ("56 54 48 3E 07 00 01 38", DbRequest(Db.ACS)),
    ("56 54 48 3E 08 00 03 00 01 3C", DbRequest(Db.AC, 1)),
    ("56 54 48 3E 09 00 01 3A", DbRequest(Db.SCENARIOS)),
    ("56 54 48 3E 0A 00 03 01 2C 6A", DbRequest(Db.SCENARIO, 300)),
]


@pytest.mark.parametrize(("frame", "expected"), REQUESTS)
def test_parse_request(frame: str, expected: DbRequest) -> None:
    assert w.parse_request(H(frame)) == expected
    assert w.vth(H(frame)[4], H(frame)[7:-1], w.REQUEST) == H(frame)


@pytest.mark.parametrize(
    "frame",
    [
        H("56 54 48 3C 01 00 01 31"),  # a reply
        H("56 54 48 3E 01 00 01 33"),  # checksum
        H("56 54 48 3E 01 00 02 32"),  # len
        w.vth(0x42, b"", w.REQUEST),  # unknown command
        w.vth(2, b"\x00", w.REQUEST),  # short argument
        b"VTH>",
    ],
)
def test_bad_requests(frame: bytes) -> None:
    assert isinstance(w.parse_request(frame), BadCommand)


WORKED = [
    (w.floors([1, 2]), "56 54 48 3C 01 00 06 02 00 01 00 02 3A"),
    (w.floor(1, "Ground"), "56 54 48 3C 02 00 10 00 01 0C 47 00 72 00 6F 00 75 00 6E 00 64 00 BC"),
    (w.rooms([1, 5]), "56 54 48 3C 03 00 06 02 00 01 00 05 3F"),
    (w.room(5, 1, "סלון"), "56 54 48 3C 04 00 0E 00 05 00 01 08 E1 05 DC 05 D5 05 DF 05 D3"),
    (w.keypads([(0, 2), (18, 4)]), "56 54 48 3C 05 00 09 00 02 00 00 02 00 12 04 56"),
    (
        w.key(18, 2, 3, 5, "Spot"),
        "56 54 48 3C 06 00 10 00 12 02 03 00 05 08 53 00 70 00 6F 00 74 00 0E",
    ),
    (w.acs([1]), "56 54 48 3C 07 00 04 01 00 01 3B"),
    (w.ac(1, 2, 5, "AC"), "56 54 48 3C 08 00 0B 00 01 32 00 05 04 41 00 43 00 01"),
    (w.scenarios([300]), "56 54 48 3C 09 00 04 01 01 2C 69"),
    (
        w.scenario(300, 0xFFFF, "All off"),
        "56 54 48 3C 0A 00 14 01 2C FF FF 0E 41 00 6C 00 6C 00 20 00 6F 00 66 00 66 00 F9",
    ),
]


@pytest.mark.parametrize(("encoded", "frame"), WORKED)
def test_worked_replies(encoded: bytes, frame: str) -> None:
    assert encoded == H(frame)


def test_reply_encoders_table() -> None:
    assert set(w.REPLY_ENCODERS) == set(Db)
    assert w.REPLY_ENCODERS[Db.FLOORS]([1, 2]) == WORKED[0][0]


def test_encoders_refuse_what_does_not_fit() -> None:
    with pytest.raises(ValueError, match="longer than 255"):
        w.floor(1, "x" * 128)
    with pytest.raises(ValueError, match="do not fit"):
        w.vth(1, bytes(w.MAX_LEN))


def test_lines() -> None:
    assert w.psw_ok() == b"S:PSW:OK\r\n"
    assert w.ok() == b"OK\r\n"
    assert w.key_status(18, 2, "O") == b"S:N018:2:O\r\n"
    assert w.key_status(18, 3, "D", 75) == b"S:N018:3:D:075\r\n"
    assert w.scenario_result(3, success=True) == b"S:R0003:OK\r\n"
    assert w.scenario_result(3, success=False) == b"S:R0003:ERROR\r\n"
    assert w.input_status(5, closed=False) == b"S:I005:O\r\n"
    assert w.output_status(4, "F") == b"S:O004:F\r\n"
    assert w.occupancy(occupied=False) == b"S:C:0\r\n"
    assert w.clock(30, 12, 5, 11, 2025, 3) == b"T:30:12:05:11:2025:3\r\n"
    assert w.version("866") == b"V:866\r\n"
    assert w.error(1, "wrong command") == b"E:1:wrong command\r\n"
    assert w.error(1, "wrong command", width=3) == b"E:001:wrong command\r\n"
    assert w.joined(18) == b"J:N018\r\n"
    assert w.left(18) == b"L:N018\r\n"
    known: dict[str, Any] = {
        "on": True,
        "mode": 0,
        "fan": 2,
        "setpoint": 24,
        "measured": 26,
        "ac_type": 2,
        "relay": True,
        "unit": 0,
    }
    assert w.ac_status(1, **known) == b"S:A001:1:O:02:024:026:2:O:0\r\n"
    unknown: dict[str, Any] = {
        "on": False,
        "mode": None,
        "fan": None,
        "setpoint": None,
        "measured": 26,
        "ac_type": 4,
        "relay": False,
        "unit": None,
    }
    assert w.ac_status(1, **unknown) == H("53 3A 41 30 30 31 3A 31 3A 46 3A FF FF 3A FF") + (
        b":026:4:F:\xff\r\n"
    )


def test_reader_merged_split_and_garbage() -> None:
    stream = (
        b"P:VITREA\r\n"
        + H(REQUESTS[1][0])
        + b"\r\nH:NALL:G\r\n"
        + b"junk"
        + H(REQUESTS[5][0])
        + b"H:N018:G:2\r\n"
    )
    expected = [
        Command("keep_alive", values=("VITREA",)),
        REQUESTS[1][1],
        Command("status_all"),
        BadCommand("bytes before a VTH request", b"junk"),
        REQUESTS[5][1],
        Command("status_key", ("N", 18), 2),
    ]
    assert w.CommandReader().feed(stream) == expected
    reader = w.CommandReader()
    assert [item for b in stream for item in reader.feed(bytes([b]))] == expected
    assert not reader.pending


def test_reader_bad_frames_and_long_lines() -> None:
    reader = w.CommandReader()
    out = reader.feed(b"VTH>\x01\x00\x00G:V:S\r\n")
    assert isinstance(out[0], BadCommand)
    assert out[0].reason == "impossible VTH len"
    assert out[-1] == Command("version")
    out = reader.feed(b"VTH>\x01\x00\x01\x00\r\nG:V:S\r\n")
    assert out[0] == BadCommand("bad VTH checksum", b"VTH>\x01\x00\x01\x00")
    assert out[-1] == Command("version")
    out = reader.feed(b"x" * 1000)
    assert [item.reason for item in out if isinstance(item, BadCommand)] == ["line too long"]
    assert len(reader.pending) <= w.MAX_LINE
    assert reader.feed(b"\r\nG:V:S\r\n")[-1] == Command("version")


def _mutant(rng: random.Random, samples: list[bytes]) -> bytes:
    parts = []
    for _ in range(rng.randint(1, 4)):
        data = bytearray(rng.choice(samples))
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(data) + 1)
            roll = rng.random()
            if roll < 0.4 and data:
                data[min(at, len(data) - 1)] = rng.randrange(256)
            elif roll < 0.6:
                del data[at:]
            else:
                data[at:at] = rng.choice((rng.randbytes(3), b"\r\n", b"VTH>", b"VTH>\x01\x0f\xff"))
        parts.append(bytes(data))
    return b"".join(parts)


def test_fuzz_command_reader_and_parsers(fuzz_counts: FuzzCounts) -> None:
    """FUZZ_INPUTS generated inputs through a fresh reader split at random, both parsers, and one
    long-lived reader; nothing raises, nothing outgrows one frame or line."""
    samples = [
        *(bytes.fromhex(frame) for frame, _ in REQUESTS),
        b"P:VITREA\r\n",
        b"H:N018:2:O:030\r\n",
        b"H:N018:3:D:000:075\r\n",
        b"H:A001:1:O:02:024:0\r\n",
        b"H:N018:G:2\r\n",
        b"L:N012:4:O\r\n",
    ]
    bound = w.HEADER + w.MAX_LEN
    rng = random.Random(11502)  # noqa: S311
    long_lived = w.CommandReader()
    kinds = (Command, DbRequest, BadCommand)
    started = time.perf_counter()
    for _ in range(FUZZ_INPUTS):
        data = _mutant(rng, samples)
        reader = w.CommandReader()
        cut = rng.randrange(len(data) + 1)
        for chunk in (data[:cut], data[cut:]):
            assert all(isinstance(item, kinds) for item in reader.feed(chunk))
            assert len(reader.pending) <= bound
        long_lived.feed(data)
        assert len(long_lived.pending) <= bound
        assert isinstance(w.parse_command(data), (Command, BadCommand))
        assert isinstance(w.parse_request(data), (DbRequest, BadCommand))
    seconds = time.perf_counter() - started
    assert long_lived.feed(b"x" * (bound + 1) + b"\r\nG:V:S\r\n")[-1] == Command("version")
    fuzz_counts.record(
        "host: simulator command reader and parsers (host_wire)", FUZZ_INPUTS, seconds
    )
