"""Demo "you said, we did" for ``flask demo``: Maya asked to see Grandad more, and Sam
told her what was planned. She sees and hears the reply in her space."""

from __future__ import annotations

from datetime import timedelta

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.contributions.models import AuthorKind, ContributionKind, SharingChoice
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.replies.models import ChildReply
from voice_app.replies.services import ReplyDraft, write_reply

MAYA_SAID = "I want to see Grandad more."
SAM_REPLIED = "You told me you want to see Grandad more. We have planned a visit every Saturday."


def seed_reply(child: Child, practitioner: User) -> ChildReply:
    """Maya's words, typed by her on Sam's tablet two days ago, and Sam's reply."""
    words, _created = add_contribution(
        child,
        Submission(
            "demo-maya-see-grandad",
            ContributionKind.TEXT,
            SharingChoice.MY_FAMILY_TOO,
            language="en",
            text=MAYA_SAID,
        ),
        Author(AuthorKind.CHILD, with_practitioner_id=practitioner.id),
    )
    words.created_at -= timedelta(days=2)
    return write_reply(
        words,
        ReplyDraft(
            SAM_REPLIED,
            "en",
            "Agreed with Claire (mother) and Robert (grandfather): Grandad takes Maya to the "
            "park every Saturday morning.",
        ),
        practitioner,
    )
