--[[
  Records a successful attempt and moves the cursor on: to the next step, to the next compensation, or to the
  end of the saga. A run that succeeds after the saga was cancelled turns it to compensation, itself first.

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
    ARGV[6] output (JSON; ignored for a compensation)
    ARGV[7] id of a job that goes on with the next step or compensation in the same call, or '' for none
    ARGV[8] name of the step after this one, '' for none: what going on to it saves reading and decoding

  Output:
    { 1, status, phase, cursor, gen } the saga's new cursor; when ARGV[7] is given and the saga goes on, followed
    by the next attempt's data as begin-step returns it (input, trace, outputs): the next attempt has begun. Phase
    'join': the step is one of a parallel group whose other steps have not all settled yet
    -1 the saga does not exist
    -3 stale job: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local phase, index, gen, attempt, stepName = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/checkCursor"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"
--- @include "includes/advance"
--- @include "includes/beginAttempt"

-- Begins attempt 1 of the new cursor for the job `holder` when asked, saving that job a round trip. Not for a
-- parallel group, whose steps each get a job of their own.
local function goOn(reply, holder, now, groups)
  if holder == '' or (reply[3] ~= 'run' and reply[3] ~= 'compensate') then
    return reply
  end
  local nextIndex = tonumber(reply[4])
  if reply[3] == 'run' and groupOf(groups, nextIndex) then
    return reply
  end
  local stepName = ARGV[8] or ''
  if reply[3] ~= 'run' or nextIndex ~= tonumber(index) + 1 or stepName == '' then
    stepName = cjson.decode(redis.call('HGET', stateKey, 'steps'))[nextIndex + 1]
  end
  return beginAttempt(stateKey, historyKey, reply[3], reply[4], '1', stepName, holder, now, reply)
end

-- A step's success also reads what recording it and moving on need, in the fence's HMGET: fields 8 to 10.
local s = 's' .. index .. '.'
local extra = phase == 'run' and { s .. 'startedAt', 'cancel', 'compensable' } or {}
local stale, status, groups, cur = checkCursor(stateKey, phase, index, gen, unpack(extra))
if stale then
  return stale
end
local now = nowText()

if phase == 'compensate' then
  redis.call('HSET', stateKey, s .. 'status', 'compensated', s .. 'compensationFinishedAt', now, 'updatedAt', now)
  countStep(stateKey, 'compensations', stepName, 'succeeded')
  appendHistory(historyKey, { at = now, type = 'compensation.succeeded', step = stepName, attempt = attempt })
  return goOn(startCompensation(stateKey, historyKey, tonumber(index) - 1, gen, now, false), ARGV[7], now, groups)
end

redis.call('HSET', stateKey, s .. 'status', 'succeeded', s .. 'output', ARGV[6], s .. 'finishedAt', now,
  'updatedAt', now)
recordDuration(stateKey, index, stepName, now, { cur[7], cur[8] })
appendHistory(historyKey, { at = now, type = 'step.succeeded', step = stepName, attempt = attempt })
local moved = advance(stateKey, historyKey, tonumber(index), gen, now, status, { cur[9], cur[10], groups })
return goOn(moved, ARGV[7], now, groups)
