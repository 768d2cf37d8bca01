"""The demo's report: Claire reads the draft Sam shared, with her comment and his answer."""

from __future__ import annotations

import re

from voice_app.family.demo import DEMO_FAMILY_PASSPHRASE, DEMO_FAMILY_SIGN_IN


def test_claire_reads_the_draft_her_comment_and_sams_answer(runner, make_client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    phone = make_client()
    phone.submit(
        "/family/sign-in",
        {"sign_in_name": DEMO_FAMILY_SIGN_IN, "passphrase": DEMO_FAMILY_PASSPHRASE},
    )
    home = phone.get("/family/").get_data(as_text=True)
    assert "Reports shared with you" in home
    link = re.search(r'href="(/family/reports/\d+)"', home)
    assert link, "no report link on Claire's home page"
    page = phone.get(link.group(1)).get_data(as_text=True)
    assert "It was bad in October; since then it is once or twice a week." in page
    assert "is now once or twice a week; Maya still hears it." in page
    assert "The plan continues for three more months." in page
