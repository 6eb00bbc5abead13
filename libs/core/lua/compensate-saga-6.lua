--[[
  Compensates a completed saga as a whole, newest step first: what a parent saga does to a child saga it
  compensates. A saga with nothing to undo ends compensated at once.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    ARGV[1] note for the history

  Output:
    { 1, status, phase, cursor, gen } the saga's new cursor
    -1 the saga does not exist
    -4 the saga is not completed: { -4, status }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"

local cur = redis.call('HMGET', stateKey, 'status', 'gen', 'compensable')
if not cur[1] then
  return { -1 }
end
if cur[1] ~= 'completed' then
  return { -4, cur[1] }
end
local now = nowMs()
redis.call('HSET', stateKey, 'updatedAt', now)
redis.call('HDEL', stateKey, 'finishedAt')
-- Ended no more: its removal waits until it ends again.
redis.call('ZREM', expiringKey, sagaIdOf(stateKey))
redis.call('ZADD', activeKey, now, sagaIdOf(stateKey))
appendHistory(historyKey, { at = now, type = 'saga.compensating', note = ARGV[1] })
return startCompensation(stateKey, historyKey, string.len(cur[3]) - 1, cur[2], now, false)
