--[[
  The guard of the operator actions: they apply only to a parked saga. Returns the saga's fields `fields` (status
  first), or the reply to send back: -1 the saga does not exist, { -4, status } it is not parked.
]]
local function checkParked(stateKey, ...)
  local cur = redis.call('HMGET', stateKey, 'status', ...)
  if not cur[1] then
    return nil, { -1 }
  end
  if cur[1] ~= 'compensation_failed' then
    return nil, { -4, cur[1] }
  end
  return cur
end
