"""The host interface's commands and database requests: each knows its bytes and its answer."""

from __future__ import annotations

import pytest
from vitrea_client import host
from vitrea_client.host import ACFan, ACMode, commands


def line(raw: bytes) -> host.LineMessage:
    message = host.parse_line(raw)
    assert not isinstance(message, host.Echo | host.Malformed), message
    return message


OK = line(b"OK")
ON = line(b"S:N018:2:O")  # key 18/2 is on
OTHER_KEY = line(b"S:N018:3:D:075")
PRESS = line(b"S:N018:2:L")  # a long press of key 18/2: not an answer
AC_1 = line(b"S:A001:1:O:02:024:026:2:O:0")


@pytest.mark.parametrize(
    ("command", "sent"),
    [
        (commands.key_on(18, 2), host.key_on(18, 2)),
        (commands.key_on(18, 2, 30), host.key_on(18, 2, 30)),
        (commands.key_off(18, 2), host.key_off(18, 2)),
        (commands.dim(18, 2, 40), host.dim(18, 2, 40)),
        (commands.dim_recall(18, 2), host.dim_recall(18, 2)),
        (commands.blind(18, 2, 60), host.blind(18, 2, 60)),
        (commands.blind_stop(18, 2), host.blind_stop(18, 2)),
    ],
)
def test_a_key_command_is_answered_by_ok_or_its_keys_status(
    command: commands.KeyCommand, sent: bytes
) -> None:
    assert command.line == sent
    assert command.answer(OK) is OK
    assert command.answer(ON) is ON
    assert command.answer(OTHER_KEY) is None
    assert command.answer(PRESS) is None
    assert command.answer(AC_1) is None


@pytest.mark.parametrize(
    ("command", "sent"),
    [
        (commands.ac_power(1, on=True), host.ac_power(1, on=True)),
        (commands.ac_mode(1, ACMode.COOL), host.ac_mode(1, ACMode.COOL)),
        (commands.ac_fan(1, ACFan.HIGH), host.ac_fan(1, ACFan.HIGH)),
        (commands.ac_setpoint(1, 24), host.ac_setpoint(1, 24)),
    ],
)
def test_an_ac_command_is_answered_by_ok_or_its_units_status(
    command: commands.ACCommand, sent: bytes
) -> None:
    assert command.line == sent
    assert command.answer(OK) is OK
    assert command.answer(AC_1) is AC_1
    assert commands.ac_power(2, on=True).answer(AC_1) is None
    assert command.answer(ON) is None


def test_a_scenario_is_answered_by_its_own_result() -> None:
    run = commands.run_scenario(3)
    assert run.line == host.run_scenario(3)
    done, other = line(b"S:R0003:ERROR"), line(b"S:R0004:OK")
    assert run.answer(done) is done
    assert run.answer(other) is None
    assert run.answer(OK) is None


def test_queries_are_answered_by_a_line_of_their_type() -> None:
    version = line(b"V:966")
    assert commands.version_query().line == host.version_query()
    assert commands.version_query().answer(version) is version
    assert commands.version_query().answer(OK) is None
    assert commands.keep_alive().answer(line(b"S:PSW:OK")) == host.PasswordAck()
    assert commands.led(18, 2, on=True).line == host.led(18, 2, on=True)
    assert commands.led(18, 2, on=True).answer(OK) is OK
    assert commands.led(18, 2, on=True).answer(ON) is None


def reply(command: int, data: str) -> host.DatabaseReply:
    message = host.parse_frame(host.vth_frame(host.VTH_REPLY_PREFIX, command, bytes.fromhex(data)))
    assert not isinstance(message, host.Echo | host.Malformed), message
    return message


def test_a_params_request_is_answered_only_by_its_subjects_reply() -> None:
    room_1, room_2 = reply(0x04, "0001 0000 02 4100"), reply(0x04, "0002 0000 02 4200")
    request = commands.room_params(2)
    assert request.request == host.room_params(2)
    assert request.answer(room_1) is None
    assert request.answer(room_2) is room_2
    assert commands.floor_params(2).answer(room_2) is None  # another kind of reply


def test_a_numbers_request_takes_any_reply_of_its_type() -> None:
    numbers = commands.room_numbers()
    assert numbers.request == host.room_numbers()
    assert numbers.answer(reply(0x04, "0002 0000 02 4200")) is None
    for request, sent in [
        (commands.floor_numbers(), host.floor_numbers()),
        (commands.floor_params(1), host.floor_params(1)),
        (commands.keypad_numbers(), host.keypad_numbers()),
        (commands.key_params(7, 2), host.key_params(7, 2)),
        (commands.ac_numbers(), host.ac_numbers()),
        (commands.ac_params(3), host.ac_params(3)),
        (commands.scenario_numbers(), host.scenario_numbers()),
        (commands.scenario_params(4), host.scenario_params(4)),
    ]:
        assert request.request == sent
