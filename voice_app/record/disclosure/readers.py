"""Who is reading, and what each reader may see of one child: the disclosure owner's API.

A ``Disclosure`` is made for one reader and one child (``disclosure_for``) and answers
every question a page, export or job asks: which entries and contributions (with their
media, thumbnails and transcripts) the reader may see, which of them are confidential,
the reader-facing numbering of entries, and the audit entry for a confidential read.

Readers without a grant for the child's confidential section see entries numbered 1, 2,
3 ... with no gap and no count of what is hidden; readers with a grant see the true
sequence, which stays in the data and the audit log.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, false, select, true

from voice_app.accounts.models import User
from voice_app.audit import services as audit
from voice_app.audit.models import AuditAction
from voice_app.contributions.models import AuthorKind, Contribution, SharingChoice
from voice_app.core.permissions import Permission
from voice_app.extensions import db
from voice_app.record.disclosure.interpreting import (
    InterpreterScope,
    interpreter_assigned,
    visible_contribution_ids,
)
from voice_app.record.disclosure.scope import ConfidentialScope, confidential_scope
from voice_app.record.disclosure.sharing import (
    Audience,
    contribution_ids_shared_with,
    shared_with_statement,
)
from voice_app.record.models import ConfidentialAccessGrant, ConfidentialPlacement, RecordEntry

#: A child's own contributions: typed, spoken or drawn by them, or written down with them.
CHILDS_OWN = (AuthorKind.CHILD, AuthorKind.PRACTITIONER_FOR_CHILD)

#: The child's sharing choices that include their family: "my family too", and "everyone
#: at my meeting", which the family attends. A consent decision must allow it as well.
FAMILY_SHARING_CHOICES = (SharingChoice.MY_FAMILY_TOO, SharingChoice.MY_MEETING)


class ReaderKind(StrEnum):
    #: A signed-in member of staff; a grant opens the confidential section to them.
    STAFF = "staff"
    #: The child, in their own space: their own contributions, never the section.
    CHILD = "child"
    #: A family member, or the family as the audience of a plan or report.
    FAMILY = "family"
    #: A subject-access copy for the child (``requester_is_child``) or a parent.
    SUBJECT_ACCESS = "subject_access"
    #: An interpreter: only what their requests name, while assigned (``interpreting``).
    INTERPRETER = "interpreter"


@dataclass(frozen=True)
class Reader:
    kind: ReaderKind
    user: User | None = None
    family_member_id: int | None = None
    requester_is_child: bool = False
    interpreting: InterpreterScope | None = None

    @classmethod
    def staff(cls, user: User) -> Reader:
        return cls(ReaderKind.STAFF, user=user)

    @classmethod
    def child(cls) -> Reader:
        return cls(ReaderKind.CHILD)

    @classmethod
    def family(cls, family_member_id: int | None = None) -> Reader:
        return cls(ReaderKind.FAMILY, family_member_id=family_member_id)

    @classmethod
    def subject_access(cls, *, for_child: bool, family_member_id: int | None = None) -> Reader:
        """A copy for the child, or for the parent ``family_member_id`` names."""
        return cls(
            ReaderKind.SUBJECT_ACCESS,
            requester_is_child=for_child,
            family_member_id=None if for_child else family_member_id,
        )

    @classmethod
    def interpreter(cls, user: User, scope: InterpreterScope) -> Reader:
        """An interpreter, through what their requests for this child name."""
        return cls(ReaderKind.INTERPRETER, user=user, interpreting=scope)


def has_live_grant(user: User, child_id: int) -> bool:
    """Whether ``user`` holds a live grant for this child's confidential section.

    The grant alone: reading also needs the role's permission (``may_read_confidential``).
    """
    if not user.is_authenticated:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ConfidentialAccessGrant.child_id == child_id,
                    ConfidentialAccessGrant.user_id == user.id,
                    ConfidentialAccessGrant.revoked_at.is_(None),
                )
            )
        )
    )


def may_read_confidential(user: User, child_id: int) -> bool:
    """The permission and a live grant for this child, both; nothing less."""
    return (
        user.is_authenticated
        and user.can(Permission.CONFIDENTIAL_READ)
        and has_live_grant(user, child_id)
    )


@dataclass
class Disclosure:
    """What one reader may see of one child's record and contributions."""

    reader: Reader
    child_id: int

    @cached_property
    def scope(self) -> ConfidentialScope:
        return confidential_scope(self.child_id)

    @cached_property
    def with_grant(self) -> bool:
        """Only staff with the permission and a live grant ever read the section."""
        user = self.reader.user
        return (
            self.reader.kind is ReaderKind.STAFF
            and user is not None
            and may_read_confidential(user, self.child_id)
        )

    # Contributions, with their media, thumbnails and transcripts.

    @cached_property
    def _interpreter_ids(self) -> frozenset[int]:
        """For an interpreter: the requested contributions they may see now."""
        user, scope = self.reader.user, self.reader.interpreting
        if user is None or scope is None:
            return frozenset()
        return visible_contribution_ids(user, self.child_id, scope, self.scope.contribution_ids)

    @cached_property
    def _audience_ids(self) -> frozenset[int] | None:
        """For family readers and a parent's copy: the contributions consent shares."""
        if self.reader.kind is ReaderKind.FAMILY or (
            self.reader.kind is ReaderKind.SUBJECT_ACCESS and not self.reader.requester_is_child
        ):
            # A family reader, and a parent's subject-access copy, get what is shared with
            # all the family and with them by name; an item given to the other parent alone
            # (by the decision or by the child's own choice) is in neither.
            stmt = contribution_ids_shared_with(
                self.child_id,
                Audience.FAMILY,
                self.reader.family_member_id,
                confidential=self.scope,
            )
            return frozenset(db.session.scalars(stmt))
        return None

    def contribution_filter(self) -> ColumnElement[bool]:
        """SQL condition on ``Contribution``: the ones this reader may see."""
        condition: ColumnElement[bool] = true()
        if self.reader.kind is ReaderKind.INTERPRETER:
            ids = sorted(self._interpreter_ids)
            return Contribution.id.in_(ids) if ids else false()
        if not self.with_grant:
            condition = Contribution.id.not_in(sorted(self.scope.contribution_ids))
        if self.reader.kind is ReaderKind.CHILD:
            condition = condition & (Contribution.author_kind == AuthorKind.CHILD)
        elif self.reader.kind is ReaderKind.SUBJECT_ACCESS and self.reader.requester_is_child:
            condition = condition & Contribution.author_kind.in_(CHILDS_OWN)
        audience = self._audience_ids
        if self.reader.kind is ReaderKind.FAMILY:
            # A family member reads their own words, and what the child chose to share with
            # the family where consent allows it; nobody else's, nothing confidential.
            shared = Contribution.sharing.in_(FAMILY_SHARING_CHOICES) & Contribution.id.in_(
                sorted(audience or ())
            )
            condition = condition & (self._readers_own() | shared)
        elif audience is not None:
            consented: ColumnElement[bool] = (
                Contribution.id.in_(sorted(audience)) if audience else false()
            )
            # A parent's copy: the words the parent gave themselves are theirs too.
            condition = condition & (consented | self._readers_own())
        return condition

    def family_filter(self) -> tuple[ColumnElement[bool], dict[str, Any]]:
        """For a family reader: ``contribution_filter``'s condition (with the child's own
        ``child_id`` in it), built once per process with its values left as bind parameters,
        and this reader's values to run it with.

        The same rule, asked for on every visit to the family's home page: what consent
        shares is a subquery of the caller's statement (not a query of its own before it),
        and nothing is built per request. The section is read fresh each time (``scope``).
        """
        if self.reader.kind is not ReaderKind.FAMILY:
            raise ValueError(f"not a family reader: {self.reader.kind}")
        member = self.reader.family_member_id
        return _family_condition(member is not None), {
            "child_id": self.child_id,
            "family_member_id": member,
            "hidden": sorted(self.scope.contribution_ids),
        }

    def _readers_own(self) -> ColumnElement[bool]:
        """SQL: the words a family reader (or a parent's copy) gave themselves; none when no
        family member is named."""
        if self.reader.family_member_id is None:
            return false()
        return (Contribution.author_kind == AuthorKind.FAMILY_MEMBER) & (
            Contribution.family_member_id == self.reader.family_member_id
        )

    def _is_readers_own(self, contribution: Contribution) -> bool:
        """``_readers_own`` for one contribution already loaded."""
        return (
            self.reader.family_member_id is not None
            and contribution.author_kind is AuthorKind.FAMILY_MEMBER
            and contribution.family_member_id == self.reader.family_member_id
        )

    def may_see_contribution(self, contribution: Contribution) -> bool:
        """Its words, media, thumbnail and transcript, all or nothing."""
        if contribution.child_id != self.child_id:
            return False
        if self.reader.kind is ReaderKind.INTERPRETER:
            return contribution.id in self._interpreter_ids
        if not self.with_grant and self.scope.contribution_is_confidential(contribution.id):
            return False
        if self.reader.kind is ReaderKind.CHILD:
            return contribution.author_kind is AuthorKind.CHILD
        if self.reader.kind is ReaderKind.SUBJECT_ACCESS and self.reader.requester_is_child:
            return contribution.author_kind in CHILDS_OWN
        audience = self._audience_ids
        if self.reader.kind is ReaderKind.FAMILY:
            shared = contribution.sharing in FAMILY_SHARING_CHOICES and contribution.id in (
                audience or ()
            )
            return self._is_readers_own(contribution) or shared
        # A parent's copy: what consent shares, and their own words too.
        return audience is None or contribution.id in audience or self._is_readers_own(contribution)

    def contribution_placement(self, contribution_id: int) -> ConfidentialPlacement | None:
        """The placement, shown only to a reader with a grant."""
        return self.scope.contributions.get(contribution_id) if self.with_grant else None

    # Record entries, and their numbers.

    def _entry_visible(self, entry: RecordEntry, carried: dict[int, Contribution]) -> bool:
        if self.reader.kind is ReaderKind.INTERPRETER:
            return False  # an interpreter works on items, never on the record itself
        if self.scope.entry_is_confidential(entry.id):
            return self.with_grant
        if self.reader.kind is ReaderKind.STAFF:
            return True
        if entry.contribution_id is None:
            # Families and the child read entries only through a copy or a shared report.
            return self.reader.kind is ReaderKind.SUBJECT_ACCESS
        contribution = carried.get(entry.contribution_id)
        return contribution is not None and self.may_see_contribution(contribution)

    def _carried(self) -> dict[int, Contribution]:
        """The contributions the child's entries carry, in one query: a reader other than
        staff sees such an entry only if they may see its contribution."""
        if self.reader.kind in (ReaderKind.STAFF, ReaderKind.INTERPRETER):
            return {}
        carried = select(RecordEntry.contribution_id).where(RecordEntry.child_id == self.child_id)
        found = db.session.scalars(select(Contribution).where(Contribution.id.in_(carried)))
        return {contribution.id: contribution for contribution in found}

    @cached_property
    def _entries(self) -> list[RecordEntry]:
        everything = db.session.scalars(
            select(RecordEntry)
            .where(RecordEntry.child_id == self.child_id)
            .order_by(RecordEntry.sequence)
        ).all()
        carried = self._carried() if any(e.contribution_id for e in everything) else {}
        return [entry for entry in everything if self._entry_visible(entry, carried)]

    def entries(self) -> list[RecordEntry]:
        """Every entry this reader may see, in sequence; nothing audited here."""
        return list(self._entries)

    def may_see_entry(self, entry: RecordEntry) -> bool:
        return entry.child_id == self.child_id and entry.id in self.numbers

    @cached_property
    def numbers(self) -> dict[int, int]:
        """Entry id -> the number this reader knows it by: the true sequence with a grant,
        otherwise 1, 2, 3 ... over what the reader sees, so nothing hidden leaves a gap."""
        if self.with_grant:
            return {entry.id: entry.sequence for entry in self._entries}
        return {entry.id: n for n, entry in enumerate(self._entries, start=1)}

    def number(self, entry: RecordEntry) -> int:
        """The reader's number for an entry they may see."""
        return self.numbers[entry.id]

    def entry_by_number(self, number: int) -> RecordEntry | None:
        """The entry a URL or form names by the reader's number; None for anything else,
        a confidential entry included, exactly as for a number that does not exist."""
        for entry in self._entries:
            if self.numbers[entry.id] == number:
                return entry
        return None

    def entry_placement(self, entry: RecordEntry) -> ConfidentialPlacement | None:
        """The placement keeping the entry in the section, shown only with a grant."""
        return self.scope.entries.get(entry.id) if self.with_grant else None

    def entry_for_contribution(self, contribution_id: int) -> RecordEntry | None:
        """The visible entry that carries a contribution into the record, if any."""
        return next((e for e in self._entries if e.contribution_id == contribution_id), None)

    def interpreter_may_see(self, what: str, item_id: int) -> bool:
        """An interpreter: the report or plan (``what``) a request names, while assigned."""
        user, scope = self.reader.user, self.reader.interpreting
        if self.reader.kind is not ReaderKind.INTERPRETER or user is None or scope is None:
            return False
        named = scope.report_ids if what == "report" else scope.plan_ids
        return item_id in named and interpreter_assigned(user, self.child_id)

    # The audit of confidential reads.

    def record_confidential_read(self, where: str, shown: int, **details: Any) -> None:
        """Audit a read of confidential content, wherever it was shown; nothing when none was."""
        if shown:
            audit.record(
                AuditAction.CONFIDENTIAL_VIEWED,
                child_id=self.child_id,
                details={"where": where, "shown": shown, **details},
            )


