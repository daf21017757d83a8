"""Binding ids and the user's key remapping.

Every binding in the reader has a stable id (`screen.action`, e.g. `list.down`,
`library.star`). The config file's `[keys]` table maps ids to comma-separated keys, and the
app hands that to Textual's `App.set_keymap`, so remapping needs no code here beyond
validation. Unknown ids are reported (a typo should not be silently ignored) but do not
stop the reader from starting::

    [keys]
    "list.down" = "j,down,ctrl+n"
    "library.star" = "f"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(slots=True, frozen=True)
class KeyInfo:
    """One binding as shown on the help screen."""

    id: str
    keys: str
    description: str
    group: str


def binding_ids(bindings: Iterable[object]) -> list[str]:
    """The ids of the `Binding` objects in a `BINDINGS` list (tuples have none)."""
    return [b.id for b in bindings if isinstance(b, Binding) and b.id]


def keymap_from_config(
    keys: Mapping[str, str], known: Iterable[str]
) -> tuple[dict[str, str], list[str]]:
    """Validate the config's `[keys]` table.

    Returns:
        The keymap for `App.set_keymap` (known ids only, keys stripped of spaces) and a list
        of warnings naming unknown ids or empty key lists.
    """
    known_ids = set(known)
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, value in keys.items():
        cleaned = ",".join(k.strip() for k in value.split(",") if k.strip())
        if binding_id not in known_ids:
            warnings.append(
                f"config [keys]: unknown binding id {binding_id!r} (see the help screen, ?)"
            )
            continue
        if not cleaned:
            warnings.append(f"config [keys]: {binding_id!r} has no keys; keeping the default")
            continue
        keymap[binding_id] = cleaned
    return keymap, warnings


def display_keys(keys: str) -> str:
    """Keys as a user reads them: `question_mark,f1` -> `? / F1`."""
    names = {
        "question_mark": "?",
        "slash": "/",
        "space": "Space",
        "enter": "Enter",
        "escape": "Esc",
        "full_stop": ".",
        "comma": ",",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "asterisk": "*",
        "pagedown": "PgDn",
        "pageup": "PgUp",
        "home": "Home",
        "end": "End",
        "up": "\u2191",
        "down": "\u2193",
        "tab": "Tab",
        "f1": "F1",
        "greater_than_sign": ">",
        "less_than_sign": "<",
        "delete": "Del",
        "backspace": "Backspace",
        "equals_sign": "=",
    }
    out = []
    for key in keys.split(","):
        key = key.strip()
        if not key:
            continue
        if key.startswith("ctrl+"):
            out.append("Ctrl+" + names.get(key[5:], key[5:]))
        else:
            out.append(names.get(key, key))
    return " / ".join(out)


__all__ = ["KeyInfo", "binding_ids", "display_keys", "keymap_from_config"]
