"""What each audit action is called on screen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from voice_app.audit.models import AuditAction

ACTION_LABELS = {
    AuditAction.LOGIN: _l("Signed in"),
    AuditAction.LOGIN_FAILED: _l("Failed sign-in"),
    AuditAction.LOGOUT: _l("Signed out"),
    AuditAction.LOGOUT_EVERYWHERE: _l("Signed out on every device"),
    AuditAction.CASE_LIST_VIEWED: _l("Viewed the case list"),
    AuditAction.CHILD_VIEWED: _l("Viewed a child's record"),
    AuditAction.CHILD_CREATED: _l("Created a child's record"),
    AuditAction.CHILD_UPDATED: _l("Changed a child's record"),
    AuditAction.BAND_OVERRIDDEN: _l("Changed the developmental band"),
    AuditAction.FAMILY_MEMBER_ADDED: _l("Added a family member"),
    AuditAction.ASSIGNMENT_ADDED: _l("Assigned someone to a case"),
    AuditAction.ASSIGNMENT_ENDED: _l("Ended a case assignment"),
    AuditAction.AUDIT_VIEWED: _l("Viewed the audit log"),
    AuditAction.USER_CREATED: _l("Created an account"),
    AuditAction.USER_UPDATED: _l("Changed an account"),
    AuditAction.TEAM_CREATED: _l("Created a team"),
    AuditAction.SETTINGS_CHANGED: _l("Changed their settings"),
    AuditAction.INVITATION_CREATED: _l("Made an invitation for a child"),
    AuditAction.INVITATION_OPENED: _l("A child opened an invitation"),
    AuditAction.INVITATION_REVOKED: _l("Cancelled an invitation"),
    AuditAction.HANDOVER_STARTED: _l("Handed the tablet to a child"),
    AuditAction.HANDOVER_ENDED: _l("Took the tablet back from a child"),
    AuditAction.CONTRIBUTION_ADDED: _l("A contribution was added"),
    AuditAction.CONTRIBUTIONS_VIEWED: _l("Viewed a child's contributions"),
    AuditAction.MEDIA_VIEWED: _l("Opened a recording or drawing"),
    AuditAction.TRANSCRIPT_CONFIRMED: _l("Confirmed a transcript"),
    AuditAction.UNSAFE_FLAG_RAISED: _l("A child said they do not feel safe"),
    AuditAction.UNSAFE_FLAG_RESPONDED: _l("Recorded what was done after a child felt unsafe"),
    AuditAction.UNSAFE_FLAG_MISTAKE: _l("A child said they pressed “I don't feel safe” by mistake"),
    AuditAction.PICTURE_PIN_SET: _l("A child chose a picture PIN"),
    AuditAction.RECORD_VIEWED: _l("Viewed a child's chronology"),
    AuditAction.RECORD_ENTRY_ADDED: _l("Added an entry to the record"),
    AuditAction.CONTRIBUTION_ATTACHED: _l("Attached a contribution to the record"),
    AuditAction.CONSENT_RECORDED: _l("Recorded a consent decision"),
    AuditAction.CONFIDENTIAL_PLACED: _l("Placed something in the confidential section"),
    AuditAction.CONFIDENTIAL_VIEWED: _l("Read the confidential section"),
    AuditAction.CONFIDENTIAL_ACCESS_GRANTED: _l("Gave access to the confidential section"),
    AuditAction.CONFIDENTIAL_ACCESS_REVOKED: _l("Ended access to the confidential section"),
    AuditAction.SUBJECT_ACCESS_REQUESTED: _l("Requested a subject-access export"),
    AuditAction.SUBJECT_ACCESS_AUTHORISED: _l("Authorised a subject-access export"),
    AuditAction.SUBJECT_ACCESS_PRODUCED: _l("A subject-access export was produced"),
    AuditAction.SUBJECT_ACCESS_DOWNLOADED: _l("Downloaded a subject-access export"),
    AuditAction.CASE_CLOSED: _l("Closed a case"),
    AuditAction.RECORD_PURGED: _l("A record was destroyed at the end of its retention period"),
}
