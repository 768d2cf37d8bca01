"""Reading the page number of a paginated list."""

from __future__ import annotations

from flask import request


def page_number() -> int:
    """The ``page`` query argument, 1 when absent or not a positive number."""
    page = request.args.get("page", "1")
    return max(int(page), 1) if page.isdigit() else 1


def page_count(total: int, per_page: int) -> int:
    return max((total + per_page - 1) // per_page, 1)
