-- The request every wrk run sends; bench/run.py passes its shape in environment variables.
-- Counts responses whose status is not BENCH_EXPECT (wrk itself counts 3xx as success).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY") or ""
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
if wrk.method == "POST" then
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["X-CSRFToken"] = os.getenv("BENCH_CSRF")
  wrk.headers["Referer"] = os.getenv("BENCH_REFERER")
end

local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
end

function response(status, headers, body)
  if status ~= expect then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
  end
  io.write(string.format("Unexpected status: %d\n", total))
  -- wrk's --latency table stops at 90 % and 99 %: print the 95th percentile too (microseconds).
  io.write(string.format("Latency p95: %d\n", latency:percentile(95)))
end
