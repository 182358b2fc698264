"""Loggers of the protocol core."""

from __future__ import annotations

import inspect
import io
import logging

import pytest
from vitrea_client import log
from vitrea_client.log import LOGGER, ConsoleLogger, Logger, NullLogger

LEVELS = ("debug", "info", "warning", "error")


@pytest.mark.parametrize("level", LEVELS)
def test_console_logger_writes_level_and_formatted_message(level: str) -> None:
    stream = io.StringIO()
    logger = ConsoleLogger(stream)
    getattr(logger, level)("sent %s to node %d", "NodeCount", 7)
    assert stream.getvalue() == f"[vitrea] {level.upper()}: sent NodeCount to node 7\n"


def test_console_logger_without_arguments_does_not_format() -> None:
    stream = io.StringIO()
    logger = ConsoleLogger(stream=stream)
    logger.info("dimmer at 100%")
    logger.warning("%s literally")
    assert stream.getvalue() == "[vitrea] INFO: dimmer at 100%\n[vitrea] WARNING: %s literally\n"


def test_console_logger_appends_lines_in_order() -> None:
    stream = io.StringIO()
    logger = ConsoleLogger(stream)
    logger.debug("a")
    logger.error("b %r", b"\x01")
    assert stream.getvalue().splitlines() == ["[vitrea] DEBUG: a", "[vitrea] ERROR: b b'\\x01'"]


def test_console_logger_defaults_to_standard_error(capsys: pytest.CaptureFixture[str]) -> None:
    ConsoleLogger().error("boom %d", 1)
    captured = capsys.readouterr()
    assert captured.err == "[vitrea] ERROR: boom 1\n"
    assert captured.out == ""


def test_null_logger_drops_everything(capsys: pytest.CaptureFixture[str]) -> None:
    logger = NullLogger()
    for level in LEVELS:
        assert getattr(logger, level)("message %s", "x") is None
        assert getattr(logger, level)("no args") is None
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")


def test_null_logger_does_not_format() -> None:
    # A format mismatch would raise if NullLogger formatted the message.
    NullLogger().info("%d", "not a number")


def accept(logger: Logger) -> Logger:
    """Statically checked by mypy: both loggers satisfy the protocol."""
    return logger


@pytest.mark.parametrize("cls", [ConsoleLogger, NullLogger])
def test_loggers_satisfy_the_protocol(cls: type) -> None:
    logger = accept(cls())
    for level in LEVELS:
        method = getattr(logger, level)
        assert callable(method)
        expected = inspect.signature(getattr(Logger, level))
        assert list(inspect.signature(getattr(cls, level)).parameters) == list(expected.parameters)


def test_standard_logger_is_the_package_logger() -> None:
    assert LOGGER is logging.getLogger("vitrea_client")
    assert log.LOGGER.name == "vitrea_client"


def test_standard_logger_satisfies_the_protocol() -> None:
    logger = accept(LOGGER)
    for level in LEVELS:
        assert callable(getattr(logger, level))
