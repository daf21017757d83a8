"""The Parallax reader: a Textual app over one store (`tui.app.ParallaxApp`).

Layout: `app.py` (the app, shared state, store polling), `screens/` (one screen per module,
each with its `.tcss`), `widgets/` (the virtual article list, the reading pane, the entity
panel, the filter bar), `render.py` (article Markdown -> Rich `Text` with highlights),
`keys.py` (binding ids and remapping) and `messages.py` (app-wide messages).

Nothing here imports spaCy: the reader shows stored analysis and never runs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.app import ParallaxApp

__all__ = ["ParallaxApp"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import tui.render` does not start Textual's app machinery.
    if name == "ParallaxApp":
        from tui.app import ParallaxApp

        return ParallaxApp
    raise AttributeError(name)
