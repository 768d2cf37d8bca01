"""Demo: Yusuf interprets Arabic, and has a meeting with Omar's parents in his queue."""

from __future__ import annotations

from datetime import timedelta

from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.core.db import utcnow
from voice_app.interpreting.models import RequestKind
from voice_app.interpreting.services.requests import RequestDraft, add_language, create_request


def seed_interpreting(child: Child, practitioner: User, interpreter: User) -> None:
    add_language(interpreter, "ar")
    today = utcnow().date()
    create_request(
        child,
        RequestDraft(
            RequestKind.LIVE_SESSION,
            "ar",
            interpreter.id,
            today + timedelta(days=7),
            session_at=utcnow().replace(hour=10, minute=0, second=0, microsecond=0)
            + timedelta(days=7),
            session_place="Riverside Family Centre",
            note="A meeting with Omar's parents about his plan.",
        ),
        practitioner,
        today,
    )
