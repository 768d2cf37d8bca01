"""Offline, then online: a drawing goes in chunks, a lost chunk is sent again, stored once.

While the tablet is offline every waiting item, and the panel it was sent from, says the
same true thing in words for the child's band.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_child_space import draw, open_space, stored
from tests.e2e.test_child_space import outbox as outbox_items

pytestmark = pytest.mark.browser

WAITING = (
    "Not sent yet. It's safe on this tablet, and it will go to your worker "
    "when the internet comes back."
)

#: Paint noise over part of the canvas: a drawing that does not compress, several chunks.
NOISE = """canvas => {
  const context = canvas.getContext("2d");
  const block = context.createImageData(360, 300);
  for (let i = 0; i < block.data.length; i += 4) {
    block.data[i] = Math.random() * 255;
    block.data[i + 1] = Math.random() * 255;
    block.data[i + 2] = Math.random() * 255;
    block.data[i + 3] = 255;
  }
  context.putImageData(block, 20, 20);
}"""


def test_offline_items_all_say_so_and_a_chunked_drawing_resumes_after_a_lost_chunk(
    tablet: BrowserContext, space_app: Flask, invite
) -> None:
    lena = invite("Lena", age=10)
    page = tablet.new_page()
    open_space(page, lena)

    tablet.set_offline(True)
    page.get_by_role("button", name="Write").click()
    words = page.locator("#panel-text")
    words.get_by_label("Your words").fill("I like my new school.")
    words.get_by_text("Only my worker").click()
    words.get_by_role("button", name="Send").click()
    page.get_by_role("button", name="Draw").click()
    draw(page)
    page.locator("#panel-drawing canvas").evaluate(NOISE)
    drawing = page.locator("#panel-drawing")
    drawing.get_by_text("Only my worker").click()
    drawing.get_by_role("button", name="Send").click()

    waiting = page.locator("[data-outbox]")
    expect(waiting.locator("li")).to_have_count(2)
    # Both items, and the panel of the second one sent, say the same true thing.
    expect(waiting.get_by_text(WAITING)).to_have_count(2)
    expect(drawing.locator("[data-panel-status]")).to_have_text(WAITING)
    assert sorted(kind for _space, kind, _text in outbox_items(page)) == ["drawing", "text"]

    chunks: list[str] = []
    lost = {"count": 0}

    def lose_the_third_chunk(route: Any) -> None:
        chunks.append(route.request.url.rsplit("offset=", 1)[1])
        if len(chunks) == 3 and lost["count"] == 0:
            lost["count"] += 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/me/contributions/uploads/*", lose_the_third_chunk)
    tablet.set_offline(False)
    expect(waiting).to_be_hidden(timeout=30_000)
    expect(page.locator(".cs-thing")).to_have_count(2)
    assert outbox_items(page) == []

    kept = stored(space_app, lena.child_id)
    assert sorted(c.kind for c in kept) == ["drawing", "text"]
    assert lost["count"] == 1
    offsets = [int(offset) for offset in chunks]
    # The lost chunk was sent again; none before it was.
    assert offsets[2] == offsets[3] and offsets.count(0) == 1
    assert len(offsets) >= 4
    assert offsets == sorted(offsets)
