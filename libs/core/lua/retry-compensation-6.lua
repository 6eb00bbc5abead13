--[[
  An operator's retry of a parked saga: compensation resumes at the step whose compensation failed, under a new
  cursor generation, so that jobs of the earlier round stay fenced off.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    ARGV[1] note (may be empty)

  Output:
    { 1, status, phase, cursor, gen } the saga's new cursor
    -1 the saga does not exist
    -4 the saga is not parked: { -4, status }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/checkParked"

local cur, refused = checkParked(stateKey, 'cursor', 'gen', 'steps')
if refused then
  return refused
end
local now = nowMs()
local gen = tostring(tonumber(cur[3]) + 1)
local stepName = cjson.decode(cur[4])[tonumber(cur[2]) + 1]
setStatus(stateKey, 'compensating')
redis.call('HSET', stateKey, 'phase', 'compensate', 'gen', gen, 'updatedAt', now,
  's' .. cur[2] .. '.status', 'compensating')
redis.call('HDEL', stateKey, 'finishedAt')
redis.call('ZADD', activeKey, now, sagaIdOf(stateKey))
local entry = { at = now, type = 'saga.retried', step = stepName }
if ARGV[1] ~= '' then
  entry.note = ARGV[1]
end
appendHistory(historyKey, entry)
return { 1, 'compensating', 'compensate', cur[2], gen }
