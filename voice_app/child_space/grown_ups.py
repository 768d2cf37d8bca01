"""The grown-ups in a child's family that the child can share one thing with.

When more than one family member has a way into the family's space (two parents who
live apart, say), the child's "who can see this?" step offers each of them by the name
the child knows ("Mum", "Dad") beside "all my family". The choice travels as one value,
``my_family_too:<family member id>``, and is stored on the contribution; who then sees
it is answered by ``record.disclosure`` alone, with the consent decision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from voice_app.children.models import Child, DevelopmentalBand, FamilyMember, Relationship
from voice_app.contributions.models import Contribution, SharingChoice
from voice_app.family import services as family

#: What a child calls a parent; anyone else is called by their name.
CALLED = {
    Relationship.MOTHER: _l("Mum"),
    Relationship.FATHER: _l("Dad"),
}

#: "Only this grown-up", in words for each band; ``who`` is "Mum", "Dad" or a name.
ONE_GROWN_UP = {
    # i18n: a 4-7 year old's choice of who sees a drawing: their worker and Mum (say).
    DevelopmentalBand.EARLY: _l("%(who)s too"),
    DevelopmentalBand.MIDDLE: _l("Just %(who)s from my family"),
    DevelopmentalBand.TEEN: _l("My social worker and %(who)s only"),
}
#: "My family too", said so that it is clear it means all of them.
ALL_THE_FAMILY = {
    DevelopmentalBand.EARLY: _l("All my family too"),
    DevelopmentalBand.MIDDLE: _l("All my family"),
    DevelopmentalBand.TEEN: _l("My social worker and all my family"),
}

SEPARATOR = ":"


@dataclass(frozen=True)
class GrownUp:
    member_id: int
    #: What the child calls them: "Mum", "Dad", or their name.
    called: str


def _called(member: FamilyMember, duplicated: bool) -> str:
    called = CALLED.get(member.relationship_to_child)
    if called is None:
        return member.name
    # i18n: two people the child would both call "Mum" (say) are told apart by name.
    return (
        _("%(called)s (%(name)s)", called=called, name=member.name) if duplicated else str(called)
    )


def _named(members: list[FamilyMember]) -> list[GrownUp]:
    counts = Counter(m.relationship_to_child for m in members if m.relationship_to_child in CALLED)
    return [
        GrownUp(m.id, _called(m, counts[m.relationship_to_child] > 1))
        for m in sorted(members, key=lambda m: m.id)
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
    """A sent choice: ``ValueError`` for anything the child was not offered."""
    choice, _sep, member = value.partition(SEPARATOR)
    sharing = SharingChoice(choice)
    if not member:
        return sharing, None
    member_id = int(member)
    if sharing is not SharingChoice.MY_FAMILY_TOO or member_id not in {
        grown_up.member_id for grown_up in choosable(child)
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
            offered.extend(
                (value_for(g.member_id), str(ONE_GROWN_UP[band] % {"who": g.called}), "share-one")
                for g in grown_ups
            )
            offered.append((str(choice), str(ALL_THE_FAMILY[band]), "share-family"))
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
        shown.setdefault(
            value_for(grown_up.member_id), str(ONE_GROWN_UP[band] % {"who": grown_up.called})
        )
    return shown


PICTURES = {
    SharingChoice.MY_WORKER: "share-worker",
    SharingChoice.MY_FAMILY_TOO: "share-family",
    SharingChoice.MY_MEETING: "share-meeting",
}
