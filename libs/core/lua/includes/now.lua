-- Redis' own clock, so that timestamps written by workers on different hosts share one time axis.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The same as the digits of an integer, built from TIME's strings: a Lua number written to Redis, or joined to a
-- string, is formatted as a float, which costs more than a small write. For the scripts of every step; the
-- includes they call take `now` as either. Read once per call of the script: the transitions of a batch
-- (transitions-n.lua), applied at once, share it.
local nowTextRead
local function nowText()
  if not nowTextRead then
    local t = redis.call('TIME')
    local micros = t[2]
    nowTextRead = t[1] .. string.sub(string.rep('0', 6 - string.len(micros)) .. micros, 1, 3)
  end
  return nowTextRead
end
