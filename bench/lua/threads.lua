-- What the single-write wrk scripts share (loaded with dofile from the repository root): each
-- thread's number, its own share of the series (so each series gets its writes in time order),
-- and the error counts printed at the end.
local threads = 0  -- counts in the main state only: each thread learns the total from the args
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

-- The first series (0-based) and how many this thread writes, of `total` over `nthreads`.
function own_share(total, nthreads)
  local share = math.max(1, math.floor(total / nthreads))
  return (tid * share) % total, share
end

function done(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
