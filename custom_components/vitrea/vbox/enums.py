"""Every enumeration of the VTU protocol (docs/vtu-protocol.md §4, §12)."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class DataGramDirection(IntEnum):
    """Byte 3 of a frame: who sent it."""

    OUTGOING = 0x3E  # '>' client -> vBox
    INCOMING = 0x3C  # '<' vBox -> client


class CommandID(IntEnum):
    """Byte 4 of a frame: the command."""

    ACKNOWLEDGEMENT = 0x00
    LOGIN = 0x01
    HEARTBEAT = 0x07
    TOGGLE_HEARTBEAT = 0x08
    ROOM_META_DATA = 0x1A
    ROOM_COUNT = 0x1D
    TOGGLE_NODE_STATUS = 0x1E
    NODE_META_DATA = 0x1F
    NODE_STATUS = 0x23
    NODE_COUNT = 0x24
    TOGGLE_KEY_STATUS = 0x28
    KEY_STATUS = 0x29
    KEY_PARAMETERS = 0x2B
    INTERNAL_UNIT_STATUSES = 0x60
    NODE_EXISTENCE_STATUS = 0xC8


ResponseCodes = CommandID
"""The name the first upstream releases gave to :class:`CommandID`."""


class AckType(IntEnum):
    """The result code carried by an acknowledgement."""

    ACK = 0
    NACK = 1
    ERROR = 2
    IN_USE = 3
    NOT_AVAILABLE = 4


class KeyPowerStatus(IntEnum):
    """The power byte of a key: a state (on/off) or a press event."""

    ON = 0x4F  # 'O'
    OFF = 0x46  # 'F'
    LONG = 0x4C  # 'L': long press
    SHORT = 0x53  # 'S': short press
    RELEASED = 0x52  # 'R': released after a long press


class LockStatus(IntEnum):
    """Whether a node's keypad is locked."""

    UNLOCKED = 0
    LOCKED = 1


class LEDBackgroundBrightness(IntEnum):
    """The backlight level of a node's keypad."""

    OFF = 0
    LOW = 1
    NORMAL = 2
    HIGH = 3
    MAX = 4


class KeyType(IntEnum):
    """The per-key type byte of NodeMetaData: what a key does."""

    NOT_EXIST = 0
    NOT_ACTIVE = 1
    TOGGLE = 2
    BLIND = 3
    PUSH_BUTTON = 4
    DIMMER = 5
    DIMMER_MW = 10
    BLIND_MW = 11
    SATELLITE = 12
    TOGGLE_SCENE = 13
    DUAL_POLE = 14
    BOILER = 15
    REPEATER = 16
    THERMOSTAT = 17
    ALL_NODES = 101


class KeyCategory(IntEnum):
    """The category byte of KeyParameters: what a key is connected to."""

    UNDEFINED = 0
    LIGHT = 1
    FAN = 6
    BOILER = 7
    AUDIO = 8
    SCENARIO = 11


class ProtocolVersion(StrEnum):
    """Selects the NodeMetaData and KeyParameters layouts."""

    V1 = "v1"
    V2 = "v2"


