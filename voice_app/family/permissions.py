"""The family's own permission set, apart from the staff roles in core.permissions.

A family member holds exactly these, and only for the one child on whose record they are;
what they may read inside that is answered by ``family.services.shared_contribution_ids``.
"""

from __future__ import annotations

from enum import StrEnum


class FamilyPermission(StrEnum):
    #: The family's own page: what is shared with them and what they gave.
    SPACE_READ = "family_space:read"
    #: Recordings and pictures among what they may read.
    MEDIA_READ = "family_media:read"
    #: Their own views: typed, spoken or drawn.
    CONTRIBUTE = "family_contribution:create"
    #: Their own language.
    SETTINGS = "family_settings:change"
    #: The newest version of the child's plan agreed with the family.
    PLAN_READ = "family_plan:read"
    #: Reports shared with them: each section they may see, and every answer to them.
    REPORT_READ = "family_report:read"
    #: Their view of each section, the family's own section, their view of the final report.
    REPORT_ANSWER = "family_report:answer"


#: Every family account holds the same set; no family account ever holds a staff permission.
FAMILY_PERMISSIONS: frozenset[FamilyPermission] = frozenset(FamilyPermission)


def family_has(permission: FamilyPermission | str) -> bool:
    """Whether a family account carries ``permission``; an unknown name raises ValueError."""
    return FamilyPermission(permission) in FAMILY_PERMISSIONS
