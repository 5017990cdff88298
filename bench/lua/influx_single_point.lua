-- wrk: one point per POST to InfluxDB 1.6's /write (the same shape as single_observation.lua:
-- STREAMS series, each wrk thread its share of them, every request its own timestamp). Args: streams, first second (Unix time), wrk threads.
dofile("bench/lua/threads.lua")  -- setup, own_share, done

function init(args)
  streams = tonumber(args[1])
  first = tonumber(args[2])
  counter = 0
  offset, share = own_share(streams, tonumber(args[3]))
  headers = { ["Content-Type"] = "text/plain" }
end

function request()
  counter = counter + 1
  local body = string.format("m,ds=%d value=%d.%02d %d", 1 + offset + counter % share, 10 + counter % 20, counter % 100, first + counter)
  return wrk.format("POST", "/write?db=bench&precision=s", headers, body)
end
