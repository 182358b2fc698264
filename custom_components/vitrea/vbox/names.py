"""Names from the vBox (rooms, floors, keys, units, scenarios), made fit to show and store.

Both interfaces' decoders, and the cache of an earlier version, pass every name through
:func:`clean_name`. The rule for owners: ``README.md`` (Names from the vBox).
"""

from __future__ import annotations

import unicodedata

KEPT_FORMAT_CHARACTERS = frozenset("\u061c\u200c\u200d\u200e\u200f")
"""Invisible characters a name keeps: the Arabic letter, left-to-right and right-to-left
marks (which Hebrew text mixed with Latin may need) and the zero-width non-joiner and joiner
(emoji sequences, some scripts)."""


def _kept(char: str) -> bool:
    """Whether ``char`` stays in a name (whitespace is collapsed afterwards)."""
    return (
        char.isspace()
        or char in KEPT_FORMAT_CHARACTERS
        or unicodedata.category(char) not in {"Cc", "Cf"}
    )


def clean_name(text: str) -> str:
    """``text`` without control and invisible format characters, its whitespace collapsed.

    Control characters (Unicode category Cc: NUL, C0, DEL, C1) and format characters (Cf:
    zero-width space, byte order mark, soft hyphen, bidirectional embeddings, overrides and
    isolates...) are removed, except :data:`KEPT_FORMAT_CHARACTERS`. (Embeddings, overrides
    and isolates work in pairs, and a name is shown joined to other text, e.g. a room's name
    and a word: an unpaired one would reorder what follows it.) Every run of whitespace
    (tab, line breaks, no-break space...) becomes one space, and none is left at either
    end. A name left with nothing visible (only kept marks or joiners) is empty: the
    integration names it as an unnamed one.
    """
    name = " ".join("".join(char for char in text if _kept(char)).split())
    visible = any(char != " " and char not in KEPT_FORMAT_CHARACTERS for char in name)
    return name if visible else ""
