"""Permission-matrix rows for subject-access exports, case closure and retention."""

from __future__ import annotations

from tests.core.matrix import Row, World

ROWS: dict[str, list[Row]] = {}


def extend_world(world: World) -> None:
    """Add what these rows need to ``world.extra``."""
