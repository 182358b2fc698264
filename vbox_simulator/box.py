"""What the vBox does with each request: the device logic, without any networking.

:meth:`Box.answer` takes a request frame and the state of the client that sent it, carries
the request out on the house and returns the reply frame; a switch of a key it leaves to the
caller (the server has the engine do it: :class:`Switch`). Unknown IDs, malformed payloads and
anything asked before Login are answered NACK, with the request's message ID.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import encode
from .house import FULL, House, Key
from .wire import (
    AckType,
    CommandID,
    KeyPowerStatus,
    LEDBackgroundBrightness,
    LockStatus,
    ProtocolVersion,
    decode_name,
)

if TYPE_CHECKING:
    from .wire import Frame

_LOGGER = logging.getLogger("vbox_simulator")

OPEN_BEFORE_LOGIN = frozenset({CommandID.HEARTBEAT, CommandID.TOGGLE_HEARTBEAT, CommandID.LOGIN})
"""The only commands answered ACK before a successful Login."""


@dataclass
class ClientState:
    """What the box knows of the connected client."""

    logged_in: bool = False
    unsolicited: bool = False
    """The client asked for unsolicited key-status pushes (ToggleHeartbeat)."""
    heartbeat: bool = False


@dataclass(frozen=True)
class Switch:
    """A key to switch, as ToggleKeyStatus asked: on or off, a level, a timer in seconds (0: none).

    The box does not switch it: the server has the engine do it (a blind may travel).
    """

    node_id: int
    key: Key
    on: bool
    level: int
    timer: int


@dataclass(frozen=True)
class Answer:
    """The reply to a request, and the key it switched, if any."""

    reply: Frame
    switch: Switch | None = None


class RequestError(ValueError):
    """A request cannot be carried out; the box answers NACK."""


type _Handler = Callable[[ClientState, Frame], Answer]


def command_name(command: int) -> str:
    """A command's name, e.g. ``NODE_META_DATA``, or its hex value."""
    try:
        return CommandID(command).name
    except ValueError:
        return f"0x{command:02x}"


def decode_credentials(payload: bytes) -> tuple[str, str] | None:
    """``[len] username [len] password`` (UTF-16LE), or ``None`` if malformed."""
    if not payload:
        return None
    user_end = 1 + payload[0]
    if len(payload) <= user_end or len(payload) < user_end + 1 + payload[user_end]:
        return None
    password = payload[user_end + 1 : user_end + 1 + payload[user_end]]
    return decode_name(payload[1:user_end]), decode_name(password)


def _need(payload: bytes, size: int) -> None:
    if len(payload) < size:
        msg = f"payload of {len(payload)} bytes, {size} needed"
        raise RequestError(msg)


def _same(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())


def _ack(frame: Frame, ack: AckType = AckType.ACK) -> Answer:
    return Answer(encode.acknowledgement(frame.message_id, ack))


