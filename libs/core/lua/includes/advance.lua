--[[
  Moves a saga on after its step `index` succeeded (or was skipped): in a parallel group, nowhere until the
  group's other steps have settled (phase 'join'), then to compensation if one of them failed for good; to
  compensation when a cancellation waits for the step to finish; to the end after the last step; else to the next
  step. `status` is the saga's status before, and `known` its fields { cancel, compensable, groups }, when the
  caller has read them already. Returns { 1, status, phase, cursor, gen }.
]]
--- @include "includes/group"
--- @include "includes/finish"

local function advance(stateKey, historyKey, index, gen, now, status, known)
  local cur = known or redis.call('HMGET', stateKey, 'cancel', 'compensable', 'groups')
  local first, last = groupOf(cur[3], index)
  if first then
    local settled, failed = groupState(stateKey, first, last)
    if not settled then
      return { 1, status or redis.call('HGET', stateKey, 'status'), 'join', tostring(first), gen }
    end
    if failed then
      return startCompensation(stateKey, historyKey, last, gen, now, true)
    end
    index = last
  end
  if cur[1] then
    return startCompensation(stateKey, historyKey, index, gen, now, true)
  end
  local nextIndex = index + 1
  if nextIndex >= string.len(cur[2]) then
    finish(stateKey, historyKey, 'completed', now, { at = now, type = 'saga.completed' })
    return { 1, 'completed', '', '', gen }
  end
  setStatus(stateKey, 'running', status)
  -- As text with '%d': tostring formats a Lua number as a float.
  local cursor = string.format('%d', nextIndex)
  redis.call('HSET', stateKey, 'cursor', cursor)
  return { 1, 'running', 'run', cursor, gen }
end
