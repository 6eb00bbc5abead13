--- @include "includes/finish"

-- Points the cursor at the newest step to undo at or before `fromIndex`, or ends the saga when nothing is left.
-- `announce` is true when the saga only now turns to compensating. Returns { 1, status, phase, cursor, gen }.
local function startCompensation(stateKey, historyKey, fromIndex, gen, now, announce)
  local nextIndex = nextCompensation(stateKey, fromIndex)
  if nextIndex < 0 then
    finish(stateKey, historyKey, 'compensated', now, { at = now, type = 'saga.compensated' })
    return { 1, 'compensated', '', '', gen }
  end
  setStatus(stateKey, 'compensating')
  redis.call('HSET', stateKey, 'phase', 'compensate', 'cursor', tostring(nextIndex))
  if announce then
    appendHistory(historyKey, { at = now, type = 'saga.compensating' })
  end
  return { 1, 'compensating', 'compensate', tostring(nextIndex), gen }
end
