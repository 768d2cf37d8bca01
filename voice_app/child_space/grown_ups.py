"""The grown-ups in a child's family that the child can share one thing with.

When more than one family member has a way into the family's space (two parents who
live apart, say), the child's "who can see this?" step offers each of them by the name
the child knows ("Mum too", "Dad too") beside "all my family". The choice travels as one
value, ``my_family_too:<family member id>``, and is stored on the contribution; who then
sees it is answered by ``record.disclosure`` alone, with the consent decision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

from voice_app.child_space.labels import ALL_THE_FAMILY, CALLED, ONE_GROWN_UP, ONE_PARENT
from voice_app.children.models import Child, DevelopmentalBand, FamilyMember
from voice_app.contributions.models import Contribution, SharingChoice
from voice_app.family import services as family

SEPARATOR = ":"

PICTURES = {
    SharingChoice.MY_WORKER: "share-worker",
    SharingChoice.MY_FAMILY_TOO: "share-family",
    SharingChoice.MY_MEETING: "share-meeting",
}
#: One grown-up with a child, beside the words that name them.
ONE_PICTURE = "share-one"


@dataclass(frozen=True)
class GrownUp:
    member: FamilyMember
    #: Another family member the child would call the same ("Mum" twice): named as well.
    shares_a_name: bool

    def words(self, band: DevelopmentalBand) -> str:
        """How the choice reads for the child's band: "Mum too", "Robert Thompson too"."""
        relationship = self.member.relationship_to_child
        if relationship in ONE_PARENT and not self.shares_a_name:
            return str(ONE_PARENT[relationship][band])
        called = self.member.name
        if relationship in CALLED:
            # i18n: two people the child would both call "Mum" are told apart by name.
            called = _("%(called)s (%(name)s)", called=CALLED[relationship], name=called)
        return str(ONE_GROWN_UP[band] % {"who": called})


def _named(members: list[FamilyMember]) -> list[GrownUp]:
    counts = Counter(m.relationship_to_child for m in members if m.relationship_to_child in CALLED)
    return [
        GrownUp(m, counts[m.relationship_to_child] > 1) for m in sorted(members, key=lambda m: m.id)
    ]


def choosable(child: Child) -> list[GrownUp]:
    """The grown-ups the child may pick one of: offered only when more than one family
    member has an open way into the family's space; otherwise "my family too" is enough."""
    accounts = family.accounts_by_member(child)
    members = [m for m in child.family_members if m.id in accounts and accounts[m.id].active]
    return _named(members) if len(members) > 1 else []


def value_for(member_id: int) -> str:
    return f"{SharingChoice.MY_FAMILY_TOO}{SEPARATOR}{member_id}"


def sharing_of(contribution: Contribution) -> str:
    """The child's choice as their page names it (with the grown-up, if they chose one)."""
    if contribution.shared_with_member_id is not None:
        return value_for(contribution.shared_with_member_id)
    return str(contribution.sharing)


def parse(value: str, child: Child) -> tuple[SharingChoice, int | None]:
    """A sent choice: ``ValueError`` for anyone outside this child's family.

    Someone in the family whose account has ended since the page was loaded is still
    taken: the item may have waited in the tablet's outbox, and naming one grown-up only
    ever narrows who sees it.
    """
    choice, _sep, member = value.partition(SEPARATOR)
    sharing = SharingChoice(choice)
    if not member:
        return sharing, None
    member_id = int(member)
    if sharing is not SharingChoice.MY_FAMILY_TOO or member_id not in {
        m.id for m in child.family_members
    }:
        raise ValueError(value)
    return sharing, member_id


def choices(
    child: Child, band: DevelopmentalBand, labels: dict[SharingChoice, object]
) -> list[tuple[str, str, str]]:
    """(value, words, picture) for each choice on the "who can see this?" step."""
    grown_ups = choosable(child)
    offered: list[tuple[str, str, str]] = []
    for choice, label in labels.items():
        if choice is SharingChoice.MY_FAMILY_TOO and grown_ups:
            offered.extend((value_for(g.member.id), g.words(band), ONE_PICTURE) for g in grown_ups)
            offered.append((str(choice), str(ALL_THE_FAMILY[band]), PICTURES[choice]))
        else:
            offered.append((str(choice), str(label), PICTURES[choice]))
    return offered


def shown_labels(
    child: Child, band: DevelopmentalBand, labels: dict[SharingChoice, object]
) -> dict[str, str]:
    """Words for every choice the child's list may show, a grown-up who has since lost
    their account included (their earlier things still say who may see them)."""
    shown = {value: words for value, words, _picture in choices(child, band, labels)}
    for grown_up in _named(list(child.family_members)):
        shown.setdefault(value_for(grown_up.member.id), grown_up.words(band))
    return shown
