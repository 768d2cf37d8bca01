"""The demo's family login: Claire Thompson, Maya's mother, with one view of her own."""

from __future__ import annotations

from datetime import timedelta

from voice_app.accounts.models import User
from voice_app.children.models import FamilyMember
from voice_app.contributions.models import ContributionKind, SharingChoice
from voice_app.contributions.services import Submission
from voice_app.family import services, sharing
from voice_app.family.models import FamilyAccount

#: Published in the README; demo databases only.
DEMO_FAMILY_SIGN_IN = "claire.thompson"
DEMO_FAMILY_PASSPHRASE = "demo family passphrase"  # noqa: S105


def seed_family(claire: FamilyMember, sam: User) -> FamilyAccount:
    """Claire's account, as if she had opened Sam's invitation, and what she said."""
    made = services.invite(claire, None, sam, timedelta(days=14))
    services.set_passphrase(made.invitation, DEMO_FAMILY_SIGN_IN, DEMO_FAMILY_PASSPHRASE)
    account = made.invitation.account
    sharing.contribute(
        account,
        Submission(
            "demo-claire-mornings",
            ContributionKind.TEXT,
            SharingChoice.MY_WORKER,
            language="en",
            text="Mornings are calmer since her grandad started walking her to school. "
            "I want help so that there is less shouting at home.",
        ),
    )
    return account
