"""Incomplete messages expire in both readers; bad input is reported at most once a minute."""

from __future__ import annotations

import pytest
from vitrea_client import CommandID, DataGramDirection, host
from vitrea_client.frames import PREFIX, Frame, FrameReader
from vitrea_client.log import ConsoleLogger
from vitrea_client.reports import REPORT_INTERVAL, SAMPLE_SIZE, BadInputReport

IN = DataGramDirection.INCOMING


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """A logger that keeps the warnings."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def debug(self, msg: str, *args: object) -> None:
        """Drop."""

    def info(self, msg: str, *args: object) -> None:
        """Drop."""

    def warning(self, msg: str, *args: object) -> None:
        self.warnings.append(msg % args)

    def error(self, msg: str, *args: object) -> None:
        """Drop."""


def status(key: int) -> Frame:
    return Frame(IN, CommandID.KEY_STATUS, 0, bytes((3, key, 0x4F, 100)) + bytes(4))


# -- the report -----------------------------------------------------------------------------


def test_the_first_bad_input_is_reported_at_once_then_once_a_minute_with_the_count() -> None:
    clock, log = Clock(), Recorder()
    report = BadInputReport(log, "Malformed input", "the box", clock=clock)
    report("one", b"a")
    first = (
        "Malformed input from the box (1 since the last report, 1 in all; reported at most "
        "every 60 s), the latest: one, 1 bytes: b'a'"
    )
    assert log.warnings == [first]
    for _ in range(1000):
        report("many", b"b")
        clock.now += 0.01
    assert len(log.warnings) == 1
    clock.now += REPORT_INTERVAL
    report("last", b"c" * 500)
    assert len(log.warnings) == 2
    assert "(1001 since the last report, 1002 in all;" in log.warnings[1]
    assert log.warnings[1].endswith(repr(b"c" * SAMPLE_SIZE) + " ...")
    assert report.count == 1002


def test_binary_samples_are_hex() -> None:
    log = Recorder()
    BadInputReport(log, "Malformed frame", "vBox", binary=True)("bad checksum", b"\x00\xff")
    assert log.warnings[0].endswith("bad checksum, 2 bytes: 00 ff")


def test_a_report_goes_to_any_logger(capsys: pytest.CaptureFixture[str]) -> None:
    BadInputReport(ConsoleLogger(), "Malformed input", "x")("why", b"")
    assert "[vitrea] WARNING: Malformed input from x" in capsys.readouterr().err


# -- FrameReader ----------------------------------------------------------------------------


def frame_reader(clock: Clock) -> tuple[FrameReader, list[tuple[str, bytes]]]:
    bad: list[tuple[str, bytes]] = []
    return FrameReader(lambda reason, data: bad.append((reason, data)), clock=clock), bad


def test_frames_held_since_the_first_byte_of_the_incomplete_one() -> None:
    clock = Clock()
    reader, bad = frame_reader(clock)
    assert reader.held_since is None
    data = status(1).to_bytes()
    assert reader.feed(data[:4]) == []
    assert reader.held_since == 100.0
    clock.now = 101.0
    assert reader.feed(data[4:6]) == []
    assert reader.held_since == 100.0  # still the same frame
    assert reader.feed(data[6:] + status(2).to_bytes()[:3]) == [status(1)]
    assert reader.held_since == 101.0  # the next one
    assert reader.feed(status(2).to_bytes()[3:]) == [status(2)]
    assert reader.held_since is None
    assert reader.buffered == 0
    assert bad == []


def test_an_expired_stray_header_is_dropped_and_the_frames_behind_it_come_out() -> None:
    clock = Clock()
    reader, bad = frame_reader(clock)
    header = PREFIX + bytes((IN, CommandID.KEY_STATUS)) + (1026).to_bytes(2, "big")
    behind = status(1).to_bytes() + status(2).to_bytes()
    assert reader.feed(header + b"junk" + behind + b"VT") == []
    clock.now += 5
    assert reader.expire() == [status(1), status(2)]
    assert bad == [("incomplete frame", header + b"junk")]
    assert reader.held_since == clock.now  # the "VT" that may begin a frame, held anew
    assert reader.expire() == []
    assert bad[1] == ("incomplete frame", b"VT")
    assert reader.held_since is None
    assert reader.expire() == []  # nothing held: nothing to do
    assert len(bad) == 2
    assert reader.discarded_bytes == len(header) + 4 + 2


def test_an_expired_frame_with_nothing_behind_it_is_dropped_whole() -> None:
    reader, bad = frame_reader(Clock())
    partial = status(1).to_bytes()[:-2]
    reader.feed(partial)
    assert reader.expire() == []
    assert bad == [("incomplete frame", partial)]
    assert reader.buffered == 0


def test_garbage_is_one_report_per_read_and_a_bad_checksum_one_more() -> None:
    reader, bad = frame_reader(Clock())
    broken = bytearray(status(1).to_bytes())
    broken[-1] ^= 0xFF
    assert reader.feed(b"noise" + bytes(broken) + b"more noise" + status(2).to_bytes()) == [
        status(2)
    ]
    assert [reason for reason, _ in bad] == ["bad checksum", "garbage"]
    assert bad[0][1] == bytes(broken)
    assert reader.discarded_bytes == 5 + len(broken) + 10


# -- HostReader -----------------------------------------------------------------------------


def test_host_an_expired_stray_vth_header_is_dropped_and_the_lines_behind_it_come_out() -> None:
    clock = Clock()
    reader = host.HostReader(clock=clock)
    header = host.VTH_REPLY_PREFIX + b"\x01" + host.MAX_VTH_LENGTH.to_bytes(2, "big")
    assert reader.feed(header + b"V:966\r\nS:N003:1:D:050\r\n") == []
    assert reader.held_since == 100.0
    clock.now += 5
    out = reader.expire()
    assert out[0] == host.Malformed(reason="incomplete VTH frame", data=header)
    assert [type(message) for message in out[1:]] == [host.Version, host.KeyStatus]
    assert reader.held_since is None
    assert reader.expire() == []


def test_host_an_expired_partial_line_is_dropped() -> None:
    clock = Clock()
    reader = host.HostReader(clock=clock)
    assert reader.feed(b"S:N003:1") == []
    assert reader.expire() == [host.Malformed(reason="incomplete line", data=b"S:N003:1")]
    assert reader.feed(b"V:966\r\n") == [host.Version(digits="966", major=9, minor=66)]
    assert reader.discarded_bytes == 8


def test_host_an_overlong_line_left_open_stops_being_skipped() -> None:
    clock = Clock()
    reader = host.HostReader(max_line=8, clock=clock)
    first = reader.feed(b"x" * 20)
    assert [message.reason for message in first] == ["line longer than 8 bytes"]  # type: ignore[union-attr]
    assert reader.held_since == 100.0
    assert reader.expire() == []  # reported already
    assert reader.held_since is None
    assert reader.feed(b"V:966\r\n") == [host.Version(digits="966", major=9, minor=66)]