@functools.cache
def _family_condition(for_one_member: bool) -> ColumnElement[bool]:
    """``Disclosure.contribution_filter`` for a family reader, on bind parameters
    (``child_id``, ``family_member_id``, ``hidden``): the same rule, term for term."""
    shared = Contribution.sharing.in_(FAMILY_SHARING_CHOICES) & Contribution.id.in_(
        shared_with_statement(Audience.FAMILY, for_one_member)
    )
    own: ColumnElement[bool] = (
        (Contribution.author_kind == AuthorKind.FAMILY_MEMBER)
        & (Contribution.family_member_id == bindparam("family_member_id"))
        if for_one_member
        else false()
    )
    return (
        (Contribution.child_id == bindparam("child_id"))
        & Contribution.id.not_in(bindparam("hidden", expanding=True))
        & (own | shared)
    )


def disclosure_for(reader: Reader | User, child_id: int) -> Disclosure:
    """The one way to ask what a reader may see of a child. A ``User`` is a staff reader."""
    if isinstance(reader, User):
        reader = Reader.staff(reader)
    return Disclosure(reader, child_id)


def hidden_contribution_ids(user: User, child_ids: Any) -> frozenset[int]:
    """Contributions of these children (a select of ids) that ``user`` may not see: for
    lists that run across cases, such as overdue replies.

    Only children with something in their confidential section are looked at, and each
    through its own scope, so a list across cases follows exactly the rule a single case
    page follows (corrections, carried contributions and all).
    """
    placed = db.session.scalars(
        select(ConfidentialPlacement.child_id)
        .where(ConfidentialPlacement.child_id.in_(child_ids))
        .distinct()
    ).all()
    hidden: set[int] = set()
    for child_id in placed:
        if not may_read_confidential(user, child_id):
            hidden |= confidential_scope(child_id).contribution_ids
    return frozenset(hidden)
