-- wrk script for .ci/load: every request asks for a path never asked for
-- before, so each one costs a fresh P-256 signature (the token stays
-- cached). Arguments after "--": the bearer token.

local threads = 0

-- setup numbers the threads so that no two of them send the same path.
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local headers = {}
local n = 0

function init(args)
  headers["Authorization"] = "Bearer " .. args[1]
  headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = string.format(
    '{"paths":["/private/users/alice/t%d/%d.jpg"]}', id, n)
  return wrk.format("POST", "/v1/signed-urls", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    "unique: %.0f req/s, p50 %.3f ms, p99 %.3f ms, %d requests, %d errors\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, failed))
end