class NodeType(IntEnum):
    """The node type byte of NodeMetaData; the member name is the model."""

    @property
    def model(self) -> str:
        """The model name, e.g. ``VT-MW3-SR2-10A``."""
        return self.name.replace("_", "-")

    VT_MW3_SR1_10A = 1
    VT_MW3_SR2_10A = 2
    VT_MW3_SR3_10A = 3
    Module2Toggle2 = 4
    VT_MW4_SR4_10A = 5
    VT_MW3_UD1_6A = 6
    VT_MW3_UD2_6A = 7
    VT_MW3_UD3_6A = 8
    Module4Buttons4Blinds = 9
    VT_MW4_UD4_6A = 10
    VT_MW3_ST3_01 = 11
    VT_MW3_ST6_02 = 12
    VT_MW3_ST8_02 = 13
    VT_MW4_ST4_01 = 14
    VT_MW4_ST8_02 = 15
    VT_MW3_VEN3_24V_01 = 16
    VT_MW4_VEN4_24V_01 = 17
    VT_MW3_UD1_SR2_10A = 18
    VT_MW3_UD2_SR1_10A = 19
    VT_MW3_SR3_ST3_10A = 20
    VT_MW4_SR4_ST4_10A = 21
    VT_MW3_T6_6A = 22
    VT_MW4_T8_6A = 23
    VT_MW4_UD1_SR3_10A = 24
    VT_MW4_UD2_SR2_10A = 25
    VT_MW3_NO3_10A = 26
    VT_MW4_NO4_10A = 27
    VT_MW3_NO6_6A = 28
    VT_MW4_NO8_6A = 29
    VT_MW3_DP1_16A = 30
    VT_MW3_NO1_10A = 31
    VT_MW3_DM1_400W = 32
    VT_MW3_DM1_M2_400W = 33
    VT_MW3_DM3_ST3_400W = 34
    VT_MW3_DM3_ST3_0_10V = 35
    VT_MW4_DM4_ST4_0_10V = 36
    VT_MW3_DM3_400W = 37
    Module3Dimmers2Option64 = 38
    Module3Dimmers2Option64Satellite2 = 39
    VT_MW3_DM3_0_10V = 40
    VT_MW4_DM4_0_10V = 41
    VT_MW4_DM4_400W = 42
    VT_MW4_DM4_ST4_400W = 43
    VT_MW3_DPS_16A = 49
    TemperatureSensor = 50
    MovementSensor = 51
    MotionDetector = 52
    HumiditySensor = 53
    FloodDetector = 54
    RainDetector = 55
    SmokeDetector = 56
    NormallyOpenInput = 57
    GardenFaucet = 60
    VT_MWR_RPT_A_2 = 61
    VT_DIN6_IN08_W_01 = 63
    VT_DIN6_DM4_H_W_01 = 64
    VT_DIN6_DM2_H_W_01 = 65
    VT_DIN6_DM4_A_W_01 = 66
    VT_DIN6_DM4_U_W_01 = 67
    VT_DIN6_DM2_A_W_01 = 68
    VT_DIN6_DM2_U_W_01 = 69
    VT_MW3_DM1_500W_LT = 70
    VT_MW3_DM1_M2_500W_LT = 71
    VT_MW3_DM3_800W_LT = 72
    VT_MW3_DM3_ST3_800W_LT = 73
    VT_MW4_DM4_800W_LT = 74
    VT_MW4_DM4_ST4_800W_LT = 75
    VT_MW3_DM3_010V_R = 76
    VT_MW3_DM3_ST3_010V_R = 77
    VT_MW4_DM4_010V_R = 78
    VT_MW4_DM4_ST4_010V_R = 79
    VT_MW3_TMST_H_01 = 80
    VT_MW3_TMST_V_01 = 81
    VT_MW4_TMST_ST3_H_01 = 82
    VT_MW3_TMSF_H_02 = 83
    VT_MW3_TMSF_V_02 = 84
    VT_MW3_DM1_ST2_500W_LT = 85
    VT_MW3_TMST_H_02 = 86
    VT_MW3_TMST_V_02 = 87
    VT_MW4_TMST_ST3_H_02 = 88
    VT_DIN6_NO08_W_01 = 90
    VT_MW3_DM1_01 = 91
    VT_MW3_DM1_ST2_01 = 92
    VT_MW3_DM2_SR1_01 = 93
    VT_MW3_DM2_SR1_ST3_1 = 94
    VT_MW4_DM2_SR2_01 = 95
    VT_MW4_DM2_SR2_ST4_01 = 96
    VT_AW1_11003_T1B0S0_01 = 101
    VT_AW1_11003_T1B0S2_01 = 102
    VT_AW2_22006_T2B0S0_01 = 103
    VT_AW2_22006_T2B0S2_01 = 104
    VT_AW1_10003_T1B0S0_01 = 105
    VT_AW1_10003_T1B0S2_01 = 106
    VT_AW2_20006_T2B0S0_01 = 107
    VT_AW2_20006_T2B0S2_01 = 108
    VT_AW1_21003_T2B1S0_01 = 120
    VT_AW1_21003_T2B1S1_01 = 121
    VT_AW2_44006_T4B2S0_01 = 122
    VT_AW2_44006_T4B2S2_01 = 123
    VT_AW2_44008_T4B2S4_01 = 124
    VT_AW1_20003_T2B1S0_01 = 125
    VT_AW1_20003_T2B1S1_01 = 126
    VT_AW2_40006_T4B2S0_01 = 127
    VT_AW2_40006_T4B2S2_01 = 128
    VT_AW2_40008_T4B2S4_01 = 129
    VT_AW1_00003_T0B0S3_01 = 130
    VT_AW1_00008_T0B0S8_01 = 131
    VT_AW2_00006_T0B0S6_01 = 132
    VT_AW2_00008_T0B0S8_01 = 133
    VT_UW1_01103_D1B0S0_01 = 141
    VT_UW1_01103_F1B0S0_01 = 142
    VT_UW1_01103_D1B0S2_01 = 143
    VT_UW2_02206_D2B0S0_01 = 144
    VT_UW2_02206_D2B0S2_01 = 146
    VT_UW2_02206_D2B0S4_01 = 147
    VT_UW2_02208_D2B0S6_01 = 148
    VT_AW1_01103_D1B0S0_01 = 161
    VT_AW1_01103_F1B0S0_01 = 162
    VT_AW1_01103_D1B0S2_01 = 163
    VT_AW2_02206_D2B0S0_01 = 164
    VT_AW2_02206_D2B0S2_01 = 165
    VT_AW2_02206_D2B0S4_01 = 166
    VT_AW2_02208_D2B0S6_01 = 167
    VT_AW1_00013_T0C1S0_01 = 180
    VT_AW1_00013_T0C1S2_01 = 181
    VT_AW1_00023_T0C2S0_01 = 182
    VT_AW1_00023_T0C2S1_01 = 183
    VT_AW2_00046_T0C4S0_01 = 184
    VT_AW2_00046_T0C4S2_01 = 185
    VT_AW2_00048_T0C4S4_01 = 186
    VT_G2_TMS_485_GEN_01 = 190
    VT_G2_TMS_485_GNR_01 = 191
    VT_G2_TMS_485_CT4_01 = 192
    VT_G2_TMSF_485_GNR_01 = 193
    VT_BW1_11003_T1B0S0_01 = 200
    VT_BW1_11003_T1B0S2_01 = 201
    VT_BW1_21003_T2B0S0_01 = 202
    VT_BW1_21003_T2B0S1_01 = 203
    VT_BW1_31003_T3B0S0_01 = 204
    VT_BW1_31006_T3B0S3_01 = 205
    VT_BW1_30006_T0B1S0_01 = 206
    VT_BW1_40006_T0B2S0_01 = 207
    VT_BW1_40006_T0B2S2_01 = 208
    VT_BW1_00003_T0B0S3_01 = 209
    VT_BW1_00006_T0B0S6_01 = 210
    VT_BW1_00008_T0B0S8_01 = 211
    VT_BW1_01103_D1B0S0_01 = 212
    VT_BW1_01103_D1B0S2_01 = 213
    VT_BW1_02203_D2B0S0_01 = 214
    VT_BW1_02206_D2B0S2_01 = 215
    VT_BW1_20013_T1C1S0_01 = 216
    VT_BW1_20013_T2C1S1_01 = 217
    VT_BW1_2000B_DP0000_01 = 218
    VT_BW1_20003_DP0000_01 = 219
    VT_BW1_0000T_TM0000_01 = 220
    VT_BW1_4000T_TMC0P0_01 = 221
    VT_BW1_2000T_THC0P1_01 = 222
    VT_BW1_20003_NOC0P0_01 = 223
    VT_BW1_12103_D1T1S0_01 = 225
    VT_BW1_12106_D1T1S2_01 = 226
    VT_BW1_02203_D2B0S0_02 = 227
    VT_BW1_02206_D2B0S2_02 = 228


def node_model(node_type: int) -> str:
    """The model name of a node type byte, or ``Unknown-<n>`` for a type not in the table."""
    try:
        return NodeType(node_type).model
    except ValueError:
        return f"Unknown-{node_type}"
