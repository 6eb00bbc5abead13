--[[
  Marks an attempt of a step's run or compensation as started by the job `holder`, and appends to `reply` the
  data it works on: the input, the trace context stored at the start ('' without), then the outputs of the steps
  before it (for a compensation: up to and including its own step).
]]
local function beginAttempt(stateKey, historyKey, phase, index, attempt, stepName, holder, now, reply)
  local s = 's' .. index .. '.'
  local startedAtField, lastIndex
  if phase == 'run' then
    redis.call('HSET', stateKey, s .. 'status', 'running', s .. 'attempts', attempt, 'updatedAt', now, 'holder', holder)
    startedAtField, lastIndex = s .. 'startedAt', tonumber(index) - 1
    appendHistory(historyKey, { at = now, type = 'step.started', step = stepName, attempt = attempt })
  else
    redis.call('HSET', stateKey, s .. 'status', 'compensating', s .. 'compensationAttempts', attempt,
      'updatedAt', now, 'holder', holder)
    startedAtField, lastIndex = s .. 'compensationStartedAt', tonumber(index)
    appendHistory(historyKey, { at = now, type = 'compensation.started', step = stepName, attempt = attempt })
  end
  redis.call('HSETNX', stateKey, startedAtField, now)
  local fields = { 'input', 'trace' }
  for i = 0, lastIndex do
    fields[#fields + 1] = string.format('s%d.output', i)
  end
  local values = redis.call('HMGET', stateKey, unpack(fields))
  for i = 1, #fields do
    reply[#reply + 1] = values[i] or ''
  end
  return reply
end
