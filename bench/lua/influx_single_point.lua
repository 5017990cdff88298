-- wrk: one point per POST to InfluxDB 1.6's /write (the same shape as single_observation.lua:
-- STREAMS series, each wrk thread its share of them, every request its own timestamp). Args: streams, first second (Unix time), wrk threads.
local threads = 0  -- counts in the main state only: each thread learns the total from the args
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  streams = tonumber(args[1])
  first = tonumber(args[2])
  counter = 0
  share = math.max(1, math.floor(streams / tonumber(args[3])))
  offset = (tid * share) % streams
  headers = { ["Content-Type"] = "text/plain" }
end

function request()
  counter = counter + 1
  local body = string.format("m,ds=%d value=%d.%02d %d", 1 + offset + counter % share, 10 + counter % 20, counter % 100, first + counter)
  return wrk.format("POST", "/write?db=bench&precision=s", headers, body)
end

function done(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
