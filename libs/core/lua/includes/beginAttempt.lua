--[[
  Marks an attempt of a step's run or compensation as started by the job `holder`, and appends to `reply` the
  data it works on: the input, the trace context stored at the start ('' without), then the outputs of the steps
  before it (for a compensation: up to and including its own step). What the caller held back to write with the
  attempt (see includes/advance): `heldLine`, a history line, and `...`, field-value pairs of the saga's hash, of
  which the output of step `heldIndex`, `heldOutput`, is one this attempt reads.
]]
local function beginAttempt(stateKey, historyKey, phase, index, attempt, stepName, holder, now, reply, heldLine,
                            heldIndex, heldOutput, ...)
  local s = 's' .. index .. '.'
  local run = phase == 'run'
  local startedAtField = run and s .. 'startedAt' or s .. 'compensationStartedAt'
  -- The first attempt's start is kept: read with the data, so that the attempt's writes are one HSET (each write
  -- is a command of its own in the AOF and to replicas).
  local fields = { startedAtField, 'input', 'trace' }
  for i = 0, run and tonumber(index) - 1 or tonumber(index) do
    fields[#fields + 1] = string.format('s%d.output', i)
  end
  local values = redis.call('HMGET', stateKey, unpack(fields))
  if heldIndex then
    values[heldIndex + 4] = heldOutput
  end
  local status, attemptsField = 'running', s .. 'attempts'
  if not run then
    status, attemptsField = 'compensating', s .. 'compensationAttempts'
  end
  if values[1] then
    redis.call('HSET', stateKey, s .. 'status', status, attemptsField, attempt, 'updatedAt', now, 'holder', holder,
      ...)
  else
    redis.call('HSET', stateKey, s .. 'status', status, attemptsField, attempt, 'updatedAt', now, 'holder', holder,
      startedAtField, now, ...)
  end
  appendStepHistory(historyKey, now, run and 'step.started' or 'compensation.started', stepName, attempt, heldLine)
  for i = 2, #fields do
    reply[#reply + 1] = values[i] or ''
  end
  return reply
end
