--[[
  The fence of every transition: a job may change a saga only while the saga's cursor (phase, step index,
  generation) is exactly the one the job was created for. A duplicate, stalled or late job sees another cursor
  and changes nothing. Returns nil and the saga's status when the cursor matches, otherwise the reply to send back:
    -1 the saga does not exist
    -3 stale: { -3, status, phase, cursor, gen } with the saga's current cursor
]]
local function checkCursor(stateKey, phase, index, gen)
  local cur = redis.call('HMGET', stateKey, 'status', 'phase', 'cursor', 'gen')
  if not cur[1] then
    return { -1 }
  end
  if cur[2] ~= phase or cur[3] ~= index or cur[4] ~= gen then
    return { -3, cur[1], cur[2], cur[3], cur[4] }
  end
  return nil, cur[1]
end
