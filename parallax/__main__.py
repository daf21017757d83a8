"""`python -m parallax` runs the CLI (same as the `parallax` command)."""

from __future__ import annotations

from parallax.cli import run

run()
