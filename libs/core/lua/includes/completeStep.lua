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

local function completeStep(ARGV)
  local phase, index, gen, attempt, stepName = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]

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
end
