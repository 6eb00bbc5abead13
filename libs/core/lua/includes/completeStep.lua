--[[
  The body of complete-step-6.lua, as a function of the saga's two keys and the script's arguments, so that
  transitions-n.lua runs it for many sagas in one call. The including script declares the keys (stateKey,
  historyKey, activeKey, metricsKey, outboxKey, expiringKey), which the includes read too.
]]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/checkCursor"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"
--- @include "includes/advance"
--- @include "includes/beginAttempt"

-- The name of the step whose attempt 1 the job `holder` begins at the new cursor `reply`, saving that job a round
-- trip; nil when it does not go on: not asked to, the saga has ended or waits, or the next step is in a parallel
-- group, whose steps each get a job of their own. `nextName`: the step after `index`, '' if not known.
local function nextStepName(reply, holder, index, nextName, groups)
  local nextIndex = tonumber(reply[4])
  if holder == '' or (reply[3] ~= 'run' and reply[3] ~= 'compensate')
    or (reply[3] == 'run' and groupOf(groups, nextIndex)) then
    return nil
  end
  if reply[3] ~= 'run' or nextIndex ~= tonumber(index) + 1 or nextName == '' then
    return cjson.decode(redis.call('HGET', stateKey, 'steps'))[nextIndex + 1]
  end
  return nextName
end

-- Begins attempt 1 of step `name` at the new cursor `reply` for the job `holder`; nil `name`: the job does not go on.
local function goOn(reply, name, holder, now)
  if not name then
    return reply
  end
  return beginAttempt(stateKey, historyKey, reply[3], reply[4], '1', name, holder, now, reply)
end

-- Begins, for the job at the head of the wait list of the BullMQ queue `queue` (the one BullMQ's finish of the
-- calling job, sent right behind this script on the connection, hands its worker next), the first attempt of its
-- saga's first step `firstStep`, as that job's begin-step would, when it is that step's job and the step has not
-- begun. Not while the queue is paused: its head waits. Returns { jobId, input, trace, outputs... }, or nil. The
-- keys are not declared (they are another saga's and BullMQ's): the store never asks for this on a cluster.
local function beginNextJob(queue, shardPrefix, firstStep, now)
  if redis.call('HEXISTS', queue .. ':meta', 'paused') == 1 then
    return nil
  end
  local jobId = redis.call('LINDEX', queue .. ':wait', -1)
  if not jobId then
    return nil
  end
  -- A step job's id is sagaId|phase|step|gen (src/queues/step-job.ts); a timer's ends with '|timer'.
  local sagaId, phase, step, gen = string.match(jobId, '^(.+)|(%a+)|([^|]+)|(%d+)$')
  if phase ~= 'run' or step ~= firstStep then
    return nil
  end
  local nextState = shardPrefix .. ':saga:{' .. sagaId .. '}'
  local stale, _, _, cur = checkCursor(nextState, 'run', '0', gen, 's0.status')
  if stale or cur[8] ~= 'pending' then
    return nil
  end
  return beginAttempt(nextState, nextState .. ':history', 'run', '0', '1', firstStep, jobId, now, { jobId })
end

-- The arguments are argv[o + 1] to argv[o + n], as complete-step-6.lua takes them (read in place, not copied: a
-- script's tables cost more than its reads).
local function recordSuccess(argv, o, n)
  local phase, index, gen, attempt, stepName, output, holder, nextName = unpack(argv, o + 1, o + n)
  holder, nextName = holder or '', nextName or ''

  -- A step's success also reads what recording it and moving on need, in the fence's HMGET: fields 8 to 10.
  local s = 's' .. index .. '.'
  local stale, status, groups, cur
  if phase == 'run' then
    stale, status, groups, cur = checkCursor(stateKey, phase, index, gen, s .. 'startedAt', 'cancel', 'compensable')
  else
    stale, status, groups, cur = checkCursor(stateKey, phase, index, gen)
  end
  if stale then
    return stale
  end
  local now = nowText()

  if phase == 'compensate' then
    redis.call('HSET', stateKey, s .. 'status', 'compensated', s .. 'compensationFinishedAt', now, 'updatedAt', now)
    countStep(stateKey, 'compensations', stepName, 'succeeded')
    appendHistory(historyKey, { at = now, type = 'compensation.succeeded', step = stepName, attempt = attempt })
    local moved = startCompensation(stateKey, historyKey, tonumber(index) - 1, gen, now, false)
    return goOn(moved, nextStepName(moved, holder, index, '', groups), holder, now)
  end

  recordDuration(stateKey, index, stepName, now, cur[7], cur[8])
  -- The success is held back, to be written with the cursor's move and the next attempt's begin when the saga
  -- simply goes on (see includes/advance): one HSET and one RPUSH for all three.
  local line = stepHistoryLine(now, 'step.succeeded', stepName, attempt)
  emitLifecycle('step.succeeded', stepName, attempt, nil, now, nil)
  -- Writes it, with `...`, more field-value pairs of the hash, in the same HSET, and `nextLine`, when given, after
  -- its history line in the same RPUSH.
  local function writeHeld(nextLine, ...)
    redis.call('HSET', stateKey, s .. 'status', 'succeeded', s .. 'output', output, s .. 'finishedAt', now,
      'updatedAt', now, ...)
    if nextLine then
      redis.call('RPUSH', historyKey, line, nextLine)
    else
      redis.call('RPUSH', historyKey, line)
    end
  end
  local moved, cursor = advance(stateKey, historyKey, tonumber(index), gen, now, status, cur[9], cur[10], groups,
    writeHeld)
  local name = nextStepName(moved, holder, index, nextName, groups)
  if cursor and name then
    return beginAttempt(stateKey, historyKey, 'run', cursor, '1', name, holder, now, moved, line, tonumber(index),
      output, 'cursor', cursor, s .. 'status', 'succeeded', s .. 'output', output, s .. 'finishedAt', now)
  end
  if cursor then
    writeHeld(nil, 'cursor', cursor)
  end
  return goOn(moved, name, holder, now)
end

local function completeStep(argv, o, n)
  local reply = recordSuccess(argv, o, n)
  local queue, shardPrefix, firstStep = unpack(argv, o + 9, o + n)
  -- Last, for checkCursor sets the lifecycle head to the next job's saga.
  if queue and reply[1] == 1 and #reply == 5 then
    reply[6] = beginNextJob(queue, shardPrefix, firstStep, nowText())
  end
  return reply
end
