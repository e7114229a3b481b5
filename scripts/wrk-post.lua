-- wrk script: POSTs the JSON bodies of a file (one per line) to a route, in turn, and prints the
-- run's numbers as one JSON line at the end.
-- usage: wrk -s scripts/wrk-post.lua URL -- BODIES.jsonl /v1/classify
local bodies = {}
local route = "/v1/classify"
local n = 0

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  file:close()
  route = args[2] or route
  -- Threads start at different bodies.
  n = math.random(#bodies)
end

function request()
  n = n % #bodies + 1
  return wrk.format("POST", route, { ["Content-Type"] = "application/json" }, bodies[n])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, e.connect, e.read, e.write, e.status, e.timeout))
end
