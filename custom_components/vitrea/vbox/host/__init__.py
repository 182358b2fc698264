"""The vBox's host interface (TCP, HA default port 11502): its codec, no connection.

One socket carries two protocols: ASCII lines ending in CR LF (§3) and binary ``VTH`` database
frames (§4). This package builds every command line and VTH request a client sends, parses
every line and VTH reply the box sends, and splits the box's byte stream into those messages
(:class:`HostReader`). It never raises on bad input: what it cannot read comes out as a
:class:`Malformed` value with a reason. Its modules: :mod:`.enums` (enumerations and value
limits), :mod:`.messages` (what the box sends), :mod:`.lines` (lines: parsing and building),
:mod:`.vth` (VTH frames: checksum, parsing and building) and :mod:`.reader`
(:class:`HostReader`); every public name is re-exported here.

§ numbers are sections of the host-interface spec; the project's protocol decisions are in
``docs/host-interface.md``. Builders and message types nothing in the library sends or handles
(such as ``hotel``, ``fan_speed``, ``status_input`` or ``Clock``) are kept: they complete the
published codec and are tested like the rest.

Decisions on what the spec leaves open (§7.3) or where the vendor code is wrong (§7.1):

* **Echoes.** Lines starting ``H:``, ``G:`` or ``P:``, an LED command ``L:Nnnn:k:O|F`` (four
  fields, unlike "node left" ``L:Nnnn``) and ``VTH>`` frames come out as :class:`Echo`, not
  dropped and not malformed: the client decides what to do with them (drop them, §8; which
  ones the box sends: ``docs/host-interface.md``, decision 1).
* **Numbering.** Host key numbers are 1-based. Builders take keys 1-9 (one digit, §3) and nodes,
  ACs, inputs and outputs 0-999 (three digits); the parsers accept any key digit 0-9. The
  relation to the VTU interface's 0-based keys (§6) is not this package's business.
* **Forms.** Where the vendor libraries disagree (§7.2), the builders send VH's form, the one
  Home Assistant's vendor integration uses: plain on ``O:000``, off ``F``, dimmer
  ``D:duration:level``, scenario 4 digits. The key-status query defaults to VH's ``H:Nnnn:G:k``;
  :class:`KeyQueryForm` selects VC's ``H:Nnnn:k:G``.
* **Key status parameter.** ``p`` is read as a decimal number of any width; fields after it are
  ignored (as VH does). An unknown status letter is kept as the letter itself.
* **Encoding.** Lines are decoded as ASCII; every other byte becomes U+FFFD. In an AC status line
  a field holding U+FFFD is an unknown value (``None``), as the box marks them that way (§3.6);
  an AC type that is not ``1``-``4`` makes the line malformed, like any other field that is not
  what §3.6 allows. Anywhere else a non-ASCII byte makes the line malformed.
* **Empty lines** (a bare CR LF) are skipped silently.
* **Version** ``V:<digits>``: VH's rule, first digit = major, the rest = minor (``V:866`` is
  8.66), since the firmware gates (§2) are written against it; the digits are kept as sent.
* **Errors** ``E:<code>[:text]``: the code is a decimal number (``1`` or ``001``) named with VH's
  numbering (§3.7); the text may contain colons. A bare ``ERROR`` line is an error with no code.
* **Scenario results** accept 1-5 digits (VH sends 4, VC 5 characters).
* **VTH lengths** are real u16 values (the vendor's length encoder is wrong above 9, §7.1).
  The reader accepts ``len`` 1 to 0x0FFF: the vendor reader drops the top nibble, so a box
  that works with it never sends more; a larger value is treated as garbage.
* **Names** are decoded as real UTF-16LE (surrogate pairs work, unlike VH); a byte count that
  is odd or differs from what follows is malformed, an unpaired surrogate becomes U+FFFD. Then
  they are cleaned (:func:`.names.clean_name`: no control characters, whitespace collapsed).
* **Key types** above 24 are kept as the number; counts that differ from the entries, and AC
  type digits outside ``1``-``4``, make the frame malformed (VH's fatal values, §4.5).
* **Keypad 0** is asked for as keypad 256 (``01 00``), as VH does (§4.5).
* **AC set-points** are checked against §5.3: 15-30 in °C, 60-90 in °F, 15-90 without a unit.
"""

from __future__ import annotations

