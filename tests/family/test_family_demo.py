"""The demo's family login, as the README describes it."""

from __future__ import annotations

from voice_app.family.demo import DEMO_FAMILY_PASSPHRASE, DEMO_FAMILY_SIGN_IN


def test_claire_signs_in_and_sees_her_words_and_what_maya_shared(runner, make_client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_FAMILY_SIGN_IN in result.output and DEMO_FAMILY_PASSPHRASE in result.output
    phone = make_client()
    signed_in = phone.submit(
        "/family/sign-in",
        {"sign_in_name": DEMO_FAMILY_SIGN_IN, "passphrase": DEMO_FAMILY_PASSPHRASE},
    )
    assert signed_in.headers["Location"] == "/family/"
    home = phone.get("/family/").get_data(as_text=True)
    assert "Your family space for Maya" in home
    assert "I like it when Grandad walks me to school." in home  # Maya's, shared with family
    assert "less shouting at home" in home  # Claire's own
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
