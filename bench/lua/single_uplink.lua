-- wrk: one ChirpStack v4 uplink per POST to /api/v1/ingest/chirpstack?event=up (the HTTP
-- integration forwards every uplink on its own), from DEVICES devices whose profiles map the
-- decoded field "value" to one Datastream each (DevEUI 0000000000000001 onwards). Each wrk thread
-- sends for its own share of the devices, in time order; every uplink has its own time (from
-- FIRST, a Unix second within the ingestor's 400 days) and frame counter, so each acknowledged
-- request is one stored Observation. Args: key, devices, first second, wrk threads.
dofile("bench/lua/threads.lua")  -- setup, own_share, done

function init(args)
  key = args[1]
  devices = tonumber(args[2])
  first = tonumber(args[3])
  offset, share = own_share(devices, tonumber(args[4]))
  counter = 0
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
end

function request()
  counter = counter + 1
  local device = 1 + offset + counter % share
  local body = string.format(
    '{"time":"%s","deviceInfo":{"devEui":"%016X","deviceName":"bench"},"fPort":2,"fCnt":%d,' ..
    '"object":{"value":%d.%02d},"rxInfo":[{"gatewayId":"0016c001f153a14c","rssi":-90,"snr":7.5}]}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", first + counter), device, counter, 10 + counter % 20, counter % 100)
  return wrk.format("POST", "/api/v1/ingest/chirpstack?event=up", headers, body)
end
