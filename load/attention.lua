-- wrk script for MHA Notebook: readers opening chapters and pressing Run (docs/load-test.md).
--
--   class:  wrk -t100 -c100 -d60s --timeout 10s -s load/attention.lua http://127.0.0.1:8080 \
--               -- class <model-students> <tokens-file>
--   stress: wrk -t2 -c64 -d20s --timeout 10s -s load/attention.lua http://127.0.0.1:8080 \
--               -- stress 0 <tokens-file>
--
-- class:  one wrk thread per student, each with one connection and its own client token (the
--         mha_client cookie a browser would keep), so the server sees 100 browsers, as in a
--         classroom. Give -t the same value as -c. A student acts every 1.5-2.5 s (delay()):
--         mostly pressing Run, and one action in ten opens a chapter page. The first
--         <model-students> students are on the trained-model chapter: their Run asks for the
--         model's attention on a 12-token sentence (POST /api/v1/model/attention), the others
--         run tutorial-size experiments (POST /api/v1/attention: one of six sentences of 5-13
--         words, d_model 8-64, 1-4 heads, causal or not, a random seed).
--         Each request is timed in the script (CLOCK_MONOTONIC, from just before it is written
--         to its response), so done() reports percentiles per kind: tutorial, model, page.
-- stress: no think time, tutorial experiments only; connections take turns with the tokens.
--         Latency from wrk's own histogram (kind=all).
-- stress-own-token: the same with one thread, connection and token per client (-t = -c), timed
--         per request as in class: a class hammering Run against the rate limit.
--
-- done() prints one "RESULT kind=... requests=... rate=... p50_ms=... p95_ms=... p99_ms=..." line
-- per kind (kind=all: wrk's own numbers over every request) and one "STATUS kind=... <code> <n>"
-- line per kind and HTTP status.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } mha_timespec;
  int clock_gettime(int clock, mha_timespec *t);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("mha_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

-- Globals, not locals: done() runs in the main Lua state and reads each thread's copy with
-- thread:get(name). student is set by setup() before init() runs in the thread's state.
profile = "class"
student = 0
-- wrk 4.1's thread:get() crashes on nested tables, so these stay flat: latencies of one kind are
-- one string of comma-separated milliseconds (class and stress-own-token), statuses are counted
-- under "kind status" keys.
latency_tutorial, latency_model, latency_page = "", "", ""
statuses = {}
local KINDS = {"tutorial", "model", "page"}
local model_students = 0
local tokens = {}
local counter = 0
local threads = {}
local pending_kind, pending_since = nil, 0

local sentences = {
  "The cat sat on the mat",
  "Attention is all you need",
  "The animal did not cross the street because it was too tired",
  "A quick brown fox jumps over the lazy dog",
  "Every head looks at the sentence differently",
  "Queries ask and keys answer",
}
local model_sentence = "The quick brown fox jumps over the lazy dog near the river bank"
local chapters = {
  "introduction", "architecture", "scaled-dot-product-attention", "components",
  "implementation", "trained-model", "advanced", "beyond", "conclusion",
}

function setup(thread)
  table.insert(threads, thread)
  thread:set("student", #threads)
end

function init(args)
  profile = args[1] or profile
  model_students = tonumber(args[2] or "0")
  if args[3] then
    for line in io.lines(args[3]) do
      if #line > 0 then table.insert(tokens, line) end
    end
  end
  math.randomseed(os.time() * 1000 + student)
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
  local headers = {}
  if #tokens > 0 then
    -- class: this thread's student keeps one token; stress: connections take turns.
    local i = profile ~= "stress" and student or counter
    headers["Cookie"] = "mha_client=" .. tokens[((i - 1) % #tokens) + 1]
  end
  local on_model = profile == "class" and student <= model_students
  local kind
  if profile == "class" and math.random(10) == 1 then
    kind = "page"
  elseif on_model then
    kind = "model"
  else
    kind = "tutorial"
  end
  pending_kind, pending_since = kind, now_ms()
  if kind == "page" then
    local slug = on_model and "trained-model" or chapters[math.random(#chapters)]
    return wrk.format("GET", "/chapters/" .. slug, headers)
  end
  headers["Content-Type"] = "application/json"
  if kind == "model" then
    return wrk.format("POST", "/api/v1/model/attention", headers,
      string.format('{"text": "%s"}', model_sentence))
  end
  return wrk.format("POST", "/api/v1/attention", headers, tutorial_body())
end

function response(status, headers, body)
  local kind = pending_kind or "tutorial"
  if profile ~= "stress" and pending_kind then
    local name = "latency_" .. kind
    _G[name] = _G[name] .. string.format("%.3f,", now_ms() - pending_since)
  end
  pending_kind = nil
  local key = kind .. " " .. status
  statuses[key] = (statuses[key] or 0) + 1
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  local rank = math.ceil(p / 100 * #sorted)
  return sorted[math.max(1, math.min(#sorted, rank))]
end

local function sorted_keys(t)
  local keys = {}
  for k, _ in pairs(t) do table.insert(keys, k) end
  table.sort(keys)
  return keys
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  if #threads > 0 then
    profile = threads[1]:get("profile")
  end
  local all_samples, all_statuses = {}, {}
  for _, t in ipairs(threads) do
    for _, kind in ipairs(KINDS) do
      for ms in string.gmatch(t:get("latency_" .. kind) or "", "([^,]+)") do
        all_samples[kind] = all_samples[kind] or {}
        table.insert(all_samples[kind], tonumber(ms))
      end
    end
    for key, n in pairs(t:get("statuses") or {}) do
      local kind, code = string.match(key, "^(%S+) (%d+)$")
      all_statuses[kind] = all_statuses[kind] or {}
      all_statuses[kind][tonumber(code)] = (all_statuses[kind][tonumber(code)] or 0) + n
    end
  end
  io.write(string.format(
    "RESULT kind=all profile=%s requests=%d seconds=%.1f rate=%.1f/s p50_ms=%.1f p95_ms=%.1f "
      .. "p99_ms=%.1f max_ms=%.1f socket_errors=%d timeouts=%d\n",
    profile, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout))
  for _, kind in ipairs(sorted_keys(all_samples)) do
    local list = all_samples[kind]
    table.sort(list)
    local ok = 0
    for code, n in pairs(all_statuses[kind] or {}) do
      if code >= 200 and code < 300 then ok = ok + n end
    end
    io.write(string.format(
      "RESULT kind=%s profile=%s requests=%d rate=%.1f/s ok_2xx=%.2f%% p50_ms=%.1f p95_ms=%.1f "
        .. "p99_ms=%.1f max_ms=%.1f\n",
      kind, profile, #list, #list / seconds, 100 * ok / math.max(1, #list),
      percentile(list, 50), percentile(list, 95), percentile(list, 99), list[#list]))
  end
  for _, kind in ipairs(sorted_keys(all_statuses)) do
    for _, code in ipairs(sorted_keys(all_statuses[kind])) do
      io.write(string.format("STATUS kind=%s %d %d\n", kind, code, all_statuses[kind][code]))
    end
  end
end
