-- POST /status/ with an ID number and a reference, each with its own solved ALTCHA challenge.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local bodies, payloads, i, p, step

function init(args)
  local dir = os.getenv("BENCH_DIR")
  bodies = read_lines(dir .. "/lookups.txt")
  payloads = read_lines(dir .. "/lookup-altcha.txt")
  step = tonumber(os.getenv("BENCH_THREADS"))
  i = id * 131
  p = tonumber(os.getenv("BENCH_ALTCHA_OFFSET") or "0") + id + 1
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF")
end

function request()
  i = i % #bodies + 1
  local payload = payloads[p] or payloads[1]
  p = p + step
  return wrk.format("POST", "/status/", nil, bodies[i] .. "&altcha=" .. payload)
end