from .enums import (
    GLOBAL_ROOM,
    MAX_LEVEL,
    MAX_MINUTES,
    MAX_NODE,
    ACFan,
    ACMode,
    ACType,
    FanSpeed,
    HostErrorCode,
    HostKeyType,
    HotelState,
    KeyQueryForm,
    KeyState,
    TemperatureUnit,
    VersionSupport,
    VTHCommand,
)
from .lines import (
    LINE_END,
    MAX_LINE,
    UNKNOWN,
    ac_fan,
    ac_mode,
    ac_power,
    ac_set,
    ac_setpoint,
    ac_step,
    ac_unit,
    blind,
    blind_stop,
    boiler_timer,
    dim,
    dim_recall,
    dim_step,
    dim_stop,
    fan_speed,
    hotel,
    keep_alive,
    key_off,
    key_on,
    key_toggle,
    led,
    output,
    parse_line,
    run_scenario,
    status_ac,
    status_all,
    status_input,
    status_key,
    status_node,
    status_occupancy,
    status_output,
    version_query,
)
from .messages import (
    Ack,
    ACNumbers,
    ACParams,
    ACStatus,
    Clock,
    DatabaseReply,
    Echo,
    FloorNumbers,
    FloorParams,
    HostError,
    HostMessage,
    InputStatus,
    KeypadNumbers,
    KeyParams,
    KeyStatus,
    LineMessage,
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
    UnknownFrame,
    Version,
)
from .reader import (
    HostReader,
)
from .vth import (
    MAX_FRAME_SIZE,
    MAX_VTH_LENGTH,
    VTH_HEADER_SIZE,
    VTH_REPLY_PREFIX,
    VTH_REQUEST_PREFIX,
    ac_numbers,
    ac_params,
    checksum,
    floor_numbers,
    floor_params,
    key_params,
    keypad_numbers,
    parse_frame,
    room_numbers,
    room_params,
    scenario_numbers,
    scenario_params,
    vth_frame,
)

__all__ = [
    "GLOBAL_ROOM",
    "LINE_END",
    "MAX_FRAME_SIZE",
    "MAX_LEVEL",
    "MAX_LINE",
    "MAX_MINUTES",
    "MAX_NODE",
    "MAX_VTH_LENGTH",
    "UNKNOWN",
    "VTH_HEADER_SIZE",
    "VTH_REPLY_PREFIX",
    "VTH_REQUEST_PREFIX",
    "ACFan",
    "ACMode",
    "ACNumbers",
    "ACParams",
    "ACStatus",
    "ACType",
    "Ack",
    "Clock",
    "DatabaseReply",
    "Echo",
    "FanSpeed",
    "FloorNumbers",
    "FloorParams",
    "HostError",
    "HostErrorCode",
    "HostKeyType",
    "HostMessage",
    "HostReader",
    "HotelState",
    "InputStatus",
    "KeyParams",
    "KeyQueryForm",
    "KeyState",
    "KeyStatus",
    "KeypadNumbers",
    "LineMessage",
    "Malformed",
    "NodeJoined",
    "NodeLeft",
    "Occupancy",
    "OutputStatus",
    "PasswordAck",
    "RoomNumbers",
    "RoomParams",
    "ScenarioNumbers",
    "ScenarioParams",
    "ScenarioResult",
    "TemperatureUnit",
    "UnknownFrame",
    "VTHCommand",
    "Version",
    "VersionSupport",
    "ac_fan",
    "ac_mode",
    "ac_numbers",
    "ac_params",
    "ac_power",
    "ac_set",
    "ac_setpoint",
    "ac_step",
    "ac_unit",
    "blind",
    "blind_stop",
    "boiler_timer",
    "checksum",
    "dim",
    "dim_recall",
    "dim_step",
    "dim_stop",
    "fan_speed",
    "floor_numbers",
    "floor_params",
    "hotel",
    "keep_alive",
    "key_off",
    "key_on",
    "key_params",
    "key_toggle",
    "keypad_numbers",
    "led",
    "output",
    "parse_frame",
    "parse_line",
    "room_numbers",
    "room_params",
    "run_scenario",
    "scenario_numbers",
    "scenario_params",
    "status_ac",
    "status_all",
    "status_input",
    "status_key",
    "status_node",
    "status_occupancy",
    "status_output",
    "version_query",
    "vth_frame",
]
