"""The plan PDF shows the child's drawings as pictures, caption beside, and only those the
plan's readers may see (record.disclosure): not confidential ones, not withdrawn ones."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from pypdf import PdfReader

from tests.plans.helpers import decide_for_meeting, marker, plan_scene
from tests.record.helpers import add_contribution, place
from voice_app.contributions.models import Contribution, ContributionKind
from voice_app.extensions import db
from voice_app.plans.models import Section
from voice_app.plans.services import drafting
from voice_app.record.models import ConsentAnswer
from voice_app.reports import pdf as report_pdf


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def drawing(scene: Any, caption: str, colour: str) -> Contribution:
    made = add_contribution(scene.child, caption, kind=ContributionKind.DRAWING, media=png(colour))
    decide_for_meeting(made, scene.practitioner, ConsentAnswer.GIVEN)
    drafting.place_words(scene.plan, made, Section.STRENGTH, scene.practitioner)
    db.session.commit()
    return made


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_plan_pdf_embeds_only_the_drawings_the_reader_may_see(make_client, monkeypatch):
    scene = plan_scene()
    captions = {key: marker(key) for key in ("shown", "confidential", "withdrawn")}
    colours = {"shown": "red", "confidential": "green", "withdrawn": "blue"}
    made = {
        key: drawing(scene, f"My house {caption}", colours[key])
        for key, caption in captions.items()
    }
    place(scene.child, scene.practitioner, contribution=made["confidential"])
    decide_for_meeting(made["withdrawn"], scene.practitioner, ConsentAnswer.WITHDRAWN)

    seen: list[tuple[str, dict[str, Any]]] = []
    real = report_pdf.render_pdf

    def keep(html: str, pictures: dict[str, Any]) -> bytes:
        seen.append((html, pictures))
        return real(html, pictures)

    monkeypatch.setattr(report_pdf, "render_pdf", keep)
    client = make_client(scene.practitioner.email)
    response = client.get(f"/children/{scene.child.id}/plan/versions/1/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")

    reader = PdfReader(io.BytesIO(response.data))
    # One picture (WeasyPrint lists a picture's resource on every page it shares them with).
    pictures_in_pdf = {image.data for page in reader.pages for image in page.images}
    assert len(pictures_in_pdf) == 1
    (only,) = [image for page in reader.pages for image in page.images][:1]
    assert only.image is not None and only.image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    text = pdf_text(response.data)
    assert captions["shown"] in text
    assert captions["confidential"] not in text and captions["withdrawn"] not in text

    html, pictures = seen[0]
    # Only the shown drawing's picture reaches the renderer, decrypted (a real PNG).
    assert list(pictures) == [f"report-picture:{made['shown'].id}"]
    assert pictures[f"report-picture:{made['shown'].id}"][0].startswith(b"\x89PNG")
    # The caption sits beside its picture, in the same row.
    row = html.split(f'src="report-picture:{made["shown"].id}"', 1)[1].split("</tr>", 1)[0]
    assert captions["shown"] in row
    for key in ("confidential", "withdrawn"):
        assert f"report-picture:{made[key].id}" not in html
