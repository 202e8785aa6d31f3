-- wrk script: replays requests from a file (one per line, tab-separated:
-- method, path, cookie, csrf token, body) and prints a JSON summary at the end.
local lines = {}
local counter = 0
local offset = 0

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local method, path, cookie, csrf, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    local headers = { ["Cookie"] = cookie }
    if csrf ~= "" then headers["X-CSRFToken"] = csrf end
    if body ~= nil and body ~= "" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    else
      body = nil
    end
    table.insert(lines, { method = method, path = path, headers = headers, body = body })
  end
  file:close()
  local share = math.floor(#lines / (tonumber(args[2]) or 1))
  offset = (thread_id or 0) * share
end

function request()
  local item = lines[((offset + counter) % #lines) + 1]
  counter = counter + 1
  return wrk.format(item.method, item.path, item.headers, item.body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "errors": %d, "status_errors": %d, "p50_us": %d, "p95_us": %d}\n',
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    errors.status, latency:percentile(50), latency:percentile(95)))
end
