--[[
  Records a failed attempt. When it was the last one (retries exhausted, a permanent error, or the saga was
  cancelled while the attempt ran), a failed run starts compensating the steps before it (itself first when its
  flag is 2), newest first, and a failed compensation parks the saga as 'compensation_failed' for a person to
  look at: a failure is never dropped. A step of a parallel group that fails for good stops the group's steps
  that have not begun or wait between attempts; compensation starts once the attempts in flight have settled.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    ARGV[1] phase: 'run' or 'compensate'
    ARGV[2] step index
    ARGV[3] cursor generation
    ARGV[4] attempt number
    ARGV[5] step name
    ARGV[6] error (JSON object: name, message, code)
    ARGV[7] '1' when the attempt was the last, '0' when it will be retried

  Output:
    { 1, status, phase, cursor, gen, final } the saga's new cursor, and '1' when the attempt was taken as the last;
    phase 'join' when steps of its parallel group are still in flight
    -1 the saga does not exist
    -3 stale job: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local phase, index, gen, attempt, stepName = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local errorJson = ARGV[6]
-- A cancelled saga retries no step: it only undoes them.
local final = ARGV[7] == '1' or (phase == 'run' and redis.call('HEXISTS', stateKey, 'cancel') == 1)
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/checkCursor"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"

local stale, status, groups = checkCursor(stateKey, phase, index, gen)
if stale then
  return stale
end
local now = nowMs()
local s = 's' .. index .. '.'
local err = cjson.decode(errorJson)
redis.call('HSET', stateKey, 'updatedAt', now)

if phase == 'compensate' then
  redis.call('HSET', stateKey, s .. 'compensationError', errorJson)
  appendHistory(historyKey, {
    at = now, type = 'compensation.failed', step = stepName, attempt = attempt, error = err, willRetry = not final,
  })
  if not final then
    return { 1, 'compensating', phase, index, gen, '0' }
  end
  -- The cursor stays on the step so that an operator's retry knows where to continue.
  setStatus(stateKey, 'compensation_failed')
  countStep(stateKey, 'compensations', stepName, 'failed')
  redis.call('HSET', stateKey, s .. 'status', 'compensation_failed',
    'phase', 'parked', 'finishedAt', now)
  leaveActive(stateKey)
  appendHistory(historyKey, { at = now, type = 'saga.compensation_failed', step = stepName, error = err })
  return { 1, 'compensation_failed', 'parked', index, gen, '1' }
end

-- In a parallel group, an attempt that fails after a step beside it failed for good is not retried either.
local first, last = groupOf(groups, tonumber(index))
if first and not final then
  local _, failed = groupState(stateKey, first, last)
  final = failed
end
appendHistory(historyKey, {
  at = now, type = 'step.failed', step = stepName, attempt = attempt, error = err, willRetry = not final,
})
if not final then
  countStep(stateKey, 'retries', stepName)
  redis.call('HSET', stateKey, s .. 'status', 'retrying', s .. 'error', errorJson)
  return { 1, 'running', phase, index, gen, '0' }
end
redis.call('HSET', stateKey, s .. 'status', 'failed', s .. 'error', errorJson, s .. 'finishedAt', now)
-- The saga's error is its first step failure: in a parallel group, what made the others stop.
redis.call('HSETNX', stateKey, 'error',
  cjson.encode({ step = stepName, name = err.name, message = err.message, code = err.code }))
local from = tonumber(index)
if first then
  haltGroup(stateKey, historyKey, first, last, now)
  if not groupState(stateKey, first, last) then
    return { 1, status, 'join', tostring(first), gen, '1' }
  end
  from = last
end
-- From the failed step itself (the group's last): it is compensated too when its definition says its run may
-- have taken effect.
local reply = startCompensation(stateKey, historyKey, from, gen, now, true)
reply[6] = '1'
return reply
