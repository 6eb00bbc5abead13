--[[
  Skips a step whose attempt has just begun because its condition does not hold: the step is marked 'skipped'
  (never compensated, its output empty) and the saga moves on. The 'step.started' entry its beginning wrote is
  replaced by 'step.skipped', so the history does not show an attempt that never ran.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    ARGV[1] phase: 'run'
    ARGV[2] step index
    ARGV[3] cursor generation
    ARGV[4] step name

  Output:
    { 1, status, phase, cursor, gen } the saga's new cursor
    -1 the saga does not exist
    -3 stale job: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local phase, index, gen, stepName = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/checkCursor"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"
--- @include "includes/advance"

local stale, status = checkCursor(stateKey, phase, index, gen)
if stale then
  return stale
end
local now = nowMs()
local s = 's' .. index .. '.'
local last = cjson.decode(redis.call('LINDEX', historyKey, -1) or '[]')
if last[2] == 'step.started' and last[3] == stepName then
  redis.call('RPOP', historyKey)
end
redis.call('HDEL', stateKey, s .. 'attempts', s .. 'startedAt')
redis.call('HSET', stateKey, s .. 'status', 'skipped', 'holder', '', 'updatedAt', now)
appendHistory(historyKey, { at = now, type = 'step.skipped', step = stepName })
return advance(stateKey, historyKey, tonumber(index), gen, now, status)
