#!/usr/bin/env bash
# voice_app as it runs at scale, on one machine for trying: two app hosts behind nginx,
# two workers, PostgreSQL, Redis for the queue and the rate-limit counters, and media in
# an S3 bucket (`rclone serve s3` over instance/scaled/s3). `make run-scaled` runs it.
#
# PostgreSQL and Redis are the machine's own servers (VOICE_APP_DATABASE_URL and
# SCALED_REDIS override them). Nothing the app keeps is on one host's disk: the hosts share
# only the database, Redis and the bucket. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-5000}
APP_PORT_A=${APP_PORT_A:-5001}
APP_PORT_B=${APP_PORT_B:-5002}
S3_PORT=${S3_PORT:-5009}
REDIS=${SCALED_REDIS:-redis://127.0.0.1:6379}
HERE=$(pwd)
STATE=$HERE/instance/scaled
BIN=$HERE/.venv/bin
mkdir -p "$STATE/s3/voice-media" "$STATE/nginx"

if [ -z "${VOICE_APP_DATABASE_URL:-}" ]; then
    createdb -h 127.0.0.1 -U postgres voice_scaled 2>/dev/null || true
    export VOICE_APP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/voice_scaled
fi
[ -f "$STATE/s3_secret" ] || (umask 077; "$BIN/python" -c 'import secrets; print(secrets.token_hex(16))' > "$STATE/s3_secret")
export AWS_ACCESS_KEY_ID=voice-scaled AWS_SECRET_ACCESS_KEY=$(cat "$STATE/s3_secret") AWS_REGION=us-east-1
export VOICE_APP_ENV=production VOICE_APP_DEMO=1
export VOICE_APP_SECRET_KEY=$(cat instance/secret_key)
export VOICE_APP_MEDIA_KEY=$(paste -sd, instance/media_keys)
export VOICE_APP_QUEUE_URL=$REDIS/0 VOICE_APP_RATELIMIT_STORAGE_URL=$REDIS/1
export VOICE_APP_MEDIA_URL=s3://voice-media/media VOICE_APP_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
export VOICE_APP_WHISPER_MODEL=$HERE/instance/models/whisper-base

pids=()
stop() {
    [ -f "$STATE/nginx/nginx.pid" ] && kill "$(cat "$STATE/nginx/nginx.pid")" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

"$BIN/rclone" serve s3 "$STATE/s3" --addr "127.0.0.1:$S3_PORT" \
    --auth-key "$AWS_ACCESS_KEY_ID,$AWS_SECRET_ACCESS_KEY" --config /dev/null \
    > "$STATE/s3.log" 2>&1 &
pids+=($!)

FLASK="$BIN/flask --app voice_app"
$FLASK db upgrade
$FLASK demo

for worker in 1 2; do
    "$BIN/huey_consumer" voice_app.worker.huey --workers 2 --worker-type thread \
        --delay 0.1 --max-delay 1 --logfile "$STATE/worker-$worker.log" &
    pids+=($!)
done
for host in a b; do
    port=$APP_PORT_A; [ "$host" = b ] && port=$APP_PORT_B
    "$BIN/gunicorn" \
        --config python:voice_app.core.gunicorn_conf --bind "127.0.0.1:$port" \
        --access-logfile "$STATE/host-$host.log" 'voice_app:create_app()' &
    pids+=($!)
done

sed -e "s|@PREFIX@|$STATE/nginx|g" -e "s|@PORT@|$PORT|g" \
    -e "s|@APP_PORT_A@|$APP_PORT_A|g" -e "s|@APP_PORT_B@|$APP_PORT_B|g" \
    deploy/nginx.conf.template > "$STATE/nginx/nginx.conf"
"$(command -v nginx || echo /usr/sbin/nginx)" -c "$STATE/nginx/nginx.conf" -p "$STATE/nginx" -e "$STATE/nginx/nginx-error.log"

echo "voice_app, two hosts behind nginx, on http://127.0.0.1:$PORT (hosts :$APP_PORT_A and :$APP_PORT_B; Ctrl-C stops all)"
wait -n "${pids[@]}"
