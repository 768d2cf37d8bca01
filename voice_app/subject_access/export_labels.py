"""What a subject-access export calls things, in the language it is written in.

Lazy strings: they are read while the export is rendered under ``force_locale``.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from voice_app.record.labels import CLASSIFICATION_LABELS as CLASSIFICATION_LABELS
from voice_app.record.models import (
    EntryKind,
    RequesterKind,
    Source,
    SubjectAccessStatus,
)


class WithheldReason(StrEnum):
    """Why an item of the record is left out of an export (the schedule's categories)."""

    CONFIDENTIAL = "confidential"
    THIRD_PARTY = "third_party"
    NO_CONSENT = "no_consent"
    #: The child's address is left out of a family member's copy.
    NOT_FOR_FAMILY = "not_for_family"


WITHHELD_LABELS = {
    WithheldReason.THIRD_PARTY: _l("third-party information without their agreement"),
    WithheldReason.NO_CONSENT: _l("no consent to share with this person"),
    WithheldReason.NOT_FOR_FAMILY: _l("not given in a family member's copy"),
}

# Kinds and sources in plainer words than the staff's pages use: a child or a parent
# reads these. Classifications are the same words for everyone.
ENTRY_KIND_LABELS = {
    EntryKind.CASE_NOTE: _l("Case note"),
    EntryKind.CONTACT: _l("Contact"),
    EntryKind.ASSESSMENT: _l("Assessment"),
    EntryKind.DECISION: _l("Decision"),
    EntryKind.CONTRIBUTION: _l("In their own words"),
}

SOURCE_LABELS = {
    Source.FIRST_HAND: _l("Seen or heard by the author"),
    Source.THIRD_PARTY: _l("Told to the author by someone else"),
}

REQUESTER_LABELS = {
    RequesterKind.CHILD: _l("The child"),
    RequesterKind.PARENT: _l("A parent"),
}

STATUS_LABELS = {
    SubjectAccessStatus.REQUESTED: _l("Waiting for a manager to authorise it"),
    SubjectAccessStatus.AUTHORISED: _l("Authorised: being prepared"),
    SubjectAccessStatus.PRODUCED: _l("Ready to download"),
    SubjectAccessStatus.FAILED: _l("Could not be prepared"),
}
