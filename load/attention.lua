-- wrk script for MHA Notebook: POSTs experiments like a reader pressing Run.
--
--   wrk -t1 -c100 -d60s --timeout 10s -s load/attention.lua http://127.0.0.1:8080 \
--       -- <profile> <kind> <tokens-file>
--
-- profile: "class"  each connection is a student who presses Run about every 2 s (1.5-2.5 s);
--          "stress" no think time.
-- kind:    "tutorial" tutorial-size experiments (a short sentence, d_model 8-64, 1-4 heads);
--          "model"    model attention on a 12-token sentence (POST /api/v1/model/attention).
-- tokens-file: one mha_client cookie value a line; connections take turns with them, so each
--          token stands for one student behind the shared classroom address.
-- done() prints one line: "RESULT kind=... requests=... p50_ms=... p95_ms=... p99_ms=..."
-- followed by one "STATUS kind=... <code> <count>" line per HTTP status.

-- Globals, not locals: done() runs in another Lua state and reads each thread's copy with
-- thread:get(name).
profile, kind = "class", "tutorial"
statuses = {}
local tokens = {}
local counter = 0
local threads = {}

local sentences = {
  "The cat sat on the mat",
  "Attention is all you need",
  "The animal did not cross the street because it was too tired",
  "A quick brown fox jumps over the lazy dog",
  "Every head looks at the sentence differently",
  "Queries ask and keys answer",
}
local model_sentence = "The quick brown fox jumps over the lazy dog near the river bank"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  profile = args[1] or profile
  kind = args[2] or kind
  if args[3] then
    for line in io.lines(args[3]) do
      if #line > 0 then table.insert(tokens, line) end
    end
  end
  math.randomseed(os.time() + (wrk.thread and 7 or 0))
end

function delay()
  if profile == "class" then
    return 1500 + math.random(0, 1000)
  end
  return 0
end

local function tutorial_body()
  local dims = {8, 16, 32, 64}
  local heads = {1, 2, 4}
  local causal = {"none", "top-left"}
  return string.format(
    '{"text": "%s", "modelDim": %d, "heads": %d, "causal": "%s", "seed": %d}',
    sentences[math.random(#sentences)], dims[math.random(#dims)],
    heads[math.random(#heads)], causal[math.random(#causal)], math.random(1, 1000))
end

function request()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json"}
  if #tokens > 0 then
    headers["Cookie"] = "mha_client=" .. tokens[(counter % #tokens) + 1]
  end
  if kind == "model" then
    return wrk.format("POST", "/api/v1/model/attention", headers,
      string.format('{"text": "%s"}', model_sentence))
  end
  return wrk.format("POST", "/api/v1/attention", headers, tutorial_body())
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  if #threads > 0 then
    profile, kind = threads[1]:get("profile"), threads[1]:get("kind")
  end
  for _, t in ipairs(threads) do
    local s = t:get("statuses") or {}
    for code, n in pairs(s) do
      total[code] = (total[code] or 0) + n
    end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT kind=%s profile=%s requests=%d seconds=%.1f rate=%.1f/s p50_ms=%.1f p95_ms=%.1f "
      .. "p99_ms=%.1f max_ms=%.1f socket_errors=%d timeouts=%d\n",
    kind, profile, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout))
  local codes = {}
  for code, _ in pairs(total) do table.insert(codes, code) end
  table.sort(codes)
  for _, code in ipairs(codes) do
    io.write(string.format("STATUS kind=%s %d %d\n", kind, code, total[code]))
  end
end
