-- The ballot POSTs of bench/vote.py: every request casts one ballot as the next voter, for a random candidate.
-- bench/vote.py passes the shape in environment variables:
--   BENCH_SESSIONS    file of session keys, one voter a line
--   BENCH_THREADS     wrk's -t: thread n (0-based) takes the n-th contiguous slice of the file (bench/vote.py
--                     runs one thread by default: see "Voting" in bench/README.md)
--   BENCH_CANDIDATES  candidate ids, comma-separated
--   BENCH_CSRF, BENCH_REFERER, BENCH_EXPECT (the status of a cast: 200, the receipt page)
--   BENCH_DONE_DIR    a thread that has every answer for its slice writes thread-<n> there and stops;
--                     bench/vote.py then interrupts wrk (SIGINT), so wrk's duration is the casting time.
-- Prints "Unexpected status", "Latency p95" (as request.lua does), "Duration us" and the first few
-- unexpected statuses with their Location header.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  local all = {}
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    if line ~= "" then
      table.insert(all, line)
    end
  end
  local per = math.ceil(#all / nthreads)
  keys = {}
  for i = id * per + 1, math.min(#all, (id + 1) * per) do
    table.insert(keys, all[i])
  end
  candidates = {}
  for c in string.gmatch(os.getenv("BENCH_CANDIDATES"), "[^,]+") do
    table.insert(candidates, c)
  end
  csrf = os.getenv("BENCH_CSRF")
  referer = os.getenv("BENCH_REFERER")
  expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
  done_dir = os.getenv("BENCH_DONE_DIR")
  math.randomseed(os.time() * 1000 + id)
  reserved, sent, answered, unexpected = 0, 0, 0, 0
  if #keys == 0 then
    mark_done() -- nothing to send: its connections only wait (see delay); bench/vote.py interrupts wrk
  end
end

function mark_done()
  local f = assert(io.open(done_dir .. "/thread-" .. id, "w"))
  f:write(string.format("%d %d\n", answered, unexpected))
  f:close()
end

-- Called before each request of a connection: a voter is reserved for it, or, once the slice is all
-- reserved, the connection waits an hour (it never sends again; the thread stops first).
function delay()
  if reserved >= #keys then
    return 3600000
  end
  reserved = reserved + 1
  return 0
end

function request()
  -- wrk calls request() once before the run, to count pipelined requests, and never sends that one:
  -- it comes before any delay(), and takes no voter.
  if reserved > 0 then
    sent = sent + 1
  end
  -- Past the slice only when wrk resends after a socket error (which fails the run anyway): that repeat
  -- is refused as a second vote and counted as an unexpected status.
  local key = keys[math.max(1, math.min(sent, #keys))]
  local body = "step=cast&choice=" .. candidates[math.random(#candidates)]
  local headers = {
    ["Cookie"] = "sessionid=" .. key .. "; csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Referer"] = referer,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= expect then
    unexpected = unexpected + 1
    if unexpected <= 5 then
      seen = (seen or "") .. string.format(" %d %s;", status, headers["Location"] or "")
    end
  end
  if answered == #keys then
    mark_done()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
  end
  io.write(string.format("Unexpected status: %d\n", total))
  for _, thread in ipairs(threads) do
    if thread:get("seen") then
      io.write("First unexpected (status location):" .. thread:get("seen") .. "\n")
    end
  end
  io.write(string.format("Latency p95: %d\n", latency:percentile(95)))
  io.write(string.format("Duration us: %d\n", summary.duration))
end
