"""Audit entries, each carrying the hash of the one before it in its lane, and the signed
checkpoints that tie the lanes together (``audit.services`` says why there are lanes)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from voice_app.core.db import Base, UTCDateTime, str_enum

GENESIS_HASH = "0" * 64


def lane_genesis(lane: int) -> str:
    """The ``prev_hash`` of a lane's first entry. Lane 0 continues the single chain kept
    before there were lanes; every other lane starts from its own value, so no two lanes
    can be spliced together unnoticed (and ``prev_hash`` stays unique)."""
    if lane == 0:
        return GENESIS_HASH
    return hashlib.sha256(f"voice_app audit lane {lane}".encode()).hexdigest()


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    LOGOUT_EVERYWHERE = "logout_everywhere"
    CASE_LIST_VIEWED = "case_list_viewed"
    CHILD_VIEWED = "child_viewed"
    CHILD_CREATED = "child_created"
    CHILD_UPDATED = "child_updated"
    BAND_OVERRIDDEN = "band_overridden"
    FAMILY_MEMBER_ADDED = "family_member_added"
    ASSIGNMENT_ADDED = "assignment_added"
    ASSIGNMENT_ENDED = "assignment_ended"
    AUDIT_VIEWED = "audit_viewed"
    USER_CREATED = "user_created"
    USER_UPDATED = "user_updated"
    TEAM_CREATED = "team_created"
    SETTINGS_CHANGED = "settings_changed"
    INVITATION_CREATED = "invitation_created"
    INVITATION_OPENED = "invitation_opened"
    INVITATION_REVOKED = "invitation_revoked"
    HANDOVER_STARTED = "handover_started"
    HANDOVER_ENDED = "handover_ended"
    CONTRIBUTION_ADDED = "contribution_added"
    CONTRIBUTIONS_VIEWED = "contributions_viewed"
    MEDIA_VIEWED = "media_viewed"
    TRANSCRIPT_CONFIRMED = "transcript_confirmed"
    UNSAFE_FLAG_RAISED = "unsafe_flag_raised"
    UNSAFE_FLAG_RESPONDED = "unsafe_flag_responded"
    #: The child said they pressed "I don't feel safe" by mistake (the alert stays).
    UNSAFE_FLAG_MISTAKE = "unsafe_flag_mistake"
    PICTURE_PIN_SET = "picture_pin_set"
    RECORD_VIEWED = "record_viewed"
    RECORD_ENTRY_ADDED = "record_entry_added"
    CONTRIBUTION_ATTACHED = "contribution_attached"
    CONSENT_RECORDED = "consent_recorded"
    CONFIDENTIAL_PLACED = "confidential_placed"
    CONFIDENTIAL_VIEWED = "confidential_viewed"
    CONFIDENTIAL_ACCESS_GRANTED = "confidential_access_granted"
    CONFIDENTIAL_ACCESS_REVOKED = "confidential_access_revoked"
    SUBJECT_ACCESS_REQUESTED = "subject_access_requested"
    SUBJECT_ACCESS_AUTHORISED = "subject_access_authorised"
    SUBJECT_ACCESS_PRODUCED = "subject_access_produced"
    SUBJECT_ACCESS_DOWNLOADED = "subject_access_downloaded"
    CASE_CLOSED = "case_closed"
    REPLY_WRITTEN = "reply_written"
    REPLIES_VIEWED = "replies_viewed"
    REPLIES_SHOWN_TO_CHILD = "replies_shown_to_child"
    OVERDUE_REPLIES_VIEWED = "overdue_replies_viewed"
    TEAM_OVERVIEW_VIEWED = "team_overview_viewed"
    RECORD_PURGED = "record_purged"
    PLAN_CREATED = "plan_created"
    PLAN_VIEWED = "plan_viewed"
    PLAN_CHANGED = "plan_changed"
    PLAN_WORDS_PLACED = "plan_words_placed"
    PLAN_VERSION_AGREED = "plan_version_agreed"
    PLAN_VERSION_SIGNED_OFF = "plan_version_signed_off"
    PLAN_REVIEW_RECORDED = "plan_review_recorded"
    PLAN_PDF_MADE = "plan_pdf_made"
    OVERDUE_REVIEWS_VIEWED = "overdue_reviews_viewed"
    CHILD_PLAN_VIEWED = "child_plan_viewed"
    #: The child read their "Words and Pictures" copy of a report (page or PDF).
    CHILD_REPORT_VIEWED = "child_report_viewed"
    #: Report drafts due or overdue to share, listed on a practitioner's case list.
    REPORT_SHARES_DUE_VIEWED = "report_shares_due_viewed"
    FAMILY_ACCOUNT_INVITED = "family_account_invited"
    FAMILY_INVITATION_OPENED = "family_invitation_opened"
    FAMILY_PASSPHRASE_SET = "family_passphrase_set"  # noqa: S105 - an action name
    FAMILY_LOGIN = "family_login"
    FAMILY_LOGIN_FAILED = "family_login_failed"
    FAMILY_LOGOUT = "family_logout"
    FAMILY_ASSISTED_STARTED = "family_assisted_started"
    FAMILY_ASSISTED_ENDED = "family_assisted_ended"
    FAMILY_SPACE_VIEWED = "family_space_viewed"
    FAMILY_MEDIA_VIEWED = "family_media_viewed"
    FAMILY_PLAN_VIEWED = "family_plan_viewed"
    FAMILY_SETTINGS_CHANGED = "family_settings_changed"
    FAMILY_ACCOUNTS_VIEWED = "family_accounts_viewed"
    FAMILY_ACCESS_ENDED = "family_access_ended"
    REPORT_CREATED = "report_created"
    REPORT_VIEWED = "report_viewed"
    REPORT_CHANGED = "report_changed"
    REPORT_SHARED = "report_shared"
    REPORT_COMMENT_ANSWERED = "report_comment_answered"
    REPORT_SIGNED_OFF = "report_signed_off"
    REPORT_PDF_MADE = "report_pdf_made"
    FAMILY_REPORT_VIEWED = "family_report_viewed"
    FAMILY_REPORT_COMMENTED = "family_report_commented"
    FAMILY_REPORT_FINAL_VIEW = "family_report_final_view"
    REPORT_COMPARED = "report_compared"
    FAMILY_REPORT_COMPARED = "family_report_compared"
    REPORT_ATTENDANCE_RECORDED = "report_attendance_recorded"
    REPORT_GIVEN = "report_given"
    REPORT_CHRONOLOGY_PDF_READ = "report_chronology_pdf_read"
    INTERPRETING_REQUESTED = "interpreting_requested"
    INTERPRETING_REQUESTS_VIEWED = "interpreting_requests_viewed"
    INTERPRETING_ITEM_VIEWED = "interpreting_item_viewed"
    INTERPRETING_CONFIDENTIAL_INCLUDED = "interpreting_confidential_included"
    INTERPRETING_DONE = "interpreting_done"
    TRANSLATION_ADDED = "translation_added"
    PROMPT_RECORDED = "prompt_recorded"
    PROMPT_PUBLISHED = "prompt_published"


class AuditEntry(Base):
    """One event. Rows are only ever inserted; ``flask audit verify`` proves none changed."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_lane_id", "lane", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Which chain the entry belongs to: each transaction appends to one lane, so writers
    #: in different lanes never wait for each other. Bound by the chain itself: an entry
    #: moved to another lane no longer links to the entry before it there.
    lane: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, 40))
    #: Who acted; None for the anonymous (a failed login for an unknown address).
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: The actor's name and post title at the time, kept even if the account changes.
    actor_label: Mapped[str | None] = mapped_column(String(400))
    #: The child whose record was read or changed. Deliberately not a foreign key: the
    #: trail must outlive the record it describes.
    child_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: What was acted on when it is not the child, e.g. "user:12".
    target: Mapped[str | None] = mapped_column(String(100))
    #: Canonical JSON with the particulars, e.g. which fields changed (never their content).
    details: Mapped[str] = mapped_column(Text, default="{}")
    ip_address: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def compute_hash(self) -> str:
        """SHA-256 over the previous hash and every field of this entry."""
        payload = json.dumps(
            [
                self.prev_hash,
                self.occurred_at.isoformat(),
                str(self.action),
                self.actor_id,
                self.actor_label,
                self.child_id,
                self.target,
                self.details,
                self.ip_address,
            ],
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def details_dict(self) -> dict[str, object]:
        loaded = json.loads(self.details or "{}")
        return loaded if isinstance(loaded, dict) else {}


class AuditCheckpoint(Base):
    """The head of every lane at one moment, signed, and chained to the checkpoint before.

    A checkpoint says "lane 3 had 1,204 entries up to entry 88,190, whose hash is …": an
    entry removed or reordered anywhere before it, in any lane, shows at verification. The
    signature (HMAC under a key derived from the secret key) means someone who can write to
    the database but does not hold the key cannot make a new checkpoint to hide a change.
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Canonical JSON: {"<lane>": [last entry id, its hash, entries in the lane up to it]}.
    heads: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    signature: Mapped[str] = mapped_column(String(64))

    def compute_hash(self) -> str:
        payload = json.dumps(
            [self.prev_hash, self.made_at.isoformat(), self.heads], separators=(",", ":")
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def heads_by_lane(self) -> dict[int, tuple[int, str, int]]:
        loaded = json.loads(self.heads)
        return {int(lane): (int(v[0]), str(v[1]), int(v[2])) for lane, v in loaded.items()}
