-- Redis' own clock, so that timestamps written by workers on different hosts share one time axis.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
