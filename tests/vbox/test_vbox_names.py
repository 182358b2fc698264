"""Names from the vBox, cleaned: no control or invisible format characters, whitespace tidy."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vitrea_client import Topology
from vitrea_client.names import KEPT_FORMAT_CHARACTERS, clean_name

LRM, RLM, ZWJ, ZWNJ = "\u200e", "\u200f", "\u200d", "\u200c"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Kitchen", "Kitchen"),
        ("סלון", "סלון"),
        ("Hall\x00\x00\x00", "Hall"),  # the NULs that pad a name
        ("Kit\x00chen", "Kitchen"),  # an embedded NUL
        ("\x01Bell\x07\x1b[31m\x7f\x9b", "Bell[31m"),  # C0, DEL, C1: gone, the rest stays
        ("  Lead  ", "Lead"),
        ("Living\t\r\nroom", "Living room"),  # whitespace controls separate words
        ("Spots \u00a0 \u2028 left", "Spots left"),  # any run of whitespace is one space
        ("Zero\u200bwidth\ufeff\u00ad", "Zerowidth"),  # ZWSP, BOM, soft hyphen
        ("\u202eevil\u202c \u2067ok\u2069", "evil ok"),  # overrides, embeddings, isolates
        (f"סלון {LRM}TV{RLM}", f"סלון {LRM}TV{RLM}"),  # the marks mixed text may need
        (f"👨{ZWJ}👩{ZWJ}👧", f"👨{ZWJ}👩{ZWJ}👧"),  # a joined emoji
        (f"می{ZWNJ}خواهم", f"می{ZWNJ}خواهم"),  # a non-joiner
        ("\ufffd", "\ufffd"),  # what a bad byte pair decoded to stays visible
        ("", ""),
        ("\x00\x00", ""),
        ("\x00\x01\t\x1f\x7f\x85\u200b\u202e", ""),  # nothing but control and format
        (f"{RLM} {LRM}{ZWJ}", ""),  # nothing visible: only kept marks and joiners
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


def test_kept_format_characters_are_format_characters() -> None:
    assert {unicodedata.category(char) for char in KEPT_FORMAT_CHARACTERS} == {"Cf"}


@settings(deadline=None, max_examples=500)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_property_clean_names(raw: str) -> None:
    name = clean_name(raw)
    assert clean_name(name) == name  # once is enough
    assert name == name.strip()
    assert "  " not in name
    for char in name:
        assert char == " " or not char.isspace()
        assert unicodedata.category(char) not in {"Cc", "Cf"} or char in KEPT_FORMAT_CHARACTERS
    if name:
        assert any(not char.isspace() and char not in KEPT_FORMAT_CHARACTERS for char in name)


def test_a_kept_topology_is_cleaned() -> None:
    """A house kept by an earlier version, names raw, reads back clean (and says so again)."""
    dirty = "\x00Kit\x00chen\x07\r\n"
    kept = {
        "rooms": [{"id": 1, "name": dirty, "floor": 0}, {"id": 2, "name": "\x00\x00"}],
        "floors": [{"id": 0, "name": dirty}],
        "climates": [{"id": 1, "type": 2, "room": 1, "name": dirty}],
        "scenarios": [{"id": 3, "room": None, "name": dirty}],
        "nodes": [
            {
                "id": 4,
                "mac": "00:0D:6F:00:00:00:00:04",
                "type": 1,
                "version": "7.93",
                "room": 1,
                "keys": [{"id": 0, "type": 1, "category": 1, "name": dirty}],
            }
        ],
    }
    topology = Topology.from_dict(kept)
    assert topology.rooms == {1: "Kitchen", 2: ""}
    assert topology.floors == {0: "Kitchen"}
    assert topology.climates[1].name == topology.scenarios[3].name == "Kitchen"
    assert topology.nodes[4].keys[0].name == "Kitchen"
    assert Topology.from_dict(topology.as_dict()) == topology
