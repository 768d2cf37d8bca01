"""Why a drawing or recording is refused, in words a child or a parent can follow."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


class RejectionReason(StrEnum):
    """Why a drawing or recording was refused."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_AN_IMAGE = "not_an_image"
    #: Too many pixels: a decompression bomb, or simply a huge picture.
    IMAGE_TOO_LARGE = "image_too_large"
    CORRUPT_IMAGE = "corrupt_image"
    NOT_AUDIO = "not_audio"
    CORRUPT_AUDIO = "corrupt_audio"
    AUDIO_TOO_LONG = "audio_too_long"
    #: A real container holding no sound: a video without sound, or a picture.
    NO_AUDIO_STREAM = "no_audio_stream"
    #: A recording that decodes to no sound at all (zero length).
    EMPTY_RECORDING = "empty_recording"
    #: A real picture or recording, but of a kind we do not take (GIF, BMP, MP3, video).
    UNSUPPORTED_FORMAT = "unsupported_format"


REJECTION_MESSAGES: dict[RejectionReason, LazyString] = {
    RejectionReason.EMPTY: _l("Nothing arrived. Please try sending it again."),
    RejectionReason.TOO_LARGE: _l("That file is too big to send. Please try a smaller one."),
    RejectionReason.NOT_AN_IMAGE: _l(
        "That is not a picture we can open. Please try drawing it again."
    ),
    RejectionReason.IMAGE_TOO_LARGE: _l(
        "That picture is too big. Please try drawing it again or use a smaller picture."
    ),
    RejectionReason.CORRUPT_IMAGE: _l(
        "That picture could not be opened. Please try drawing it again."
    ),
    RejectionReason.NOT_AUDIO: _l(
        "That is not a recording we can play. Please try recording again."
    ),
    RejectionReason.CORRUPT_AUDIO: _l(
        "That recording could not be played. It may not have finished sending. "
        "Please try recording again."
    ),
    # i18n: minutes is the longest recording allowed, for example 10.
    RejectionReason.AUDIO_TOO_LONG: _l(
        "That recording is longer than %(minutes)d minutes. Please record a shorter one."
    ),
    RejectionReason.NO_AUDIO_STREAM: _l(
        "There is no sound in that file. Please try recording again."
    ),
    RejectionReason.EMPTY_RECORDING: _l("That recording is empty. Please try recording again."),
    RejectionReason.UNSUPPORTED_FORMAT: _l(
        "We cannot use that kind of file. Please draw or record it again here."
    ),
}


class MediaRejected(Exception):
    """A drawing or recording was refused; ``message()`` says why to the person who sent it."""

    def __init__(self, reason: RejectionReason, details: dict[str, Any] | None = None) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.details: dict[str, Any] = dict(details or {})

    def message(self) -> str:
        """The reason in the current locale, with ``details`` filled in."""
        text = str(REJECTION_MESSAGES[self.reason])
        return text % self.details if self.details else text
