"""How the values of a house file are checked.

Each check returns the value, or raises :class:`HouseError` saying what is wrong.
"""

from __future__ import annotations

from .wire import KeyCategory, KeyType, LEDBackgroundBrightness

MAX_NAME_CHARACTERS = 127
"""Names travel with their UTF-16LE byte length in one byte."""
FULL = 100
"""The highest level: full brightness, fully open."""


class HouseError(ValueError):
    """A house description is invalid, or the house refuses a change."""


class KeypadLockedError(HouseError):
    """A change at the wall of a node whose keypad is locked: the node ignores it."""


def check_byte(what: str, value: object) -> int:
    """A whole number 0-255."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 0xFF:
        msg = f"{what} must be an integer between 0 and 255, got {value!r}"
        raise HouseError(msg)
    return value


def check_level(what: str, value: object) -> int:
    """A level, 0-100."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= FULL:
        msg = f"{what} must be an integer between 0 and 100, got {value!r}"
        raise HouseError(msg)
    return value


def check_name(what: str, value: object) -> str:
    """A name the protocol can carry."""
    if not isinstance(value, str) or len(value.encode("utf-16-le")) > 2 * MAX_NAME_CHARACTERS:
        msg = f"{what} must be a string of at most {MAX_NAME_CHARACTERS} characters"
        raise HouseError(msg)
    return value


def check_member[E: (KeyType, KeyCategory, LEDBackgroundBrightness)](
    enum: type[E], what: str, value: object
) -> E:
    """An enum member from its lowercase name or its number."""
    try:
        if isinstance(value, str):
            return enum[value.upper()]
        if isinstance(value, int) and not isinstance(value, bool):
            return enum(value)
    except (KeyError, ValueError):
        pass
    msg = f"{what}: unknown {enum.__name__} {value!r}"
    raise HouseError(msg)


def check_choice(what: str, value: object, choices: tuple[str, ...]) -> str:
    """One of ``choices``."""
    if value not in choices:
        msg = f"{what} must be one of {', '.join(choices)}, got {value!r}"
        raise HouseError(msg)
    return str(value)


def check_whole(what: str, value: object, allowed: range) -> int:
    """A whole number in ``allowed``."""
    if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
        msg = f"{what} must be an integer between {allowed.start} and {allowed.stop - 1}"
        msg += f", got {value!r}"
        raise HouseError(msg)
    return value


def check_flag(what: str, value: object) -> bool:
    """True or false."""
    if not isinstance(value, bool):
        msg = f"{what} must be true or false, got {value!r}"
        raise HouseError(msg)
    return value
