-- wrk script for .ci/load: the same path every request (signature cached),
-- but each request carries the next of many distinct tokens, more than
-- the verified-token cache holds, so every request pays a full ES256
-- check. Arguments after "--": the bearer token, a file of tokens (one a
-- line) and the number of wrk threads; each thread cycles through its own
-- share of the file.

local threads = 0

-- setup numbers the threads.
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local tokens = {}
local n = 0
local body = '{"paths":["/private/users/alice/a.jpg"]}'

function init(args)
  local all = {}
  for line in io.lines(args[2]) do
    all[#all + 1] = line
  end
  local share = math.floor(#all / tonumber(args[3]))
  for i = (id - 1) * share + 1, id * share do
    tokens[#tokens + 1] = all[i]
  end
end

function request()
  n = n % #tokens + 1
  local headers = {
    ["Authorization"] = "Bearer " .. tokens[n],
    ["Content-Type"] = "application/json",
  }
  return wrk.format("POST", "/v1/signed-urls", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    "tokens: %.0f req/s, p50 %.3f ms, p99 %.3f ms, %d requests, %d errors\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, failed))
end
