"""Configuration: safe defaults, secrets and URLs from ``VOICE_APP_*`` environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = ROOT / "instance"
#: Where the secret key lives, inside the instance folder, when ``VOICE_APP_SECRET_KEY``
#: is not set (``make run`` writes it once).
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


class ConfigError(RuntimeError):
    """Raised when the app is asked to start with a configuration that would be unsafe."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"VOICE_APP_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the config mapping from defaults, then the environment, then ``overrides``."""
    env = _env("ENV", "production")
    database_url = _env("DATABASE_URL") or f"sqlite:///{instance_path / 'voice_app.sqlite3'}"
    queue_url = _env("QUEUE_URL") or f"sqlite:///{instance_path / 'queue.sqlite3'}"
    config: dict[str, Any] = {
        "ENV_NAME": env,
        "SECRET_KEY": _env("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # SQL parameters carry names and words: never into a log or an error message.
        # Twenty connections a web worker at most (four workers stay under PostgreSQL's
        # hundred), and a request that cannot get one within 10 s is answered "busy, try
        # again" (core.errors) rather than left hanging: the tablet's outbox sends it again.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "hide_parameters": True,
            "pool_size": 10,
            "max_overflow": 10,
            "pool_timeout": 10,
        },
        "QUEUE_URL": queue_url,
        #: Recordings, drawings and exports, encrypted (``core.storage``).
        "MEDIA_ROOT": _env("MEDIA_DIR") or str(instance_path / "media"),
        #: ``s3://bucket/prefix``: media in an S3-compatible bucket shared by every host,
        #: instead of ``MEDIA_ROOT`` (credentials from the standard ``AWS_*`` variables).
        "MEDIA_URL": _env("MEDIA_URL") or "",
        #: The S3 endpoint for a bucket not on AWS (MinIO, Ceph, ``rclone serve s3``).
        "S3_ENDPOINT": _env("S3_ENDPOINT") or "",
        #: Media keys, oldest first (hex); the newest seals new files (``core.media_keys``).
        "MEDIA_KEYS": _media_keys(instance_path),
        "WHISPER_MODEL_DIR": _env("WHISPER_MODEL")
        or str(instance_path / "models" / "whisper-base"),
        #: A running transcription renews its lease every third of this; a lease this old
        #: means its worker died, and the stall sweep (every minute) runs it again.
        "TRANSCRIPTION_LEASE_SECONDS": int(_env("TRANSCRIPTION_LEASE_SECONDS", "30") or 30),
        #: How many audit chains appends spread over (``audit.services``): writers in
        #: different lanes never wait for each other. 1 is the single chain of old.
        "AUDIT_LANES": int(_env("AUDIT_LANES", "64") or 64),
        #: Threads the model uses; 0 means one per core this process may use.
        "WHISPER_CPU_THREADS": int(_env("WHISPER_CPU_THREADS", "0") or 0),
        # Shared tablets: a session ends after this long without a request.
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(_env("SESSION_IDLE_MINUTES", "30") or 30)
        ),
        "SESSION_COOKIE_NAME": "voice_app_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Forced on when set; otherwise cookies are Secure whenever the request came over https.
        "SESSION_COOKIE_SECURE": _env_bool("SECURE_COOKIES", False),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        #: The largest request body: the largest recording and room for the other fields.
        #: A body declared larger is refused (413) before any of it is read.
        "MAX_CONTENT_LENGTH": 50 * 1024 * 1024 + 256 * 1024,
        #: Longest recording a child may send; longer ones are refused with a message.
        "MAX_AUDIO_SECONDS": int(_env("MAX_AUDIO_SECONDS", "600") or 600),
        "MAX_AUDIO_BYTES": 50 * 1024 * 1024,
        "MAX_IMAGE_BYTES": 10 * 1024 * 1024,
        #: Resumable uploads: chunks still arriving are kept (sealed) here, at most this big.
        "UPLOAD_ROOT": str(instance_path / "uploads"),
        #: Prompt audio spoken by espeak-ng, one file per language and text (``read_aloud``).
        "READ_ALOUD_CACHE": _env("READ_ALOUD_DIR") or str(instance_path / "read_aloud"),
        #: The longest recorded prompt an interpreter may publish.
        "MAX_PROMPT_RECORDING_SECONDS": 60,
        "MAX_PROMPT_RECORDING_BYTES": 2 * 1024 * 1024,
        "UPLOAD_CHUNK_BYTES": 64 * 1024,
        #: An upload nobody has added a chunk to for this long is removed by the sweep.
        "UPLOAD_ABANDONED_AFTER": timedelta(hours=24),
        #: A media file no row owns is removed once it is this old (an upload in progress
        #: writes its files moments before the row that owns them is committed).
        "MEDIA_SWEEP_GRACE": timedelta(hours=1),
        "INVITATION_DAYS": 14,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        #: Shared by every worker on this machine (``core.rate_store``); redis:// for several.
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URL")
        or f"sqlitefile://{instance_path / 'ratelimit.sqlite3'}",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "20 per minute"),
        #: Failed logins for one email address within LOGIN_LOCKOUT_WINDOW before it is locked.
        "LOGIN_MAX_FAILURES": int(_env("LOGIN_MAX_FAILURES", "5") or 5),
        "LOGIN_LOCKOUT_WINDOW": timedelta(minutes=15),
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "CASE_LIST_PAGE_SIZE": 25,
        #: An entry recorded this long after its event is a late entry and needs a reason.
        #: A reply to the child is due this many working days after they spoke (in their
        #: nation); an "I don't feel safe" press is answered the same day.
        "REPLY_WORKING_DAYS": int(_env("REPLY_WORKING_DAYS", "5") or 5),
        #: Working days an interpreter needs to translate a report draft: a translation asked
        #: for later than this before the share-by date arrives too late.
        "TRANSLATION_WORKING_DAYS": int(_env("TRANSLATION_WORKING_DAYS", "5") or 5),
        "LATE_ENTRY_HOURS": int(_env("LATE_ENTRY_HOURS", "24") or 24),
        # Retention policy: a closed record is destroyed on the later of these two dates.
        "RETENTION_YEARS_AFTER_CLOSURE": int(_env("RETENTION_YEARS_AFTER_CLOSURE", "6") or 6),
        "RETENTION_UNTIL_AGE": int(_env("RETENTION_UNTIL_AGE", "25") or 25),
        "TRUST_PROXY": _env_bool("TRUST_PROXY", False),
        #: A demo database (``make run`` sets it): ``/healthz`` is ready only once the demo
        #: accounts are seeded.
        "DEMO": _env_bool("DEMO", False),
        #: A serving process keeps its one app until it exits: ``create_app`` then moves
        #: what it built out of the garbage collector's way (``gc.freeze``).
        "FREEZE_GC": env == "production",
    }
    config["SECRET_KEY"] = config["SECRET_KEY"] or _secret_key_file(instance_path)
    if env == "development":
        config["SECRET_KEY"] = config["SECRET_KEY"] or "development-only-not-secret"
    if overrides:
        config.update(overrides)
    if not config.get("SECRET_KEY"):
        raise ConfigError(
            f"VOICE_APP_SECRET_KEY is not set and there is no {instance_path / SECRET_KEY_FILE}. "
            "Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_hex(32))'), or run `make run` "
            "once to make the file, before starting in production mode."
        )
    return config


#: Media keys kept in the instance folder, one hex key a line, oldest first.
MEDIA_KEYS_FILE = "media_keys"


def _media_keys(instance_path: Path) -> list[str]:
    """``VOICE_APP_MEDIA_KEY`` (several: comma-separated, oldest first), else the key file."""
    given = _env("MEDIA_KEY")
    if given:
        return [key.strip() for key in given.split(",") if key.strip()]
    try:
        lines = (instance_path / MEDIA_KEYS_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _secret_key_file(instance_path: Path) -> str | None:
    """The key ``make run`` keeps in ``instance/secret_key``, so every command uses it too."""
    try:
        key = (instance_path / SECRET_KEY_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return key or None
