-- wrk: one plain Observation per POST (the shape of a LoRaWAN uplink forwarded one by one), over
-- STREAMS Datastreams; every request has its own phenomenonTime, so every acknowledged request
-- is one stored Observation. Each wrk thread writes its own share of the Datastreams, so each
-- Datastream's readings arrive in time order, as a sensor's uplinks do (late readings take the
-- store's slower merge path; tests cover it). Args: key, streams, first second (Unix time), wrk threads.
dofile("bench/lua/threads.lua")  -- setup, own_share, done

function init(args)
  key = args[1]
  streams = tonumber(args[2])
  first = tonumber(args[3])
  counter = 0
  offset, share = own_share(streams, tonumber(args[4]))
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key,
              ["Prefer"] = "return=minimal" }
end

function request()
  counter = counter + 1
  local body = string.format('{"phenomenonTime":"%s","result":%d.%02d,"Datastream":{"@iot.id":%d}}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", first + counter), 10 + counter % 20, counter % 100, 1 + offset + counter % share)
  return wrk.format("POST", "/sta/v1.1/Observations", headers, body)
end

