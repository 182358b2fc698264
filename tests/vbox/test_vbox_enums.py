"""Enumerations of the VTU protocol (reference §3.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from vitrea_client import enums
from vitrea_client.enums import (
    AckType,
    CommandID,
    DataGramDirection,
    KeyCategory,
    KeyPowerStatus,
    KeyType,
    LEDBackgroundBrightness,
    LockStatus,
    NodeType,
    ProtocolVersion,
    ResponseCodes,
    node_model,
)

if TYPE_CHECKING:
    from enum import Enum

# Reference §3.4: the NodeMetaData type byte and its model (162 entries).
NODE_TYPES = {
    1: "VT-MW3-SR1-10A",
    2: "VT-MW3-SR2-10A",
    3: "VT-MW3-SR3-10A",
    4: "Module2Toggle2",
    5: "VT-MW4-SR4-10A",
    6: "VT-MW3-UD1-6A",
    7: "VT-MW3-UD2-6A",
    8: "VT-MW3-UD3-6A",
    9: "Module4Buttons4Blinds",
    10: "VT-MW4-UD4-6A",
    11: "VT-MW3-ST3-01",
    12: "VT-MW3-ST6-02",
    13: "VT-MW3-ST8-02",
    14: "VT-MW4-ST4-01",
    15: "VT-MW4-ST8-02",
    16: "VT-MW3-VEN3-24V-01",
    17: "VT-MW4-VEN4-24V-01",
    18: "VT-MW3-UD1-SR2-10A",
    19: "VT-MW3-UD2-SR1-10A",
    20: "VT-MW3-SR3-ST3-10A",
    21: "VT-MW4-SR4-ST4-10A",
    22: "VT-MW3-T6-6A",
    23: "VT-MW4-T8-6A",
    24: "VT-MW4-UD1-SR3-10A",
    25: "VT-MW4-UD2-SR2-10A",
    26: "VT-MW3-NO3-10A",
    27: "VT-MW4-NO4-10A",
    28: "VT-MW3-NO6-6A",
    29: "VT-MW4-NO8-6A",
    30: "VT-MW3-DP1-16A",
    31: "VT-MW3-NO1-10A",
    32: "VT-MW3-DM1-400W",
    33: "VT-MW3-DM1-M2-400W",
    34: "VT-MW3-DM3-ST3-400W",
    35: "VT-MW3-DM3-ST3-0-10V",
    36: "VT-MW4-DM4-ST4-0-10V",
    37: "VT-MW3-DM3-400W",
    38: "Module3Dimmers2Option64",
    39: "Module3Dimmers2Option64Satellite2",
    40: "VT-MW3-DM3-0-10V",
    41: "VT-MW4-DM4-0-10V",
    42: "VT-MW4-DM4-400W",
    43: "VT-MW4-DM4-ST4-400W",
    49: "VT-MW3-DPS-16A",
    50: "TemperatureSensor",
    51: "MovementSensor",
    52: "MotionDetector",
    53: "HumiditySensor",
    54: "FloodDetector",
    55: "RainDetector",
    56: "SmokeDetector",
    57: "NormallyOpenInput",
    60: "GardenFaucet",
    61: "VT-MWR-RPT-A-2",
    63: "VT-DIN6-IN08-W-01",
    64: "VT-DIN6-DM4-H-W-01",
    65: "VT-DIN6-DM2-H-W-01",
    66: "VT-DIN6-DM4-A-W-01",
    67: "VT-DIN6-DM4-U-W-01",
    68: "VT-DIN6-DM2-A-W-01",
    69: "VT-DIN6-DM2-U-W-01",
    70: "VT-MW3-DM1-500W-LT",
    71: "VT-MW3-DM1-M2-500W-LT",
    72: "VT-MW3-DM3-800W-LT",
    73: "VT-MW3-DM3-ST3-800W-LT",
    74: "VT-MW4-DM4-800W-LT",
    75: "VT-MW4-DM4-ST4-800W-LT",
    76: "VT-MW3-DM3-010V-R",
    77: "VT-MW3-DM3-ST3-010V-R",
    78: "VT-MW4-DM4-010V-R",
    79: "VT-MW4-DM4-ST4-010V-R",
    80: "VT-MW3-TMST-H-01",
    81: "VT-MW3-TMST-V-01",
    82: "VT-MW4-TMST-ST3-H-01",
    83: "VT-MW3-TMSF-H-02",
    84: "VT-MW3-TMSF-V-02",
    85: "VT-MW3-DM1-ST2-500W-LT",
    86: "VT-MW3-TMST-H-02",
    87: "VT-MW3-TMST-V-02",
    88: "VT-MW4-TMST-ST3-H-02",
    90: "VT-DIN6-NO08-W-01",
    91: "VT-MW3-DM1-01",
    92: "VT-MW3-DM1-ST2-01",
    93: "VT-MW3-DM2-SR1-01",
    94: "VT-MW3-DM2-SR1-ST3-1",
    95: "VT-MW4-DM2-SR2-01",
    96: "VT-MW4-DM2-SR2-ST4-01",
    101: "VT-AW1-11003-T1B0S0-01",
    102: "VT-AW1-11003-T1B0S2-01",
    103: "VT-AW2-22006-T2B0S0-01",
    104: "VT-AW2-22006-T2B0S2-01",
    105: "VT-AW1-10003-T1B0S0-01",
    106: "VT-AW1-10003-T1B0S2-01",
    107: "VT-AW2-20006-T2B0S0-01",
    108: "VT-AW2-20006-T2B0S2-01",
    120: "VT-AW1-21003-T2B1S0-01",
    121: "VT-AW1-21003-T2B1S1-01",
    122: "VT-AW2-44006-T4B2S0-01",
    123: "VT-AW2-44006-T4B2S2-01",
    124: "VT-AW2-44008-T4B2S4-01",
    125: "VT-AW1-20003-T2B1S0-01",
    126: "VT-AW1-20003-T2B1S1-01",
    127: "VT-AW2-40006-T4B2S0-01",
    128: "VT-AW2-40006-T4B2S2-01",
    129: "VT-AW2-40008-T4B2S4-01",
    130: "VT-AW1-00003-T0B0S3-01",
    131: "VT-AW1-00008-T0B0S8-01",
    132: "VT-AW2-00006-T0B0S6-01",
    133: "VT-AW2-00008-T0B0S8-01",
    141: "VT-UW1-01103-D1B0S0-01",
    142: "VT-UW1-01103-F1B0S0-01",
    143: "VT-UW1-01103-D1B0S2-01",
    144: "VT-UW2-02206-D2B0S0-01",
    146: "VT-UW2-02206-D2B0S2-01",
    147: "VT-UW2-02206-D2B0S4-01",
    148: "VT-UW2-02208-D2B0S6-01",
    161: "VT-AW1-01103-D1B0S0-01",
    162: "VT-AW1-01103-F1B0S0-01",
    163: "VT-AW1-01103-D1B0S2-01",
    164: "VT-AW2-02206-D2B0S0-01",
    165: "VT-AW2-02206-D2B0S2-01",
    166: "VT-AW2-02206-D2B0S4-01",
    167: "VT-AW2-02208-D2B0S6-01",
    180: "VT-AW1-00013-T0C1S0-01",
    181: "VT-AW1-00013-T0C1S2-01",
    182: "VT-AW1-00023-T0C2S0-01",
    183: "VT-AW1-00023-T0C2S1-01",
    184: "VT-AW2-00046-T0C4S0-01",
    185: "VT-AW2-00046-T0C4S2-01",
    186: "VT-AW2-00048-T0C4S4-01",
    190: "VT-G2-TMS-485-GEN-01",
    191: "VT-G2-TMS-485-GNR-01",
    192: "VT-G2-TMS-485-CT4-01",
    193: "VT-G2-TMSF-485-GNR-01",
    200: "VT-BW1-11003-T1B0S0-01",
    201: "VT-BW1-11003-T1B0S2-01",
    202: "VT-BW1-21003-T2B0S0-01",
    203: "VT-BW1-21003-T2B0S1-01",
    204: "VT-BW1-31003-T3B0S0-01",
    205: "VT-BW1-31006-T3B0S3-01",
    206: "VT-BW1-30006-T0B1S0-01",
    207: "VT-BW1-40006-T0B2S0-01",
    208: "VT-BW1-40006-T0B2S2-01",
    209: "VT-BW1-00003-T0B0S3-01",
    210: "VT-BW1-00006-T0B0S6-01",
    211: "VT-BW1-00008-T0B0S8-01",
    212: "VT-BW1-01103-D1B0S0-01",
    213: "VT-BW1-01103-D1B0S2-01",
    214: "VT-BW1-02203-D2B0S0-01",
    215: "VT-BW1-02206-D2B0S2-01",
    216: "VT-BW1-20013-T1C1S0-01",
    217: "VT-BW1-20013-T2C1S1-01",
    218: "VT-BW1-2000B-DP0000-01",
    219: "VT-BW1-20003-DP0000-01",
    220: "VT-BW1-0000T-TM0000-01",
    221: "VT-BW1-4000T-TMC0P0-01",
    222: "VT-BW1-2000T-THC0P1-01",
    223: "VT-BW1-20003-NOC0P0-01",
    225: "VT-BW1-12103-D1T1S0-01",
    226: "VT-BW1-12106-D1T1S2-01",
    227: "VT-BW1-02203-D2B0S0-02",
    228: "VT-BW1-02206-D2B0S2-02",
}


def members(enum: type[Enum]) -> dict[str, object]:
    return {m.name: m.value for m in enum}


def test_datagram_direction() -> None:
    assert members(DataGramDirection) == {"OUTGOING": 0x3E, "INCOMING": 0x3C}


def test_command_id() -> None:
    assert members(CommandID) == {
        "ACKNOWLEDGEMENT": 0x00,
        "LOGIN": 0x01,
        "HEARTBEAT": 0x07,
        "TOGGLE_HEARTBEAT": 0x08,
        "ROOM_META_DATA": 0x1A,
        "ROOM_COUNT": 0x1D,
        "TOGGLE_NODE_STATUS": 0x1E,
        "NODE_META_DATA": 0x1F,
        "NODE_STATUS": 0x23,
        "NODE_COUNT": 0x24,
        "TOGGLE_KEY_STATUS": 0x28,
        "KEY_STATUS": 0x29,
        "KEY_PARAMETERS": 0x2B,
        "INTERNAL_UNIT_STATUSES": 0x60,
        "NODE_EXISTENCE_STATUS": 0xC8,
    }


def test_response_codes_is_command_id() -> None:
    assert ResponseCodes is CommandID


def test_ack_type() -> None:
    assert members(AckType) == {
        "ACK": 0,
        "NACK": 1,
        "ERROR": 2,
        "IN_USE": 3,
        "NOT_AVAILABLE": 4,
    }


def test_key_power_status() -> None:
    assert members(KeyPowerStatus) == {
        "ON": 0x4F,
        "OFF": 0x46,
        "LONG": 0x4C,
        "SHORT": 0x53,
        "RELEASED": 0x52,
    }
    # The letters of the ASCII host protocol.
    assert {chr(m) for m in KeyPowerStatus} == {"O", "F", "L", "S", "R"}


def test_lock_status() -> None:
    assert members(LockStatus) == {"UNLOCKED": 0, "LOCKED": 1}


def test_led_background_brightness() -> None:
    assert members(LEDBackgroundBrightness) == {
        "OFF": 0,
        "LOW": 1,
        "NORMAL": 2,
        "HIGH": 3,
        "MAX": 4,
    }


def test_key_type() -> None:
    assert members(KeyType) == {
        "NOT_EXIST": 0,
        "NOT_ACTIVE": 1,
        "TOGGLE": 2,
        "BLIND": 3,
        "PUSH_BUTTON": 4,
        "DIMMER": 5,
        "DIMMER_MW": 10,
        "BLIND_MW": 11,
        "SATELLITE": 12,
        "TOGGLE_SCENE": 13,
        "DUAL_POLE": 14,
        "BOILER": 15,
        "REPEATER": 16,
        "THERMOSTAT": 17,
        "ALL_NODES": 101,
    }


def test_key_category() -> None:
    assert members(KeyCategory) == {
        "UNDEFINED": 0,
        "LIGHT": 1,
        "FAN": 6,
        "BOILER": 7,
        "AUDIO": 8,
        "SCENARIO": 11,
    }


def test_protocol_version() -> None:
    assert members(ProtocolVersion) == {"V1": "v1", "V2": "v2"}
    assert ProtocolVersion("v1") is ProtocolVersion.V1
    assert ProtocolVersion.V2.value == "v2"
    assert str(ProtocolVersion.V2) == "v2"


def test_node_type_has_162_members() -> None:
    assert len(NodeType) == 162
    assert len(NODE_TYPES) == 162


def test_node_type_table() -> None:
    assert {m.value: m.model for m in NodeType} == NODE_TYPES


def test_node_type_models_are_unique() -> None:
    assert len({m.model for m in NodeType}) == 162


@pytest.mark.parametrize(
    ("value", "model"),
    [
        (2, "VT-MW3-SR2-10A"),
        (3, "VT-MW3-SR3-10A"),
        (4, "Module2Toggle2"),
        (21, "VT-MW4-SR4-ST4-10A"),
        (35, "VT-MW3-DM3-ST3-0-10V"),
        (94, "VT-MW3-DM2-SR1-ST3-1"),
        (228, "VT-BW1-02206-D2B0S2-02"),
    ],
)
def test_node_type_model(value: int, model: str) -> None:
    assert NodeType(value).model == model
    assert node_model(value) == model


def test_node_type_2() -> None:
    assert NodeType(2).model == "VT-MW3-SR2-10A"
    assert NodeType(2) is NodeType.VT_MW3_SR2_10A


@pytest.mark.parametrize("value", [0, 44, 62, 145, 224, 229, 250, 255, 256, -1])
def test_node_model_unknown(value: int) -> None:
    assert node_model(value) == f"Unknown-{value}"


def test_node_model_250() -> None:
    assert node_model(250) == "Unknown-250"


def test_int_enums_compare_with_bytes() -> None:
    assert int(KeyPowerStatus.ON) == 0x4F
    assert KeyPowerStatus(0x4F) is KeyPowerStatus.ON
    assert bytes((KeyPowerStatus.OFF, AckType.NACK)) == b"\x46\x01"
    assert enums.DataGramDirection(0x3C) is DataGramDirection.INCOMING