class Box:
    """The vBox's answers to requests about one house."""

    def __init__(
        self, house: House, *, username: str, password: str, version: ProtocolVersion | str
    ) -> None:
        """A box serving ``house`` to a client with these credentials."""
        self.house = house
        self.version = ProtocolVersion(version)
        self.logins = 0
        self.failed_logins = 0
        self._username = username
        self._password = password
        self._handlers: dict[int, _Handler] = {
            CommandID.HEARTBEAT: self._heartbeat,
            CommandID.TOGGLE_HEARTBEAT: self._toggle_heartbeat,
            CommandID.LOGIN: self._login,
            CommandID.NODE_COUNT: self._node_count,
            CommandID.ROOM_COUNT: self._room_count,
            CommandID.NODE_META_DATA: self._node_meta_data,
            CommandID.ROOM_META_DATA: self._room_meta_data,
            CommandID.KEY_PARAMETERS: self._key_parameters,
            CommandID.KEY_STATUS: self._key_status,
            CommandID.TOGGLE_KEY_STATUS: self._toggle_key_status,
            CommandID.TOGGLE_NODE_STATUS: self._toggle_node_status,
            CommandID.NODE_STATUS: self._node_status,
            CommandID.INTERNAL_UNIT_STATUSES: self._internal_unit_statuses,
        }

    def set_credentials(self, username: str, password: str) -> None:
        """Change the username and password."""
        self._username, self._password = username, password

    def answer(self, client: ClientState, frame: Frame) -> Answer:
        """Carry out one request of ``client`` and return the reply."""
        if not client.logged_in and frame.command not in OPEN_BEFORE_LOGIN:
            _LOGGER.debug("Rejecting %s before Login", command_name(frame.command))
            return _ack(frame, AckType.NACK)
        handler = self._handlers.get(frame.command, self._unknown_command)
        try:
            return handler(client, frame)
        except (RequestError, KeyError) as err:
            _LOGGER.debug("NACK to %s: %s", command_name(frame.command), err)
            return _ack(frame, AckType.NACK)

    def _unknown_command(self, _client: ClientState, frame: Frame) -> Answer:
        msg = f"unknown command 0x{frame.command:02x}"
        raise RequestError(msg)

    def _heartbeat(self, _client: ClientState, frame: Frame) -> Answer:
        return _ack(frame)

    def _toggle_heartbeat(self, client: ClientState, frame: Frame) -> Answer:
        _need(frame.payload, 2)
        client.heartbeat = bool(frame.payload[0])
        client.unsolicited = bool(frame.payload[1])
        return _ack(frame)

    def _login(self, client: ClientState, frame: Frame) -> Answer:
        """Check the credentials; a failed Login also logs out a logged-in client."""
        credentials = decode_credentials(frame.payload)
        client.logged_in = (
            credentials is not None
            and _same(credentials[0], self._username)
            and _same(credentials[1], self._password)
        )
        if client.logged_in:
            self.logins += 1
            return _ack(frame)
        self.failed_logins += 1
        return _ack(frame, AckType.NACK)

    def _node_count(self, _client: ClientState, frame: Frame) -> Answer:
        return Answer(encode.node_count(frame.message_id, (n.id for n in self.house.nodes)))

    def _room_count(self, _client: ClientState, frame: Frame) -> Answer:
        return Answer(encode.room_count(frame.message_id, (r.id for r in self.house.rooms)))

    def _node_meta_data(self, _client: ClientState, frame: Frame) -> Answer:
        _need(frame.payload, 1)
        node = self.house.node(frame.payload[0])
        return Answer(encode.node_meta_data(frame.message_id, node, self.version))

    def _room_meta_data(self, _client: ClientState, frame: Frame) -> Answer:
        _need(frame.payload, 1)
        return Answer(encode.room_meta_data(frame.message_id, self.house.room(frame.payload[0])))

    def _key_parameters(self, _client: ClientState, frame: Frame) -> Answer:
        _need(frame.payload, 2)
        node_id, key_id = frame.payload[:2]
        key = self.house.key(node_id, key_id)
        return Answer(encode.key_parameters(frame.message_id, node_id, key, self.version))

    def _key_status(self, _client: ClientState, frame: Frame) -> Answer:
        _need(frame.payload, 2)
        node_id, key_id = frame.payload[:2]
        return Answer(encode.key_status(frame.message_id, node_id, self.house.key(node_id, key_id)))

    def _toggle_key_status(self, _client: ClientState, frame: Frame) -> Answer:
        """``[node] [key] [4F|46] [level 0-100] [timer, 16 bits, seconds]``."""
        _need(frame.payload, 6)
        node_id, key_id, status, level = frame.payload[:4]
        timer = int.from_bytes(frame.payload[4:6], "big")
        key = self.house.key(node_id, key_id)
        if status not in (KeyPowerStatus.ON, KeyPowerStatus.OFF) or level > FULL:
            msg = f"status 0x{status:02x} with level {level}"
            raise RequestError(msg)
        on = status == KeyPowerStatus.ON
        _LOGGER.info(
            "Key %d/%d (%s) switched %s, level %d%s",
            node_id,
            key_id,
            key.type.name.lower(),
            "on" if on else "off",
            level,
            f", timer {timer} s" if timer else "",
        )
        switch = Switch(node_id, key, on=on, level=level, timer=timer)
        return Answer(encode.acknowledgement(frame.message_id), switch)

    def _toggle_node_status(self, _client: ClientState, frame: Frame) -> Answer:
        """``[node] [lock 0/1] [LED 0-4]``."""
        _need(frame.payload, 3)
        node = self.house.node(frame.payload[0])
        try:
            lock = LockStatus(frame.payload[1])
            led = LEDBackgroundBrightness(frame.payload[2])
        except ValueError as err:
            raise RequestError(str(err)) from err
        node.locked = lock is LockStatus.LOCKED
        node.led = led
        _LOGGER.info("Node %d %s, LED %s", node.id, lock.name.lower(), led.name.lower())
        return _ack(frame)

    def _node_status(self, _client: ClientState, frame: Frame) -> Answer:
        _need(frame.payload, 1)
        return Answer(encode.node_status(frame.message_id, self.house.node(frame.payload[0])))

    def _internal_unit_statuses(self, _client: ClientState, frame: Frame) -> Answer:
        return Answer(encode.internal_unit_statuses(frame.message_id))
