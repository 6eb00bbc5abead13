--[[
  The fence of every transition: a job may change a saga only while the saga's cursor (phase, step index,
  generation) is exactly the one the job was created for. A duplicate, stalled or late job sees another cursor
  and changes nothing. A job of a step in a parallel group matches while the cursor is on the group, until its
  step has settled. Returns nil, the saga's status, its parallel groups (see includes/group.lua) and the fields
  read (status, phase, cursor, gen, groups, lc, name, then the extra `...` fields the caller asks for, read in the
  same HMGET) when the job may go on, otherwise the reply to send back:
    -1 the saga does not exist
    -3 stale: { -3, status, phase, cursor, gen } with the saga's current cursor
    -3 with phase 'join': the job's step of a parallel group has settled; its siblings' jobs move the saga on
]]
--- @include "includes/group"

local function staleReply(cur)
  return { -3, cur[1], cur[2], cur[3], cur[4] }
end

local function checkCursor(stateKey, phase, index, gen, ...)
  local cur = redis.call('HMGET', stateKey, 'status', 'phase', 'cursor', 'gen', 'groups', 'lc', 'name', ...)
  if not cur[1] then
    return { -1 }
  end
  setLifecycleHead(cur[6] == '1', cur[7], cur[1])
  -- Built only when stale: a script's tables cost more than its reads.
  if cur[2] ~= phase or cur[4] ~= gen then
    return staleReply(cur)
  end
  local first = phase == 'run' and groupOf(cur[5], tonumber(index))
  if not first then
    if cur[3] ~= index then
      return staleReply(cur)
    end
    return nil, cur[1], cur[5], cur
  end
  if tostring(first) ~= cur[3] then
    return staleReply(cur)
  end
  if isSettled(redis.call('HGET', stateKey, 's' .. index .. '.status')) then
    return { -3, cur[1], 'join', cur[3], cur[4] }
  end
  return nil, cur[1], cur[5], cur
end
