"""PDFs draw every script of the twelve languages with the fonts their CSS names: no tofu."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.i18n.pdf_glyphs import families_drawing, missing_glyphs
from tests.reports.helpers import child_words, report_scene
from voice_app.extensions import db
from voice_app.i18n import KNOWN_LANGUAGES, text_direction
from voice_app.i18n.fonts import _family_list, font_stack, named_families, pdf_font_css
from voice_app.subject_access.export import render_pdf

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

#: A few safeguarding sentences in each language, with the letters peculiar to each.
SAMPLES: dict[str, str] = {
    "en": "Your social worker will read what you share. If you are not safe, adults must act "
    "to keep you safe. The confidential section is never shown to your family.",
    "cy": "Bydd eich gweithiwr cymdeithasol yn darllen yr hyn rydych chi'n ei rannu. Os nad "
    "ydych chi'n ddiogel, rhaid i oedolion weithredu i'ch cadw'n ddiogel. Mae'r grŵp "
    "craidd yn cwrdd heddiw, a byddwn yn siarad â'ch teulu.",
    "pl": "Twój pracownik socjalny przeczyta to, czym się dzielisz. Jeśli nie jesteś "
    "bezpieczny, dorośli muszą działać, żeby zapewnić ci bezpieczeństwo. Sekcja poufna "
    "nigdy nie jest pokazywana twojej rodzinie, również gdy dzieje się źle.",
    "ro": "Asistentul tău social va citi ce împărtășești. Dacă nu ești în siguranță, adulții "
    "trebuie să acționeze ca să te protejeze. Când ai nevoie, poți cere un interpret.",
    "ur": "آپ کا سوشل ورکر وہ پڑھے گا جو آپ بتائیں گے۔ اگر آپ محفوظ نہیں ہیں تو بڑوں کو "
    "آپ کی حفاظت کے لیے قدم اٹھانا ہوگا۔ خفیہ حصہ آپ کے خاندان کو کبھی نہیں دکھایا جاتا۔",
    "ar": "سيقرأ الأخصائي الاجتماعي ما تشاركه. إذا لم تكن في أمان، يجب على الكبار أن "
    "يتصرفوا لحمايتك. لا يُعرض القسم السري على عائلتك أبدًا.",
    "pa": "ਤੁਹਾਡਾ ਸੋਸ਼ਲ ਵਰਕਰ ਉਹ ਪੜ੍ਹੇਗਾ ਜੋ ਤੁਸੀਂ ਸਾਂਝਾ ਕਰਦੇ ਹੋ। ਜੇ ਤੁਸੀਂ ਸੁਰੱਖਿਅਤ ਨਹੀਂ ਹੋ, ਤਾਂ ਵੱਡਿਆਂ ਨੂੰ "
    "ਤੁਹਾਨੂੰ ਸੁਰੱਖਿਅਤ ਰੱਖਣ ਲਈ ਕਦਮ ਚੁੱਕਣੇ ਪੈਣਗੇ। ਗੁਪਤ ਹਿੱਸਾ ਤੁਹਾਡੇ ਪਰਿਵਾਰ ਨੂੰ ਕਦੇ ਨਹੀਂ ਦਿਖਾਇਆ ਜਾਂਦਾ।",
    "bn": "তোমার সমাজকর্মী তুমি যা জানাবে তা পড়বেন। তুমি নিরাপদ না থাকলে, বড়দের তোমাকে "
    "নিরাপদ রাখতে ব্যবস্থা নিতে হবে। গোপনীয় অংশ কখনও তোমার পরিবারকে দেখানো হয় না।",
    "so": "Shaqaalahaaga bulshada ayaa akhrin doona waxa aad la wadaagto. Haddii aadan "
    "badbaado ahayn, dadka waaweyn waa inay tallaabo qaadaan si ay kuu ilaaliyaan.",
    "uk": "Твій соціальний працівник прочитає те, чим ти поділишся. Якщо ти не в безпеці, "
    "дорослі мусять діяти, щоб тебе захистити. Твоя згода важлива, і є перекладач. "
    "Ґрунтуючись на твоїх словах, ми складемо план.",
    "pt": "O teu assistente social vai ler o que partilhares. Se não estiveres em segurança, "
    "os adultos têm de agir para te proteger. A secção confidencial nunca é mostrada à tua "
    "família, nem a informação que ela contém.",
    "tr": "Sosyal hizmet uzmanın paylaştıklarını okuyacak. Güvende değilsen, yetişkinler "
    "seni korumak için harekete geçmek zorundadır. Gizli bölüm ailene asla gösterilmez. "
    "İzin önemlidir.",
}


def _page(locale: str, text: str, css: str) -> bytes:
    html = (
        f'<!doctype html><html lang="{locale}" dir="{text_direction(locale)}"><head>'
        f'<meta charset="utf-8"><style>{css}</style></head>'
        f"<body><h1>{text[:40]}</h1><p>{text}</p></body></html>"
    )
    return render_pdf(html)


def test_there_is_a_sample_for_each_of_the_twelve_languages():
    assert set(SAMPLES) == set(KNOWN_LANGUAGES)


@pytest.mark.parametrize("locale", sorted(KNOWN_LANGUAGES))
def test_a_page_in_each_language_has_no_missing_glyph(locale):
    text = SAMPLES[locale]
    pdf = _page(locale, text, pdf_font_css(locale))
    assert missing_glyphs(pdf, text, font_stack(locale)) == []


def test_urdu_is_right_to_left_and_set_in_nastaliq():
    assert text_direction("ur") == "rtl"
    assert font_stack("ur")[0] == "Noto Nastaliq Urdu"
    # An Urdu passage inside a PDF in another language is set in Nastaliq too.
    assert ':lang(ur) { font-family: "Noto Nastaliq Urdu"' in pdf_font_css("en")
    assert "Noto Nastaliq Urdu" in families_drawing(_page("ur", SAMPLES["ur"], pdf_font_css("ur")))
    arabic = families_drawing(_page("ar", SAMPLES["ar"], pdf_font_css("ar")))
    assert "Noto Naskh Arabic" in arabic
    assert "Noto Nastaliq Urdu" not in arabic


def test_every_script_is_drawn_in_a_pdf_of_any_language():
    # A child's words can be in any script, whatever the report's language.
    text = " ".join(SAMPLES[code] for code in ("ur", "bn", "pa", "uk"))
    pdf = _page("en", text, pdf_font_css("en"))
    assert missing_glyphs(pdf, text, font_stack("en")) == []


def test_a_stack_without_the_bengali_font_fails():
    stack = [family for family in font_stack("bn") if family != "Noto Sans Bengali"]
    pdf = _page("bn", SAMPLES["bn"], f"body {{ font-family: {_family_list(stack)}; }}")
    problems = missing_glyphs(pdf, SAMPLES["bn"], stack)
    # fontconfig still finds a Bengali font, but one the stack does not name: a PDF that
    # depends on what happens to be installed fails.
    assert problems and all("Bengali" in problem for problem in problems), problems
    assert any("the font stack does not name it" in problem for problem in problems)


def test_a_character_no_font_has_is_reported():
    text = "Plan \ue000 review"
    problems = missing_glyphs(_page("en", text, pdf_font_css("en")), text, font_stack("en"))
    assert problems == [
        "'Noto Sans' drew a missing glyph (id 3317)",
        "U+E000 ? (\ue000) has no glyph in any font used",
    ]


@pytest.mark.parametrize(
    "template", ["reports/pdf.html", "plans/pdf.html", "subject_access/export.html"]
)
def test_every_pdf_template_uses_the_stack_and_no_font_of_its_own(template):
    source = (TEMPLATES / template).read_text()
    assert "{{ pdf_font_css(" in source
    assert "font-family" not in source


def test_a_report_pdf_draws_a_childs_words_in_every_script(app, make_client):
    # The report is in English; the child wrote in Urdu, Bengali and Punjabi.
    scene = report_scene()
    chosen = []
    for code in ("ur", "bn", "pa"):
        words = child_words(scene.child, scene.practitioner, SAMPLES[code])
        words.language = code
        chosen.append(words)
    db.session.commit()
    staff = make_client(scene.practitioner.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"
    for words in chosen:
        assert staff.submit(f"{base}/words", {"contribution_id": words.id}).status_code == 302
    data = staff.get(f"{base}/pdf").data
    text = " ".join(words.text or "" for words in chosen)
    assert missing_glyphs(data, text, named_families("en")) == []
    # The Urdu words are marked lang="ur" in the page, so they are set in Nastaliq.
    assert {"Noto Nastaliq Urdu", "Noto Sans Bengali", "Noto Sans Gurmukhi"} <= families_drawing(
        data
    )
