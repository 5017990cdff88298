-- wrk: one plain Observation per POST (the shape of a LoRaWAN uplink forwarded one by one), over
-- STREAMS Datastreams; every request has its own phenomenonTime, so every acknowledged request
-- is one stored Observation. Args: key, streams, first second (Unix time).
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  key = args[1]
  streams = tonumber(args[2])
  first = tonumber(args[3]) + tid * 50000000
  counter = 0
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key,
              ["Prefer"] = "return=minimal" }
end

function request()
  counter = counter + 1
  local body = string.format('{"phenomenonTime":"%s","result":%d.%02d,"Datastream":{"@iot.id":%d}}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", first + counter), 10 + counter % 20, counter % 100, 1 + counter % streams)
  return wrk.format("POST", "/sta/v1.1/Observations", headers, body)
end


function done(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
