#!/usr/bin/env bash
# Load test of the packaged app with Debian's wrk (docs/load-test.md).
#
#   ./mvnw -B -q package -DskipTests && load/run.sh [class|stress|all]
#
# Starts the app on 127.0.0.1:$PORT with a fixed heap, waits until it is ready, takes 100 client
# tokens (one per simulated student), runs the profiles, prints RESULT lines (per kind of request)
# and STATUS lines per run, and stops the app. Raw wrk output goes to target/load/.
# Environment: PORT (8080), STUDENTS (100), MODEL_STUDENTS (10), CLASS_SECONDS (60),
# STRESS_SECONDS (20), STRESS_CONNECTIONS ("4 16 64 128 256"), WRK_CPUS / APP_CPUS (taskset lists).
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=${1:-all}
PORT=${PORT:-8080}
BASE=http://127.0.0.1:$PORT
STUDENTS=${STUDENTS:-100}
MODEL_STUDENTS=${MODEL_STUDENTS:-10}
CLASS_SECONDS=${CLASS_SECONDS:-60}
STRESS_SECONDS=${STRESS_SECONDS:-20}
STRESS_CONNECTIONS=${STRESS_CONNECTIONS:-"4 16 64 128 256"}
OUT=target/load
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f target/quarkus-app/quarkus-run.jar ] \
    || { echo "package first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }

APP_PID=
start_app() { # extra environment as arguments, e.g. MHA_RATE_LIMIT_ENABLED=false
    local pin=()
    [ -n "${APP_CPUS:-}" ] && pin=(taskset -c "$APP_CPUS")
    env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" "$@" \
        "${pin[@]}" java -Xms1g -Xmx1g -jar target/quarkus-app/quarkus-run.jar >"$OUT/app.log" 2>&1 &
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

wrk_run() { # name threads connections seconds profile model-students
    # WRK_CPUS (e.g. 1) pins wrk to those cores with taskset; APP_CPUS pins the app likewise.
    local pin=()
    [ -n "${WRK_CPUS:-}" ] && pin=(taskset -c "$WRK_CPUS")
    /usr/bin/time -f "wrk_cpu user=%Us sys=%Ss elapsed=%es" -o "$OUT/$1.time" \
        "${pin[@]}" wrk -t"$2" -c"$3" -d"$4"s --timeout 10s -s load/attention.lua "$BASE" \
        -- "$5" "$6" "$OUT/tokens.txt" >"$OUT/$1.txt" 2>&1
    grep -E '^(RESULT|STATUS)' "$OUT/$1.txt" | sed "s/^/$1 /"
    sed "s/^/$1 /" "$OUT/$1.time"
}

echo "# $(date -u +%FT%TZ) load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$PROFILE" = class ] || [ "$PROFILE" = all ]; then
    start_app
    take_tokens
    model_students=$MODEL_STUDENTS
    if ! has_model; then
        echo "# /api/v1/model/attention does not exist here: tutorial experiments only"
        model_students=0
    fi
    # One wrk thread per student: each is one connection with its own token, like a browser.
    wrk_run class "$STUDENTS" "$STUDENTS" "$CLASS_SECONDS" class "$model_students"
    stop_app
fi

if [ "$PROFILE" = stress ] || [ "$PROFILE" = all ]; then
    # The server's own capacity: the rate limit off, so only the compute gate refuses.
    start_app MHA_RATE_LIMIT_ENABLED=false
    take_tokens
    for c in $STRESS_CONNECTIONS; do
        wrk_run "stress-c$c" 2 "$c" "$STRESS_SECONDS" stress 0
    done
    stop_app
    # The same with the default rate limit: what 100 students hammering Run get.
    start_app
    take_tokens
    # One thread per client again, so that each keeps its own token.
    wrk_run stress-limited "$STUDENTS" "$STUDENTS" "$STRESS_SECONDS" stress-own-token 0
    stop_app
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
