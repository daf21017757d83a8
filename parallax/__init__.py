"""Parallax: a terminal reader that compares news coverage across outlets.

The domain core: the article model (`parallax.model`), ingest (`parallax.ingest`), entity
analysis (`parallax.analysis`), comparison and stories (`parallax.compare`), and the CLI
(`parallax.cli`), which wires them to the store (`storage`) and the reader (`tui`).
"""

from __future__ import annotations

__version__ = "0.1.0"
