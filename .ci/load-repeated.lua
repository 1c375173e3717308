-- wrk script for .ci/load: every request asks for the same signed URL, so
-- after the first one the verified token and the signature both come from
-- their caches. Arguments after "--": the bearer token.

function init(args)
  wrk.method = "POST"
  wrk.path = "/v1/signed-urls"
  wrk.body = '{"paths":["/private/users/alice/a.jpg"]}'
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    "repeated: %.0f req/s, p50 %.3f ms, p99 %.3f ms, %d requests, %d errors\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, failed))
end
