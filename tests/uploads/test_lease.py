"""A transcription whose worker died is run again once its lease expires, not ten minutes on."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest

from tests.factories import ChildFactory
from voice_app.contributions import services as contributions
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.core.db import utcnow
from voice_app.extensions import db
from voice_app.transcription import tasks


def _running_transcript(started_ago: float) -> Transcript:
    child = ChildFactory()
    contribution = Contribution(
        child_id=child.id,
        client_id=str(uuid.uuid4()),
        kind=ContributionKind.VOICE,
        author_kind=AuthorKind.CHILD,
        language="en",
        sharing=SharingChoice.MY_WORKER,
        media_id=uuid.uuid4().hex,
        media_content_type="audio/wav",
    )
    db.session.add(contribution)
    db.session.flush()
    transcript = Transcript(contribution_id=contribution.id, status=TranscriptStatus.QUEUED)
    db.session.add(transcript)
    db.session.flush()
    claim = contributions.claim_transcription(transcript.id)
    assert claim is not None
    transcript.started_at = utcnow() - timedelta(seconds=started_ago)
    db.session.commit()
    return transcript


@pytest.fixture
def requeued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    sent: list[int] = []
    monkeypatch.setattr(tasks, "transcribe_recording", sent.append)
    return sent


def test_a_job_whose_lease_expired_is_queued_again_by_the_next_sweep(app, requeued):
    lease = app.config["TRANSCRIPTION_LEASE_SECONDS"]
    # The worker was killed a little over one lease ago: it stopped renewing.
    transcript = _running_transcript(started_ago=lease + 5)
    transcript.lease_expires_at = utcnow() - timedelta(seconds=5)
    db.session.commit()
    tasks.requeue_stalled_transcriptions()
    assert requeued == [transcript.id]
    # The job taken up again gets a second attempt under a fresh lease.
    claim = contributions.claim_transcription(transcript.id)
    assert claim is not None and claim.attempt == 2
    assert transcript.lease_expires_at > utcnow() + timedelta(seconds=lease - 5)


def test_a_job_that_renews_its_lease_is_left_to_run(app, requeued):
    transcript = _running_transcript(started_ago=3000)
    claim = contributions.claim_transcription(transcript.id)
    assert claim is None  # another worker holds it
    tasks.requeue_stalled_transcriptions()
    assert requeued == []


def test_the_heartbeat_renews_the_lease_while_the_job_runs(app):
    transcript = _running_transcript(started_ago=0)
    db.session.expire_all()
    claim = contributions.TranscriptionClaim(transcript.id, "", "", None, attempt=1)
    first = db.session.get(Transcript, transcript.id).lease_expires_at
    db.session.commit()
    lease = app.config["TRANSCRIPTION_LEASE_SECONDS"]
    app.config["TRANSCRIPTION_LEASE_SECONDS"] = 0.6
    try:
        with tasks.lease_kept(claim):
            time.sleep(0.8)  # about four beats of 0.2 s
    finally:
        app.config["TRANSCRIPTION_LEASE_SECONDS"] = lease
    db.session.expire_all()
    renewed = db.session.get(Transcript, transcript.id).lease_expires_at
    # Renewed with the short lease: it now ends sooner than the first 30 s one, and later
    # than the start of this test.
    assert renewed < first
    assert renewed > utcnow() - timedelta(seconds=1)
