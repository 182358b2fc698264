"""The VTU wire format as the vBox speaks it: the simulator's own codec.

Written from the protocol (docs/vtu-protocol.md §3 framing, §4 commands, §12 enumerations),
independently of the client library, so that a framing, checksum or enumeration mistake on one
side shows up in the client-simulator tests instead of being shared by both.

A frame is ``56 54 55 | direction | command | length | message ID | payload | checksum``: the
length (two bytes, big-endian) counts the message ID, the payload and the checksum, and the
checksum is the sum of every byte before it, modulo 256.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import IntEnum, StrEnum

_LOGGER = logging.getLogger("vbox_simulator")

PREFIX = b"VTU"
"""``56 54 55``, the first three bytes of every frame."""
HEADER_SIZE = 7
"""Prefix, direction, command and the two length bytes."""
MAX_PAYLOAD = 1024
"""The longest payload the box writes or reads; no frame of the protocol comes near it."""
MAX_FRAME = HEADER_SIZE + 1 + MAX_PAYLOAD + 1
"""The longest frame: header, message ID, payload and checksum."""


class DataGramDirection(IntEnum):
    """Byte 3: ``>`` for a frame the client sends to the box, ``<`` for one the box sends."""

    OUTGOING = 0x3E
    INCOMING = 0x3C


class CommandID(IntEnum):
    """Byte 4: what the frame is about (docs/vtu-protocol.md §4)."""

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


class AckType(IntEnum):
    """The one payload byte of an acknowledgement."""

    ACK = 0
    NACK = 1
    ERROR = 2
    IN_USE = 3
    NOT_AVAILABLE = 4


class KeyPowerStatus(IntEnum):
    """The power byte of KeyStatus and ToggleKeyStatus: a state or a press (ASCII letters)."""

    ON = ord("O")
    OFF = ord("F")
    LONG = ord("L")
    SHORT = ord("S")
    RELEASED = ord("R")


class LockStatus(IntEnum):
    """The lock byte of ToggleNodeStatus and NodeMetaData."""

    UNLOCKED = 0
    LOCKED = 1


class LEDBackgroundBrightness(IntEnum):
    """The keypad backlight level of ToggleNodeStatus and NodeMetaData."""

    OFF = 0
    LOW = 1
    NORMAL = 2
    HIGH = 3
    MAX = 4


class KeyType(IntEnum):
    """The type byte of each key in NodeMetaData."""

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
    """The category byte of KeyParameters."""

    UNDEFINED = 0
    LIGHT = 1
    FAN = 6
    BOILER = 7
    AUDIO = 8
    SCENARIO = 11


class ProtocolVersion(StrEnum):
    """Which layouts of NodeMetaData and KeyParameters the box writes."""

    V1 = "v1"
    V2 = "v2"


_NODE_MODELS = """
1=VT-MW3-SR1-10A 2=VT-MW3-SR2-10A 3=VT-MW3-SR3-10A 4=Module2Toggle2 5=VT-MW4-SR4-10A
6=VT-MW3-UD1-6A 7=VT-MW3-UD2-6A 8=VT-MW3-UD3-6A 9=Module4Buttons4Blinds 10=VT-MW4-UD4-6A
11=VT-MW3-ST3-01 12=VT-MW3-ST6-02 13=VT-MW3-ST8-02 14=VT-MW4-ST4-01 15=VT-MW4-ST8-02
16=VT-MW3-VEN3-24V-01 17=VT-MW4-VEN4-24V-01 18=VT-MW3-UD1-SR2-10A 19=VT-MW3-UD2-SR1-10A
20=VT-MW3-SR3-ST3-10A 21=VT-MW4-SR4-ST4-10A 22=VT-MW3-T6-6A 23=VT-MW4-T8-6A
24=VT-MW4-UD1-SR3-10A 25=VT-MW4-UD2-SR2-10A 26=VT-MW3-NO3-10A 27=VT-MW4-NO4-10A 28=VT-MW3-NO6-6A
29=VT-MW4-NO8-6A 30=VT-MW3-DP1-16A 31=VT-MW3-NO1-10A 32=VT-MW3-DM1-400W 33=VT-MW3-DM1-M2-400W
34=VT-MW3-DM3-ST3-400W 35=VT-MW3-DM3-ST3-0-10V 36=VT-MW4-DM4-ST4-0-10V 37=VT-MW3-DM3-400W
38=Module3Dimmers2Option64 39=Module3Dimmers2Option64Satellite2 40=VT-MW3-DM3-0-10V
41=VT-MW4-DM4-0-10V 42=VT-MW4-DM4-400W 43=VT-MW4-DM4-ST4-400W 49=VT-MW3-DPS-16A
50=TemperatureSensor 51=MovementSensor 52=MotionDetector 53=HumiditySensor 54=FloodDetector
55=RainDetector 56=SmokeDetector 57=NormallyOpenInput 60=GardenFaucet 61=VT-MWR-RPT-A-2
63=VT-DIN6-IN08-W-01 64=VT-DIN6-DM4-H-W-01 65=VT-DIN6-DM2-H-W-01 66=VT-DIN6-DM4-A-W-01
67=VT-DIN6-DM4-U-W-01 68=VT-DIN6-DM2-A-W-01 69=VT-DIN6-DM2-U-W-01 70=VT-MW3-DM1-500W-LT
71=VT-MW3-DM1-M2-500W-LT 72=VT-MW3-DM3-800W-LT 73=VT-MW3-DM3-ST3-800W-LT 74=VT-MW4-DM4-800W-LT
75=VT-MW4-DM4-ST4-800W-LT 76=VT-MW3-DM3-010V-R 77=VT-MW3-DM3-ST3-010V-R 78=VT-MW4-DM4-010V-R
79=VT-MW4-DM4-ST4-010V-R 80=VT-MW3-TMST-H-01 81=VT-MW3-TMST-V-01 82=VT-MW4-TMST-ST3-H-01
83=VT-MW3-TMSF-H-02 84=VT-MW3-TMSF-V-02 85=VT-MW3-DM1-ST2-500W-LT 86=VT-MW3-TMST-H-02
87=VT-MW3-TMST-V-02 88=VT-MW4-TMST-ST3-H-02 90=VT-DIN6-NO08-W-01 91=VT-MW3-DM1-01
92=VT-MW3-DM1-ST2-01 93=VT-MW3-DM2-SR1-01 94=VT-MW3-DM2-SR1-ST3-1 95=VT-MW4-DM2-SR2-01
96=VT-MW4-DM2-SR2-ST4-01 101=VT-AW1-11003-T1B0S0-01 102=VT-AW1-11003-T1B0S2-01
103=VT-AW2-22006-T2B0S0-01 104=VT-AW2-22006-T2B0S2-01 105=VT-AW1-10003-T1B0S0-01
106=VT-AW1-10003-T1B0S2-01 107=VT-AW2-20006-T2B0S0-01 108=VT-AW2-20006-T2B0S2-01
120=VT-AW1-21003-T2B1S0-01 121=VT-AW1-21003-T2B1S1-01 122=VT-AW2-44006-T4B2S0-01
123=VT-AW2-44006-T4B2S2-01 124=VT-AW2-44008-T4B2S4-01 125=VT-AW1-20003-T2B1S0-01
126=VT-AW1-20003-T2B1S1-01 127=VT-AW2-40006-T4B2S0-01 128=VT-AW2-40006-T4B2S2-01
129=VT-AW2-40008-T4B2S4-01 130=VT-AW1-00003-T0B0S3-01 131=VT-AW1-00008-T0B0S8-01
132=VT-AW2-00006-T0B0S6-01 133=VT-AW2-00008-T0B0S8-01 141=VT-UW1-01103-D1B0S0-01
142=VT-UW1-01103-F1B0S0-01 143=VT-UW1-01103-D1B0S2-01 144=VT-UW2-02206-D2B0S0-01
146=VT-UW2-02206-D2B0S2-01 147=VT-UW2-02206-D2B0S4-01 148=VT-UW2-02208-D2B0S6-01
161=VT-AW1-01103-D1B0S0-01 162=VT-AW1-01103-F1B0S0-01 163=VT-AW1-01103-D1B0S2-01
164=VT-AW2-02206-D2B0S0-01 165=VT-AW2-02206-D2B0S2-01 166=VT-AW2-02206-D2B0S4-01
167=VT-AW2-02208-D2B0S6-01 180=VT-AW1-00013-T0C1S0-01 181=VT-AW1-00013-T0C1S2-01
182=VT-AW1-00023-T0C2S0-01 183=VT-AW1-00023-T0C2S1-01 184=VT-AW2-00046-T0C4S0-01
185=VT-AW2-00046-T0C4S2-01 186=VT-AW2-00048-T0C4S4-01 190=VT-G2-TMS-485-GEN-01
191=VT-G2-TMS-485-GNR-01 192=VT-G2-TMS-485-CT4-01 193=VT-G2-TMSF-485-GNR-01
200=VT-BW1-11003-T1B0S0-01 201=VT-BW1-11003-T1B0S2-01 202=VT-BW1-21003-T2B0S0-01
203=VT-BW1-21003-T2B0S1-01 204=VT-BW1-31003-T3B0S0-01 205=VT-BW1-31006-T3B0S3-01
206=VT-BW1-30006-T0B1S0-01 207=VT-BW1-40006-T0B2S0-01 208=VT-BW1-40006-T0B2S2-01
209=VT-BW1-00003-T0B0S3-01 210=VT-BW1-00006-T0B0S6-01 211=VT-BW1-00008-T0B0S8-01
212=VT-BW1-01103-D1B0S0-01 213=VT-BW1-01103-D1B0S2-01 214=VT-BW1-02203-D2B0S0-01
215=VT-BW1-02206-D2B0S2-01 216=VT-BW1-20013-T1C1S0-01 217=VT-BW1-20013-T2C1S1-01
218=VT-BW1-2000B-DP0000-01 219=VT-BW1-20003-DP0000-01 220=VT-BW1-0000T-TM0000-01
221=VT-BW1-4000T-TMC0P0-01 222=VT-BW1-2000T-THC0P1-01 223=VT-BW1-20003-NOC0P0-01
225=VT-BW1-12103-D1T1S0-01 226=VT-BW1-12106-D1T1S2-01 227=VT-BW1-02203-D2B0S0-02
228=VT-BW1-02206-D2B0S2-02
"""
NODE_MODELS: dict[int, str] = {
    int(number): model for number, model in (entry.split("=") for entry in _NODE_MODELS.split())
}
"""The model name of each node type byte of NodeMetaData (docs/vtu-protocol.md §12.3)."""


def checksum(data: bytes) -> int:
    """The sum of ``data`` modulo 256: the last byte of a frame over all the others."""
    return sum(data) % 256


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame: direction, command, message ID and payload."""

    direction: DataGramDirection
    command: int
    message_id: int
    payload: bytes = b""

    def to_bytes(self) -> bytes:
        """The frame on the wire, length and checksum included.

        Raises:
            ValueError: the payload is longer than :data:`MAX_PAYLOAD`.

        """
        if len(self.payload) > MAX_PAYLOAD:
            msg = f"a payload of {len(self.payload)} bytes is longer than {MAX_PAYLOAD}"
            raise ValueError(msg)
        size = 1 + len(self.payload) + 1
        head = PREFIX + bytes((self.direction, self.command, size >> 8, size & 0xFF))
        body = head + bytes((self.message_id,)) + self.payload
        return body + bytes((checksum(body),))


