-- GET /status/<token>/ over a thousand real tokens of the database.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local tokens, i

function init(args)
  tokens = read_lines(os.getenv("BENCH_DIR") .. "/tokens.txt")
  i = id * 97
end

function request()
  i = i % #tokens + 1
  return wrk.format("GET", "/status/" .. tokens[i] .. "/")
end
