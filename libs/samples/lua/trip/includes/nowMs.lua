--[[
  The time by Redis' own clock, in milliseconds since the epoch, so that records written from different hosts share
  one time axis.
]]
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
