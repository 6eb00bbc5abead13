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

-- Begins attempt 1 of the new cursor `reply` for the job `holder` when asked, saving that job a round trip. Not for
-- a parallel group, whose steps each get a job of their own. `nextName`: the step after `index`, '' if not known.
-- `cursor`: the cursor field that advance left unwritten, written here with the attempt's own fields.
local function goOn(reply, holder, index, nextName, now, groups, cursor)
  local nextIndex = tonumber(reply[4])
  if holder == '' or (reply[3] ~= 'run' and reply[3] ~= 'compensate')
    or (reply[3] == 'run' and groupOf(groups, nextIndex)) then
    if cursor then
      redis.call('HSET', stateKey, 'cursor', cursor)
    end
    return reply
  end
  local stepName = nextName
  if reply[3] ~= 'run' or nextIndex ~= tonumber(index) + 1 or stepName == '' then
    stepName = cjson.decode(redis.call('HGET', stateKey, 'steps'))[nextIndex + 1]
  end
  if cursor then
    return beginAttempt(stateKey, historyKey, reply[3], reply[4], '1', stepName, holder, now, reply, 'cursor', cursor)
  end
  return beginAttempt(stateKey, historyKey, reply[3], reply[4], '1', stepName, holder, now, reply)
end

-- The arguments are argv[o + 1] to argv[o + n], as complete-step-6.lua takes them (read in place, not copied: a
-- script's tables cost more than its reads).
local function completeStep(argv, o, n)
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
    return goOn(moved, holder, index, '', now, groups)
  end

  redis.call('HSET', stateKey, s .. 'status', 'succeeded', s .. 'output', output, s .. 'finishedAt', now,
    'updatedAt', now)
  recordDuration(stateKey, index, stepName, now, cur[7], cur[8])
  appendStepHistory(historyKey, now, 'step.succeeded', stepName, attempt)
  local moved, cursor = advance(stateKey, historyKey, tonumber(index), gen, now, status, cur[9], cur[10], groups, true)
  return goOn(moved, holder, index, nextName, now, groups, cursor)
end
