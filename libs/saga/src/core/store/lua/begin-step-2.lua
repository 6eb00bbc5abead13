--[[
  Marks an attempt of a step's run or compensation as started, and returns the data it works on.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    ARGV[1] phase: 'run' or 'compensate'
    ARGV[2] step index
    ARGV[3] cursor generation
    ARGV[4] attempt number
    ARGV[5] step name

  Output:
    { 1, input, output of step 0, …, output of step n } with the outputs of the steps before this one
    (for a compensation: up to and including this one)
    -1 the saga does not exist
    -3 stale job: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey = KEYS[1], KEYS[2]
local phase, index, gen, attempt, stepName = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/checkCursor"

local stale = checkCursor(stateKey, phase, index, gen)
if stale then
  return stale
end
local now = nowMs()
local s = 's' .. index .. '.'
local startedAtField, lastIndex
if phase == 'run' then
  redis.call('HSET', stateKey, s .. 'status', 'running', s .. 'attempts', attempt, 'updatedAt', now)
  startedAtField, lastIndex = s .. 'startedAt', tonumber(index) - 1
  appendHistory(historyKey, { at = now, type = 'step.started', step = stepName, attempt = attempt })
else
  redis.call('HSET', stateKey, s .. 'status', 'compensating', s .. 'compensationAttempts', attempt, 'updatedAt', now)
  startedAtField, lastIndex = s .. 'compensationStartedAt', tonumber(index)
  appendHistory(historyKey, { at = now, type = 'compensation.started', step = stepName, attempt = attempt })
end
redis.call('HSETNX', stateKey, startedAtField, now)

local reply = { 1, redis.call('HGET', stateKey, 'input') }
for i = 0, lastIndex do
  reply[#reply + 1] = redis.call('HGET', stateKey, 's' .. i .. '.output') or ''
end
return reply
