"""Permission-matrix rows for the chronology, consent decisions and the confidential section."""

from __future__ import annotations

from tests.core.matrix import Row, World

ROWS: dict[str, list[Row]] = {}


def extend_world(world: World) -> None:
    """Add what these rows need to ``world.extra``."""
