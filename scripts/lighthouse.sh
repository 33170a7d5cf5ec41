#!/usr/bin/env bash
# Runs Lighthouse 12 (performance, accessibility, best practices, SEO) on every page of a running
# MHA Notebook and prints one line of scores per page (the median run's, then the performance
# score of every run). Debian's chromium does the browsing.
#
#   bin/serve &                       # or any running server
#   scripts/lighthouse.sh             # BASE_URL=http://localhost:8080 MIN_SCORE=100 by default
#   PAGES="/ /glossary" scripts/lighthouse.sh   # only these pages
#   RUNS=1 scripts/lighthouse.sh                # one run per page instead of three
#
# Lighthouse is installed with npm into target/lighthouse (ignored by git), once. Each page is
# measured RUNS times (3) and scored by the median run, as Lighthouse's documentation advises for
# its run-to-run variance, picked by Lighthouse's own computeMedianRun. The JSON reports go to
# target/lighthouse/reports (PAGE.json the median run, PAGE.runN.json each run). Exits 1 if a
# page scores below MIN_SCORE in any category.
# Scores are Lighthouse's defaults: a mid-range phone, simulated slow 4G and a 4x slower CPU.
# Run it on a quiet machine: a busy CPU lengthens the tasks the scores are computed from.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_URL="${BASE_URL:-http://localhost:8080}"
MIN_SCORE="${MIN_SCORE:-100}"
RUNS="${RUNS:-3}"
TOOLS="target/lighthouse"
REPORTS="$TOOLS/reports"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

if ! curl -fsS -o /dev/null "$BASE_URL/"; then
  echo "No MHA Notebook at $BASE_URL: start it first (bin/serve), or set BASE_URL." >&2
  exit 2
fi
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" lighthouse@12 >&2
fi
mkdir -p "$REPORTS"

# Every page: the index, each chapter it links, and the pages beside the chapters.
if [ -n "${PAGES:-}" ]; then
  read -r -a pages <<<"$PAGES"
else
  pages=("/")
  while IFS= read -r path; do pages+=("$path"); done < <(curl -fsS "$BASE_URL/" \
    | grep -o 'href="/chapters/[a-z0-9-]*"' | sed 's/href="//; s/"$//' | sort -u)
  pages+=("/notation" "/glossary" "/references" "/playground" "/search?q=softmax")
fi

status=0
printf '%-45s %5s %5s %5s %5s   %s\n' page perf a11y best seo "perf of each run"
for path in "${pages[@]}"; do
  name=$(echo "$path" | sed 's#[^a-zA-Z0-9]#-#g; s#^-*##; s#-*$##')
  report="$REPORTS/${name:-index}.json"
  runs=()
  for run in $(seq 1 "$RUNS"); do
    one="$REPORTS/${name:-index}.run$run.json"
    # Now and then Chrome's trace misses the navigation's start (NO_NAVSTART): one more try.
    for attempt in 1 2; do
      if "$TOOLS/node_modules/.bin/lighthouse" "$BASE_URL$path" --quiet --output=json \
          --output-path="$one" \
          --only-categories=performance,accessibility,best-practices,seo \
          --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1 \
          && node -e 'process.exit(require(process.argv[1]).runtimeError ? 1 : 0)' "$PWD/$one"
      then
        runs+=("$PWD/$one")
        break
      fi
      rm -f "$one"
    done
  done
  if [ ${#runs[@]} -eq 0 ]; then
    echo "$path: lighthouse failed" >&2; status=1; continue
  fi
  # The run Lighthouse's own computeMedianRun picks (closest to the median First Contentful
  # Paint and Time to Interactive) is the page's report; the others stay beside it.
  line=$(node --input-type=module -e '
    import { readFileSync, writeFileSync } from "node:fs";
    const [lib, out, ...files] = process.argv.slice(1);
    const { computeMedianRun } = await import(lib);
    const all = files.map((f) => JSON.parse(readFileSync(f, "utf8")));
    const median = computeMedianRun(all);
    writeFileSync(out, JSON.stringify(median));
    const score = (r, c) => Math.round((r.categories[c].score ?? 0) * 100);
    const s = ["performance", "accessibility", "best-practices", "seo"]
      .map((c) => score(median, c));
    console.log(s.join(" "), all.map((r) => score(r, "performance")).join(","));' "$PWD/$TOOLS/node_modules/lighthouse/core/lib/median-run.js" \
    "$PWD/$report" "${runs[@]}")
  read -r perf a11y best seo each <<<"$line"
  printf '%-45s %5s %5s %5s %5s   %s\n' "$path" "$perf" "$a11y" "$best" "$seo" "$each"
  for score in $perf $a11y $best $seo; do
    if [ "$score" -lt "$MIN_SCORE" ]; then status=1; fi
  done
done
exit $status
