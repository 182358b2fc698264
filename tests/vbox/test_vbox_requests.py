"""The 13 requests: exact bytes, validation, matching of answers and safe descriptions."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pytest
from vitrea_client import requests, responses
from vitrea_client.enums import (
    AckType,
    CommandID,
    DataGramDirection,
    KeyCategory,
    KeyPowerStatus,
    LEDBackgroundBrightness,
    LockStatus,
)
from vitrea_client.frames import Frame

if TYPE_CHECKING:
    from collections.abc import Callable

# --- exact bytes (reference §1.3, §1.4, §2.5, §2.6) ----------------------------------------

VECTORS = [
    pytest.param(requests.NodeCount(message_id=0x33), "56 54 55 3E 24 00 02 33 96", id="NodeCount"),
    pytest.param(
        requests.KeyStatus(node_id=1, key_id=2, message_id=0x79),
        "56 54 55 3E 29 00 04 79 01 02 E6",
        id="KeyStatus",
    ),
    pytest.param(
        requests.ToggleKeyStatus(node_id=1, key_id=2, status=KeyPowerStatus.OFF, message_id=0x79),
        "56 54 55 3E 28 00 08 79 01 02 46 00 00 00 2F",
        id="ToggleKeyStatus-off",
    ),
    pytest.param(
        requests.ToggleKeyStatus(
            node_id=1, key_id=2, status=KeyPowerStatus.OFF, dimmer=99, message_id=0x79
        ),
        "56 54 55 3E 28 00 08 79 01 02 46 63 00 00 92",
        id="ToggleKeyStatus-dimmer-99",
    ),
    pytest.param(
        requests.ToggleKeyStatus(
            node_id=7, key_id=1, status=KeyPowerStatus.ON, dimmer=50, message_id=0x10
        ),
        "56 54 55 3E 28 00 08 10 07 01 4F 32 00 00 06",
        id="ToggleKeyStatus-on-50",
    ),
    pytest.param(
        requests.Login(username="user", password="super"),
        "56 54 55 3E 01 00 16 01 08 75 00 73 00 65 00 72 00 0A 73 00 75 00 70 00 65 00 72 00 55",
        id="Login-user-super",
    ),
    pytest.param(
        requests.Login(username="admin", password="1234", message_id=2),
        "56 54 55 3E 01 00 16 02 0A 61 00 64 00 6D 00 69 00 6E 00 08 31 00 32 00 33 00 34 00 3B",
        id="Login-admin-1234",
    ),
    pytest.param(requests.Heartbeat(), "56 54 55 3E 07 00 02 01 47", id="Heartbeat-01"),
    pytest.param(requests.Heartbeat(message_id=5), "56 54 55 3E 07 00 02 05 4B", id="Heartbeat-05"),
    pytest.param(
        requests.ToggleHeartbeat(),
        "56 54 55 3E 08 00 04 01 01 01 4C",
        id="ToggleHeartbeat-defaults",
    ),
    pytest.param(
        requests.ToggleHeartbeat(enable=False, unsolicited=False),
        "56 54 55 3E 08 00 04 01 00 00 4A",
        id="ToggleHeartbeat-off",
    ),
    pytest.param(
        requests.ToggleNodeStatus(
            node_id=0x0B,
            lock=LockStatus.UNLOCKED,
            led=LEDBackgroundBrightness.NORMAL,
            message_id=0x79,
        ),
        "56 54 55 3E 1E 00 05 79 0B 00 02 E6",
        id="ToggleNodeStatus-11-unlocked-normal",
    ),
    pytest.param(
        requests.ToggleNodeStatus(
            node_id=5, lock=LockStatus.LOCKED, led=LEDBackgroundBrightness.MAX, message_id=0x79
        ),
        "56 54 55 3E 1E 00 05 79 05 01 04 E3",
        id="ToggleNodeStatus-5-locked-max",
    ),
    pytest.param(
        requests.ToggleNodeStatus(
            node_id=1, lock=LockStatus.UNLOCKED, led=LEDBackgroundBrightness.OFF, message_id=0x79
        ),
        "56 54 55 3E 1E 00 05 79 01 00 00 DA",
        id="ToggleNodeStatus-1-unlocked-off",
    ),
    pytest.param(
        requests.InternalUnitStatuses(message_id=0x33),
        "56 54 55 3E 60 00 02 33 D2",
        id="InternalUnitStatuses",
    ),
    pytest.param(
        requests.KeyParameters(node_id=1, key_id=2, message_id=0x7C),
        "56 54 55 3E 2B 00 04 7C 01 02 EB",
        id="KeyParameters",
    ),
    pytest.param(
        requests.NodeMetaData(node_id=1, message_id=0x34),
        "56 54 55 3E 1F 00 03 34 01 94",
        id="NodeMetaData",
    ),
    pytest.param(
        requests.NodeStatus(node_id=1, message_id=0x79),
        "56 54 55 3E 23 00 04 79 01 00 DE",
        id="NodeStatus",
    ),
    pytest.param(requests.RoomCount(message_id=0x1D), "56 54 55 3E 1D 00 02 1D 79", id="RoomCount"),
    pytest.param(
        requests.RoomMetaData(room_id=0, message_id=0x1E),
        "56 54 55 3E 1A 00 03 1E 00 78",
        id="RoomMetaData",
    ),
]


@pytest.mark.parametrize(("request_", "expected"), VECTORS)
def test_exact_bytes(request_: requests.Request[responses.Response], expected: str) -> None:
    assert request_.build() == bytes.fromhex(expected)


@pytest.mark.parametrize(("request_", "expected"), VECTORS)
def test_frame_matches_bytes(request_: requests.Request[responses.Response], expected: str) -> None:
    data = bytes.fromhex(expected)
    frame = request_.frame()
    assert frame == Frame(DataGramDirection.OUTGOING, data[4], data[7], data[8:-1])
    assert frame.command == request_.command


def test_toggle_key_status_with_timer_and_no_dimmer_has_correct_checksum() -> None:
    # Upstream bug (reference §3.2, §8.1): upstream asserts the checksum 04; the sum of the
    # bytes actually sent gives 33.
    request = requests.ToggleKeyStatus(
        node_id=1, key_id=2, status=KeyPowerStatus.OFF, timer=6890, message_id=0x79
    )
    assert request.build() == bytes.fromhex("56 54 55 3E 28 00 08 79 01 02 46 00 1A EA 33")
    assert request.build() != bytes.fromhex("56 54 55 3E 28 00 08 79 01 02 46 00 1A EA 04")


def test_toggle_key_status_timer_is_big_endian() -> None:
    request = requests.ToggleKeyStatus(
        node_id=1, key_id=0, status=KeyPowerStatus.ON, dimmer=100, timer=0xFFFF
    )
    assert request.payload() == bytes.fromhex("01 00 4F 64 FF FF")
    request = requests.ToggleKeyStatus(node_id=1, key_id=0, status=KeyPowerStatus.ON, timer=1)
    assert request.payload() == bytes.fromhex("01 00 4F 00 00 01")


def test_message_id_defaults_to_one() -> None:
    assert requests.NodeCount().message_id == 1
    assert requests.NodeCount().build() == bytes.fromhex("56 54 55 3E 24 00 02 01 64")
    assert requests.KeyStatus(node_id=1, key_id=2).build()[7] == 1


def test_login_with_hebrew_credentials_is_utf16le() -> None:
    request = requests.Login(username="אבי", password="x")
    assert request.payload() == bytes.fromhex("06 D0 05 D1 05 D9 05 02 78 00")


def test_login_payload_lengths_are_byte_lengths() -> None:
    payload = requests.Login(username="a" * 127, password="b" * 127).payload()
    assert payload[0] == 254
    assert payload[255] == 254
    assert len(payload) == 2 + 2 * 254


def test_encode_credential() -> None:
    assert requests.encode_credential("username", "ab") == b"\x04a\x00b\x00"
    assert requests.encode_credential("username", "") == b"\x00"
    assert requests.MAX_CREDENTIAL_BYTES == 255


@pytest.mark.parametrize("field", ["username", "password"])
def test_login_credential_too_long(field: str) -> None:
    values: dict[str, Any] = {"username": "u", "password": "p", field: "x" * 128}
    with pytest.raises(ValueError, match=f"{field} is too long"):
        requests.Login(**values)


def test_login_credential_of_astral_characters_counts_bytes() -> None:
    # 64 characters outside the BMP are 256 UTF-16LE bytes: too many for the length byte.
    with pytest.raises(ValueError, match="password is too long"):
        requests.Login(username="u", password="\U0001f600" * 64)
    assert requests.Login(username="u", password="\U0001f600" * 63).payload()[3] == 252


# --- command and reply classes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "command", "reply"),
    [
        (requests.Heartbeat, 0x07, responses.Acknowledgement),
        (requests.ToggleHeartbeat, 0x08, responses.Acknowledgement),
        (requests.Login, 0x01, responses.Acknowledgement),
        (requests.NodeCount, 0x24, responses.NodeCount),
        (requests.RoomCount, 0x1D, responses.RoomCount),
        (requests.NodeMetaData, 0x1F, responses.NodeMetaData),
        (requests.RoomMetaData, 0x1A, responses.RoomMetaData),
        (requests.KeyStatus, 0x29, responses.KeyStatus),
        (requests.KeyParameters, 0x2B, responses.KeyParameters),
        (requests.ToggleKeyStatus, 0x28, responses.Acknowledgement),
        (requests.ToggleNodeStatus, 0x1E, responses.Acknowledgement),
        (requests.NodeStatus, 0x23, responses.GenericResponse),
        (requests.InternalUnitStatuses, 0x60, responses.InternalUnitStatuses),
    ],
)
def test_command_and_reply(
    cls: type[requests.Request[Any]], command: int, reply: type[responses.Response]
) -> None:
    assert cls.command == command
    assert isinstance(cls.command, CommandID)
    assert cls.reply is reply


def test_upstreams_thirteen_requests_and_the_layout_probe() -> None:
    public = {
        name
        for name, value in vars(requests).items()
        if isinstance(value, type)
        and issubclass(value, requests.Request)
        and value is not requests.Request
        and not name.startswith("_")
    }
    assert public == {
        "Heartbeat",
        "ToggleHeartbeat",
        "Login",
        "NodeCount",
        "RoomCount",
        "NodeMetaData",
        "RoomMetaData",
        "KeyStatus",
        "KeyParameters",
        "ToggleKeyStatus",
        "ToggleNodeStatus",
        "NodeStatus",
        "InternalUnitStatuses",
        "UndecodedKeyParameters",
    }


def test_name() -> None:
    assert requests.NodeCount().name == "NodeCount"
    assert requests.ToggleKeyStatus(node_id=1, key_id=1, status=KeyPowerStatus.ON).name == (
        "ToggleKeyStatus"
    )


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (lambda v: requests.NodeCount(message_id=v), "message_id"),
        (lambda v: requests.Heartbeat(message_id=v), "message_id"),
        (lambda v: requests.Login(username="u", password="p", message_id=v), "message_id"),
        (lambda v: requests.NodeMetaData(node_id=v), "node_id"),
        (lambda v: requests.RoomMetaData(room_id=v), "room_id"),
        (lambda v: requests.KeyStatus(node_id=v, key_id=0), "node_id"),
        (lambda v: requests.KeyStatus(node_id=1, key_id=v), "key_id"),
        (lambda v: requests.KeyParameters(node_id=v, key_id=0), "node_id"),
        (lambda v: requests.KeyParameters(node_id=1, key_id=v), "key_id"),
        (
            lambda v: requests.ToggleKeyStatus(node_id=v, key_id=0, status=KeyPowerStatus.ON),
            "node_id",
        ),
        (
            lambda v: requests.ToggleKeyStatus(node_id=1, key_id=v, status=KeyPowerStatus.ON),
            "key_id",
        ),
        (
            lambda v: requests.ToggleNodeStatus(
                node_id=v, lock=LockStatus.LOCKED, led=LEDBackgroundBrightness.OFF
            ),
            "node_id",
        ),
        (lambda v: requests.NodeStatus(node_id=v), "node_id"),
    ],
)
@pytest.mark.parametrize("value", [-1, 256, 1000])
def test_out_of_range_byte_fields(factory: Callable[[int], object], field: str, value: int) -> None:
    with pytest.raises(ValueError, match=rf"^{field} must be between \d+ and 255, got {value}$"):
        factory(value)


def test_message_id_zero_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^message_id must be between 1 and 255, got 0$"):
        requests.NodeCount(message_id=0)


def test_boundary_values_are_accepted() -> None:
    assert requests.NodeCount(message_id=255).build()[7] == 255
    assert requests.KeyStatus(node_id=0, key_id=0).payload() == b"\x00\x00"
    assert requests.KeyStatus(node_id=255, key_id=255).payload() == b"\xff\xff"
    assert requests.RoomMetaData(room_id=255).payload() == b"\xff"
    assert requests.NodeMetaData(node_id=0).payload() == b"\x00"


@pytest.mark.parametrize("dimmer", [-1, 101, 255])
def test_dimmer_out_of_range(dimmer: int) -> None:
    with pytest.raises(ValueError, match=rf"^dimmer must be between 0 and 100, got {dimmer}$"):
        requests.ToggleKeyStatus(node_id=1, key_id=0, status=KeyPowerStatus.ON, dimmer=dimmer)


@pytest.mark.parametrize("timer", [-1, 0x10000])
def test_timer_out_of_range(timer: int) -> None:
    with pytest.raises(ValueError, match=rf"^timer must be between 0 and 65535, got {timer}$"):
        requests.ToggleKeyStatus(node_id=1, key_id=0, status=KeyPowerStatus.ON, timer=timer)


def test_dimmer_and_timer_limits_are_accepted() -> None:
    request = requests.ToggleKeyStatus(
        node_id=1, key_id=0, status=KeyPowerStatus.ON, dimmer=0, timer=0
    )
    assert request.payload()[3:] == b"\x00\x00\x00"
    request = requests.ToggleKeyStatus(
        node_id=1, key_id=0, status=KeyPowerStatus.ON, dimmer=100, timer=65535
    )
    assert request.payload()[3:] == b"\x64\xff\xff"


def test_fields_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        requests.KeyStatus(1, 2)  # type: ignore[call-arg]


def test_requests_are_frozen() -> None:
    request = requests.KeyStatus(node_id=1, key_id=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.node_id = 3  # type: ignore[misc]


# --- with_message_id -------------------------------------------------------------------


def test_with_message_id() -> None:
    original = requests.KeyStatus(node_id=1, key_id=2)
    renumbered = original.with_message_id(0x79)
    assert renumbered == requests.KeyStatus(node_id=1, key_id=2, message_id=0x79)
    assert type(renumbered) is requests.KeyStatus
    assert renumbered.build() == bytes.fromhex("56 54 55 3E 29 00 04 79 01 02 E6")
    assert original.message_id == 1


def test_with_message_id_keeps_every_field() -> None:
    login = requests.Login(username="admin", password="1234").with_message_id(2)
    assert login.build() == bytes.fromhex(
        "56 54 55 3E 01 00 16 02 0A 61 00 64 00 6D 00 69 00 6E 00 08 31 00 32 00 33 00 34 00 3B"
    )
    toggle = requests.ToggleKeyStatus(
        node_id=7, key_id=1, status=KeyPowerStatus.ON, dimmer=50
    ).with_message_id(0x10)
    assert toggle.build() == bytes.fromhex("56 54 55 3E 28 00 08 10 07 01 4F 32 00 00 06")


@pytest.mark.parametrize("message_id", [0, 256])
def test_with_message_id_validates(message_id: int) -> None:
    with pytest.raises(ValueError, match="message_id"):
        requests.NodeCount().with_message_id(message_id)


# --- is_answered_by ----------------------------------------------------------------------


def key_status(
    node_id: int = 1, key_id: int = 2, power: int = KeyPowerStatus.ON, message_id: int = 0x48
) -> responses.KeyStatus:
    return responses.KeyStatus(message_id=message_id, node_id=node_id, key_id=key_id, power=power)


def test_key_status_answered_by_same_node_and_key_whatever_the_message_id() -> None:
    request = requests.KeyStatus(node_id=1, key_id=2, message_id=0x79)
    assert request.is_answered_by(key_status(message_id=0x79))
    assert request.is_answered_by(key_status(message_id=0x48))
    assert request.is_answered_by(key_status(power=KeyPowerStatus.OFF, message_id=1))


def test_key_status_not_answered_by_a_push_for_another_key() -> None:
    # Upstream bug (reference §4.2, §8.1): upstream resolves on any 0x29 frame.
    request = requests.KeyStatus(node_id=1, key_id=2, message_id=0x79)
    assert not request.is_answered_by(key_status(key_id=3, message_id=0x79))
    assert not request.is_answered_by(key_status(node_id=2, message_id=0x79))
    assert not request.is_answered_by(key_status(node_id=2, key_id=1, message_id=0x79))


@pytest.mark.parametrize(
    "power", [KeyPowerStatus.SHORT, KeyPowerStatus.LONG, KeyPowerStatus.RELEASED]
)
def test_key_status_not_answered_by_a_press_event(power: KeyPowerStatus) -> None:
    request = requests.KeyStatus(node_id=1, key_id=2, message_id=0x79)
    assert not request.is_answered_by(key_status(power=power, message_id=0x79))


def test_key_status_not_answered_by_other_responses() -> None:
    request = requests.KeyStatus(node_id=1, key_id=2)
    assert not request.is_answered_by(responses.Acknowledgement(message_id=1))
    assert not request.is_answered_by(
        responses.GenericResponse(message_id=1, command=0x29, payload=b"\x01\x02\x4f")
    )


def test_key_status_answered_by_parsed_fixture() -> None:
    push = responses.parse(bytes.fromhex("56 54 55 3C 29 00 0A 48 01 00 46 00 00 00 41 00 3E"))
    assert push is not None
    assert requests.KeyStatus(node_id=1, key_id=0, message_id=0x79).is_answered_by(push)
    assert not requests.KeyStatus(node_id=1, key_id=1, message_id=0x79).is_answered_by(push)


ACKNOWLEDGED = [
    requests.Heartbeat(message_id=5),
    requests.ToggleHeartbeat(message_id=5),
    requests.Login(username="u", password="p", message_id=5),
    requests.ToggleKeyStatus(node_id=1, key_id=0, status=KeyPowerStatus.ON, message_id=5),
    requests.ToggleNodeStatus(
        node_id=1, lock=LockStatus.LOCKED, led=LEDBackgroundBrightness.LOW, message_id=5
    ),
]


@pytest.mark.parametrize("request_", ACKNOWLEDGED, ids=lambda r: r.name)
def test_acknowledged_requests_matching(request_: requests.Request[responses.Response]) -> None:
    for command in (0x00, 0x01, 0x1E):
        for ack_type in (AckType.ACK, AckType.NACK, 9):
            assert request_.is_answered_by(
                responses.Acknowledgement(message_id=5, command=command, type=ack_type)
            )
    assert not request_.is_answered_by(responses.Acknowledgement(message_id=6))
    assert not request_.is_answered_by(key_status(node_id=1, key_id=0, message_id=5))
    assert not request_.is_answered_by(
        responses.GenericResponse(message_id=5, command=0x00, payload=b"\x00")
    )


@pytest.mark.parametrize(
    ("request_", "answer", "wrong_class"),
    [
        (
            requests.NodeCount(message_id=9),
            responses.NodeCount(message_id=9, node_ids=(1, 2)),
            responses.RoomCount(message_id=9, room_ids=(1, 2)),
        ),
        (
            requests.RoomCount(message_id=9),
            responses.RoomCount(message_id=9, room_ids=(0,)),
            responses.NodeCount(message_id=9, node_ids=(0,)),
        ),
        (
            requests.RoomMetaData(room_id=0, message_id=9),
            responses.RoomMetaData(message_id=9, room_id=0, floor=0, name="Entrance"),
            responses.Acknowledgement(message_id=9),
        ),
        (
            requests.KeyParameters(node_id=1, key_id=0, message_id=9),
            responses.KeyParameters(message_id=9, node_id=1, key_id=0, category=1, name="x"),
            responses.GenericResponse(message_id=9, command=0x2B),
        ),
        (
            requests.NodeMetaData(node_id=1, message_id=9),
            responses.NodeMetaData(
                message_id=9,
                node_id=1,
                mac="00:00:00:00:00:00:00:00",
                node_type=2,
                keys=(),
                is_locked=False,
                led_level=2,
                version="1.74",
                room_id=7,
            ),
            responses.Acknowledgement(message_id=9),
        ),
        (
            requests.InternalUnitStatuses(message_id=9),
            responses.InternalUnitStatuses(message_id=9),
            responses.GenericResponse(message_id=9, command=0x60),
        ),
    ],
)
def test_data_requests_answered_by_same_class_and_message_id(
    request_: requests.Request[responses.Response],
    answer: responses.Response,
    wrong_class: responses.Response,
) -> None:
    assert request_.is_answered_by(answer)
    assert not request_.is_answered_by(dataclasses.replace(answer, message_id=10))
    assert not request_.is_answered_by(wrong_class)


def test_node_status_answered_by_generic_response_of_its_command() -> None:
    request = requests.NodeStatus(node_id=1, message_id=0x79)
    assert request.is_answered_by(responses.GenericResponse(message_id=0x79, command=0x23))
    assert not request.is_answered_by(responses.GenericResponse(message_id=0x79, command=0x65))
    assert not request.is_answered_by(responses.GenericResponse(message_id=0x7A, command=0x23))
    assert not request.is_answered_by(responses.Acknowledgement(message_id=0x79))


# --- describe / repr: credentials never leak ------------------------------------------------


def test_describe_shows_name_id_and_hex() -> None:
    assert requests.NodeCount(message_id=0x33).describe() == (
        "NodeCount #33: 56 54 55 3e 24 00 02 33 96"
    )
    assert requests.KeyStatus(node_id=1, key_id=2, message_id=0x79).describe() == (
        "KeyStatus #79: 56 54 55 3e 29 00 04 79 01 02 e6"
    )


def test_str_is_the_description() -> None:
    # The client logs requests with "%s": str() must be the safe description.
    assert str(requests.NodeCount(message_id=0x33)) == "NodeCount #33: 56 54 55 3e 24 00 02 33 96"
    login = requests.Login(username="user", password="super")
    assert str(login) == login.describe() == "Login #01: <20 credential bytes>"
    assert "%s" % login == "Login #01: <20 credential bytes>"  # noqa: UP031


USERNAME = "operator-name"
PASSWORD = "S3cr3t-pa55"


def leaks(text: str) -> list[str]:
    """Every form in which a credential could appear in ``text``."""
    found = []
    lowered = text.lower()
    compact = lowered.replace(" ", "")
    for secret in (USERNAME, PASSWORD):
        encoded = secret.encode("utf-16-le")
        forms = [
            secret.lower(),
            encoded.hex(),
            encoded.hex(" "),
            secret.encode().hex(),
            encoded.decode("latin-1").lower(),
        ]
        found += [form for form in forms if form in lowered or form.replace(" ", "") in compact]
    return found


def test_login_describe_never_contains_credentials() -> None:
    login = requests.Login(username=USERNAME, password=PASSWORD, message_id=2)
    text = login.describe()
    assert text == f"Login #02: <{2 + 2 * len(USERNAME) + 2 * len(PASSWORD)} credential bytes>"
    assert leaks(text) == []


def test_login_repr_and_str_never_contain_credentials() -> None:
    login = requests.Login(username=USERNAME, password=PASSWORD)
    assert repr(login) == "Login(message_id=1)"
    assert leaks(repr(login)) == []
    assert leaks(str(login)) == []
    assert leaks(repr(login.with_message_id(3))) == []


def test_leak_detector_detects() -> None:
    # The helper above must be able to fail.
    login = requests.Login(username=USERNAME, password=PASSWORD)
    assert leaks(login.build().hex(" "))
    assert leaks(login.build().hex())
    assert leaks(f"{USERNAME}")


def test_undecoded_key_parameters_is_key_parameters_on_the_wire() -> None:
    probe = requests.UndecodedKeyParameters(node_id=1, key_id=2, message_id=0x7C)
    assert probe.build() == requests.KeyParameters(node_id=1, key_id=2, message_id=0x7C).build()


def test_undecoded_key_parameters_is_answered_by_its_undecoded_reply_only() -> None:
    probe = requests.UndecodedKeyParameters(node_id=1, key_id=0, message_id=9)
    reply = responses.GenericResponse(message_id=9, command=CommandID.KEY_PARAMETERS)
    assert probe.is_answered_by(reply)
    assert not probe.is_answered_by(dataclasses.replace(reply, message_id=8))
    assert not probe.is_answered_by(dataclasses.replace(reply, command=CommandID.NODE_STATUS))
    decoded = responses.KeyParameters(
        message_id=9, node_id=1, key_id=0, category=KeyCategory.LIGHT, name="x"
    )
    assert not probe.is_answered_by(decoded)