_DIRECTIONS = frozenset(DataGramDirection)


def _length(header: bytes | bytearray) -> int | None:
    """The length field of a header (7 bytes), or ``None`` if it cannot start a frame."""
    length = int.from_bytes(header[5:7], "big")
    if header[3] not in _DIRECTIONS or not 2 <= length <= MAX_PAYLOAD + 2:
        return None
    return length


def _checked(data: bytes) -> Frame | None:
    """The frame of ``data``, its header and length checked; ``None`` for a wrong checksum."""
    if checksum(data[:-1]) != data[-1]:
        return None
    return Frame(DataGramDirection(data[3]), data[4], data[7], data[8:-1])


def decode(data: bytes) -> Frame | None:
    """Exactly one whole frame, or ``None`` if ``data`` is anything else."""
    if len(data) < HEADER_SIZE or not data.startswith(PREFIX):
        return None
    length = _length(data)
    if length is None or HEADER_SIZE + length != len(data):
        return None
    return _checked(data)


class FrameReader:
    """Cuts the frames out of a byte stream, as the box reads what its client sends.

    Frames may come split over several reads, or several in one read. Bytes before a prefix
    are garbage; so are a prefix followed by an unknown direction or an impossible length,
    and a frame whose checksum is wrong: the reader then looks for the next prefix after the
    first byte of the bad one. Between two calls it never keeps more than ``MAX_FRAME - 1``
    bytes.
    """

    def __init__(self) -> None:
        """An empty reader."""
        self._data = bytearray()
        self.dropped = 0
        """How many bytes were thrown away (garbage and bad frames)."""
        self.bad_checksums = 0
        """How many frames were thrown away for their checksum."""

    @property
    def pending(self) -> int:
        """How many bytes wait for the rest of their frame."""
        return len(self._data)

    def feed(self, chunk: bytes) -> list[Frame]:
        """Take the next bytes of the stream; the frames they complete, in order."""
        data = self._data
        data += chunk
        frames: list[Frame] = []
        done = 0  # the bytes before are used up: cut into frames or dropped
        while (start := data.find(PREFIX, done)) >= 0:
            self.dropped += start - done
            done = start
            if len(data) - start < HEADER_SIZE:
                break
            length = _length(data[start : start + HEADER_SIZE])
            if length is None:
                self.dropped += 1
                done += 1
                continue
            end = start + HEADER_SIZE + length
            if end > len(data):
                break
            frame = _checked(bytes(data[start:end]))
            if frame is None:
                _LOGGER.debug("Dropping a 0x%02x frame with a wrong checksum", data[start + 4])
                self.bad_checksums += 1
                self.dropped += 1
                done += 1
                continue
            frames.append(frame)
            done = end
        else:
            # Only garbage is left, but its last bytes may begin a prefix.
            keep = _partial_prefix(data[max(done, len(data) - len(PREFIX) + 1) :])
            self.dropped += len(data) - keep - done
            done = len(data) - keep
        del data[:done]
        return frames


def _partial_prefix(data: bytearray) -> int:
    """How many of the last bytes of ``data`` are the first bytes of a prefix."""
    for size in range(len(PREFIX) - 1, 0, -1):
        if data.endswith(PREFIX[:size]):
            return size
    return 0


def encode_name(name: str) -> bytes:
    """A name as the box writes it: its UTF-16LE byte length in one byte, then UTF-16LE.

    Raises:
        ValueError: the name takes more than 255 bytes (more than 127 characters).

    """
    data = name.encode("utf-16-le")
    if len(data) > 0xFF:
        msg = f"name {name!r} is longer than 127 characters"
        raise ValueError(msg)
    return bytes((len(data),)) + data


def decode_name(data: bytes) -> str:
    """A UTF-16LE name (a stray odd byte ignored), without trailing NULs and whitespace."""
    usable = data[: len(data) // 2 * 2]
    return usable.decode("utf-16-le", errors="replace").rstrip("\x00 \t\r\n")
