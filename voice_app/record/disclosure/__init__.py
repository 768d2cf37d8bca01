"""Who may see what: consent, the confidential section and family visibility, in one place.

This package is the only owner of the rule. Every view, export, job and count that shows
a child's record entries, contributions (their words, media, thumbnails, transcripts) or
safety alerts asks it, and nothing else filters beside it: a second filter is how leaks
start. The areas built on the record - plans, reports, the family's space, interpreters
- must call it too:

- ``disclosure_for(reader, child_id)`` gives a ``Disclosure`` for a ``Reader`` (a staff
  ``User``, ``Reader.child()`` in their space, ``Reader.family(member_id)``, or
  ``Reader.subject_access(for_child=...)``). It answers ``entries()``,
  ``may_see_entry``, ``contribution_filter()`` (SQL), ``may_see_contribution`` (words,
  media, thumbnails and transcripts together), ``number``/``entry_by_number``/``numbers``
  (the reader's gapless numbering; the true sequence only with a grant),
  ``entry_placement``/``contribution_placement`` (only with a grant), and
  ``record_confidential_read`` (the audit entry for every confidential read).
- ``Reader.interpreter(user, InterpreterScope(...))``: an interpreter sees only the items
  their requests name, while assigned, never an entry, and a confidential contribution
  only when a manager with a live grant included it (``may_include_confidential``);
  ``interpreter_may_see('report'|'plan', id)`` answers for a requested report or plan.
- ``hidden_contribution_ids(user, child_ids)`` gives what a staff reader may not see
  across several cases at once (lists such as overdue replies).
- ``alert_groups(user, child_ids)`` gives the open "I don't feel safe" alerts, one group per
  child, without the confidential words for readers with no grant.
- ``contribution_ids_shared_with``, ``current_consent``, ``consent_history``,
  ``shared_with`` and ``Audience`` answer consent questions (a decision shared with the
  family may name one family member: then only that member, as ``Reader.family(id)``,
  sees it; two parents who live apart each see only what is shared with them; the
  child's own choice of one grown-up in their space, ``Contribution.shared_with_member_id``,
  is answered in the same place and narrows it the same way);
  ``confidential_scope`` gives the raw facts (what is in the section and everything that
  follows it).
"""

from __future__ import annotations

from voice_app.record.disclosure.alerts import AlertGroup, AlertItem, alert_groups
from voice_app.record.disclosure.interpreting import (
    InterpreterScope,
    interpreter_assigned,
    may_include_confidential,
)
from voice_app.record.disclosure.readers import (
    CHILDS_OWN,
    Disclosure,
    Reader,
    ReaderKind,
    disclosure_for,
    has_live_grant,
    hidden_contribution_ids,
    may_read_confidential,
)
from voice_app.record.disclosure.scope import ConfidentialScope, confidential_scope
from voice_app.record.disclosure.sharing import (
    Audience,
    consent_history,
    contribution_ids_shared_with,
    current_consent,
    shared_with,
)

__all__ = [
    "CHILDS_OWN",
    "AlertGroup",
    "AlertItem",
    "Audience",
    "ConfidentialScope",
    "Disclosure",
    "InterpreterScope",
    "Reader",
    "ReaderKind",
    "alert_groups",
    "confidential_scope",
    "consent_history",
    "contribution_ids_shared_with",
    "current_consent",
    "disclosure_for",
    "has_live_grant",
    "hidden_contribution_ids",
    "interpreter_assigned",
    "may_include_confidential",
    "may_read_confidential",
    "shared_with",
]
