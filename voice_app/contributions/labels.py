"""What contributions' kinds, authors and states are called on practitioners' pages, and the
feelings and houses a child chooses from (the child's space shows the same words)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from voice_app.contributions.models import (
    AuthorKind,
    ContributionKind,
    Feeling,
    House,
    SharingChoice,
    TranscriptStatus,
)

KIND_LABELS = {
    ContributionKind.TEXT: _l("Words"),
    ContributionKind.VOICE: _l("Voice"),
    ContributionKind.DRAWING: _l("Drawing"),
    ContributionKind.FEELING: _l("Feeling"),
    ContributionKind.HOUSE: _l("Three Houses"),
    ContributionKind.SCALE: _l("Scale"),
}

AUTHOR_LABELS = {
    AuthorKind.CHILD: _l("The child"),
    AuthorKind.FAMILY_MEMBER: _l("A family member"),
    AuthorKind.PRACTITIONER_FOR_CHILD: _l("A practitioner, writing down the child's words"),
}

#: How a family member gave their words, as attribution says it: "Claire Thompson, mother, typed".
HOW_GIVEN_LABELS = {
    ContributionKind.TEXT: _l("typed"),
    ContributionKind.VOICE: _l("spoken"),
    ContributionKind.DRAWING: _l("drawn"),
    ContributionKind.FEELING: _l("chose a face"),
    ContributionKind.HOUSE: _l("Three Houses"),
    ContributionKind.SCALE: _l("on a scale"),
}

SHARING_LABELS = {
    SharingChoice.MY_WORKER: _l("Only their worker"),
    SharingChoice.MY_FAMILY_TOO: _l("Their family too"),
    SharingChoice.MY_MEETING: _l("The people at their meeting"),
}

TRANSCRIPT_LABELS = {
    TranscriptStatus.QUEUED: _l("Waiting to be transcribed"),
    TranscriptStatus.RUNNING: _l("Being transcribed"),
    TranscriptStatus.DRAFT: _l("Machine transcript, not yet confirmed"),
    TranscriptStatus.CONFIRMED: _l("Confirmed"),
    TranscriptStatus.FAILED: _l("Could not be transcribed: listen to the recording"),
}

FEELINGS = {
    Feeling.HAPPY: _l("Happy"),
    Feeling.OK: _l("OK"),
    Feeling.SAD: _l("Sad"),
    Feeling.WORRIED: _l("Worried"),
    Feeling.ANGRY: _l("Angry"),
    Feeling.SCARED: _l("Scared"),
}

HOUSES = {
    House.WORRIES: _l("My worries"),
    House.GOOD_THINGS: _l("Good things"),
    House.DREAMS: _l("My dreams"),
}
