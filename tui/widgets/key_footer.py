"""The footer: Textual's `Footer`, recomposed only when the keys it shows change.

Textual's footer rebuilds all its key widgets whenever the focused widget's bindings
change, which in the reader is every Enter (focus to the reading pane) and every Escape
(back to the list): measured at about 100 ms per key press with ~20 keys shown, most of
the cost of opening an article. The keys it *shows* are the screen's, and they are the same
whichever pane has focus, so this footer compares what it would show with what it shows
and skips the rebuild when nothing differs. Clicks, tooltips, remapped keys and styling
are the stock footer's.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A `Footer` that rebuilds only when its keys, labels or enabled states change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[tuple[str, ...], ...] | None = None

    def _signature(self, screen: Screen[Any]) -> tuple[tuple[str, ...], ...]:
        app = screen.app
        return tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                str(enabled),
                tooltip or "",
                app.get_key_display(binding),
            )
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            signature = self._signature(screen)
            if signature == self._shown:
                return
            self._shown = signature
        super().bindings_changed(screen)


__all__ = ["KeyFooter"]
