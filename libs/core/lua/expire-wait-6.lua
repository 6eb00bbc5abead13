--[[
  Fires a wait's timer: a sleep ends and the saga goes on; a wait for an event times out, and either fails (the
  saga compensates) or goes on with null as the step's output. A timer whose wait has already ended changes
  nothing, so a timer fires once however often its job runs.

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
    ARGV[5] 'sleep', 'continue' or 'fail' on a timeout; 'failed' when what the wait waited for failed (a child
      saga ended compensated): the step fails as on a failing timeout
    ARGV[6] the step's error when it fails (JSON object: name, message, code)

  Output:
    { 1, status, phase, cursor, gen } the saga's new cursor
    -1 the saga does not exist
    -3 the wait has ended already: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local phase, index, gen, stepName, outcome = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/checkCursor"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"
--- @include "includes/advance"

local stale = checkCursor(stateKey, phase, index, gen)
if stale then
  return stale
end
local s = 's' .. index .. '.'
-- 'running': a redelivered job is parking the step again, with the same deadline, which has now passed.
local status = redis.call('HGET', stateKey, s .. 'status')
if status ~= 'waiting' and status ~= 'running' then
  local cur = redis.call('HMGET', stateKey, 'status', 'phase', 'cursor', 'gen')
  return { -3, cur[1], cur[2], cur[3], cur[4] }
end
local now = nowMs()
redis.call('HSET', stateKey, 'holder', '', 'updatedAt', now)
if outcome ~= 'sleep' and outcome ~= 'failed' then
  appendHistory(historyKey, { at = now, type = 'step.timed_out', step = stepName })
end
if outcome ~= 'fail' and outcome ~= 'failed' then
  redis.call('HSET', stateKey, s .. 'status', 'succeeded', s .. 'output', 'null', s .. 'finishedAt', now)
  recordDuration(stateKey, index, stepName, now)
  appendHistory(historyKey, { at = now, type = 'step.succeeded', step = stepName, attempt = 1 })
  return advance(stateKey, historyKey, tonumber(index), gen, now)
end
local err = cjson.decode(ARGV[6])
redis.call('HSET', stateKey, s .. 'status', 'failed', s .. 'error', ARGV[6], s .. 'finishedAt', now,
  'error', cjson.encode({ step = stepName, name = err.name, message = err.message, code = err.code }))
appendHistory(historyKey, {
  at = now, type = 'step.failed', step = stepName, attempt = 1, error = err, willRetry = false,
})
return startCompensation(stateKey, historyKey, tonumber(index), gen, now, true)
