-- POST the request form: every field, two images and a drawn signature, each with its own ALTCHA solution.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local head, tail, payloads, p, step

function init(args)
  local dir = os.getenv("BENCH_DIR")
  local file = io.open(dir .. "/submit.body", "rb")
  local body = file:read("*a")
  file:close()
  local at = string.find(body, "@@ALTCHA@@", 1, true)
  head = string.sub(body, 1, at - 1)
  tail = string.sub(body, at + 10)
  payloads = read_lines(dir .. "/submit-altcha.txt")
  step = tonumber(os.getenv("BENCH_THREADS"))
  p = tonumber(os.getenv("BENCH_ALTCHA_OFFSET") or "0") + id + 1
  wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("BENCH_BOUNDARY")
  wrk.headers["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF")
end

function request()
  local payload = payloads[p] or payloads[1]
  p = p + step
  return wrk.format("POST", os.getenv("BENCH_FORM_URL"), nil, head .. payload .. tail)
end
