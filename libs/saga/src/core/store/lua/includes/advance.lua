--[[
  Moves a saga on after its step `index` succeeded: to compensation when a cancellation waits for the step to
  finish, to the end when it was the last step, else to the next step. `status` is the saga's status before, when
  known. Returns { 1, status, phase, cursor, gen }.
]]
local function advance(stateKey, historyKey, index, gen, now, status)
  local cur = redis.call('HMGET', stateKey, 'cancel', 'compensable')
  if cur[1] then
    return startCompensation(stateKey, historyKey, index, gen, now, true)
  end
  local nextIndex = index + 1
  if nextIndex >= string.len(cur[2]) then
    setStatus(stateKey, 'completed')
    redis.call('HSET', stateKey, 'phase', '', 'cursor', '', 'finishedAt', now)
    leaveActive(stateKey)
    appendHistory(historyKey, { at = now, type = 'saga.completed' })
    return { 1, 'completed', '', '', gen }
  end
  setStatus(stateKey, 'running', status)
  redis.call('HSET', stateKey, 'cursor', tostring(nextIndex))
  return { 1, 'running', 'run', tostring(nextIndex), gen }
end
