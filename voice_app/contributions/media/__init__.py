"""Checking and normalising the drawings and recordings a child sends, before anything is stored.

What arrives is judged by its content, never by its file name or claimed content type.
Anything that is not what it should be is refused with a ``MediaRejected`` whose reason
has a message in words a child or a parent can follow; nothing refused is ever stored.

Drawings are decoded and re-encoded as a fresh PNG, so nothing the sender put in the
file (EXIF, GPS position, text chunks, colour profiles, trailing data) is kept.
Recordings are kept exactly as sent (they are the child's own words), so they are
checked harder instead: the container's structure is walked to the last byte, and the
whole stream is decoded to prove it plays and to measure it.
"""

from voice_app.contributions.media.drawings import ProcessedImage, process_drawing
from voice_app.contributions.media.recordings import ProbedAudio, probe_audio
from voice_app.contributions.media.rejections import (
    REJECTION_MESSAGES,
    MediaRejected,
    RejectionReason,
)

__all__ = [
    "REJECTION_MESSAGES",
    "MediaRejected",
    "ProbedAudio",
    "ProcessedImage",
    "RejectionReason",
    "probe_audio",
    "process_drawing",
]
