#!/usr/bin/env bash
# Load test of the packaged app with Debian's wrk (docs/load-test.md).
#
#   ./mvnw -B -q package -DskipTests && load/run.sh [class|stress|all]
#
# Starts the app on 127.0.0.1:$PORT with a fixed heap, waits until it is ready, takes 100 client
# tokens (one per simulated student), runs the profiles, prints one RESULT line per run, and stops
# the app. Raw wrk output goes to target/load/.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=${1:-all}
PORT=${PORT:-8080}
BASE=http://127.0.0.1:$PORT
STUDENTS=${STUDENTS:-100}
CLASS_SECONDS=${CLASS_SECONDS:-60}
STRESS_SECONDS=${STRESS_SECONDS:-20}
STRESS_CONNECTIONS=${STRESS_CONNECTIONS:-"4 16 64 256"}
OUT=target/load
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f target/quarkus-app/quarkus-run.jar ] \
    || { echo "package first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }

APP_PID=
start_app() { # extra environment as arguments, e.g. MHA_RATE_LIMIT_ENABLED=false
    env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" "$@" \
        java -Xms1g -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$OUT/app.log" 2>&1 &
    APP_PID=$!
    for _ in $(seq 1 180); do
        if curl -fsS -o /dev/null "$BASE/q/health/ready" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    echo "the app did not become ready; see $OUT/app.log" >&2
    exit 1
}
stop_app() {
    if [ -n "$APP_PID" ]; then
        kill "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
        APP_PID=
    fi
}
trap stop_app EXIT

take_tokens() {
    : >"$OUT/tokens.txt"
    for _ in $(seq 1 "$STUDENTS"); do
        curl -fsS -o /dev/null -c - "$BASE/q/health/live" | awk '$6 == "mha_client" {print $7}' \
            >>"$OUT/tokens.txt"
    done
}

has_model() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"text": "probe"}' "$BASE/api/v1/model/attention")
    [ "$code" != 404 ] && [ "$code" != 405 ]
}

wrk_run() { # name threads connections seconds profile kind
    wrk -t"$2" -c"$3" -d"$4"s --timeout 10s -s load/attention.lua "$BASE" \
        -- "$5" "$6" "$OUT/tokens.txt" >"$OUT/$1.txt" 2>&1
    grep -E '^(RESULT|STATUS)' "$OUT/$1.txt" | sed "s/^/$1 /"
}

echo "# $(date -u +%FT%TZ) load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$PROFILE" = class ] || [ "$PROFILE" = all ]; then
    start_app
    take_tokens
    if has_model; then
        # 90 students on tutorial experiments, 10 on the model, at the same time.
        wrk_run class-model 1 10 "$CLASS_SECONDS" class model &
        model_pid=$!
        wrk_run class-tutorial 1 90 "$CLASS_SECONDS" class tutorial
        wait "$model_pid"  # not a bare wait: the app is a child too
    else
        echo "# /api/v1/model/attention does not exist here: tutorial experiments only"
        wrk_run class-tutorial 1 "$STUDENTS" "$CLASS_SECONDS" class tutorial
    fi
    stop_app
fi

if [ "$PROFILE" = stress ] || [ "$PROFILE" = all ]; then
    # The server's own capacity: the rate limit off, so only the compute gate refuses.
    start_app MHA_RATE_LIMIT_ENABLED=false
    take_tokens
    for c in $STRESS_CONNECTIONS; do
        wrk_run "stress-c$c" 2 "$c" "$STRESS_SECONDS" stress tutorial
    done
    stop_app
    # The same with the default rate limit: what 100 students hammering Run get.
    start_app
    take_tokens
    wrk_run stress-limited 2 "$STUDENTS" "$STRESS_SECONDS" stress tutorial
    stop_app
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
