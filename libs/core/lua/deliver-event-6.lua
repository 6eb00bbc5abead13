--[[
  Ends a saga's wait with an event: the event's payload becomes the waiting step's output and the saga moves on.
  Only a saga waiting for this event type and key takes it, and one event ends at most one wait of a saga.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    ARGV[1] event type
    ARGV[2] correlation key
    ARGV[3] event id
    ARGV[4] payload (JSON)

  Output:
    { 1, status, phase, cursor, gen } the saga's new cursor
    -1 the saga does not exist
    -3 the saga is not waiting for this event: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local eventType, key, eventId = ARGV[1], ARGV[2], ARGV[3]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"
--- @include "includes/advance"

local cur = redis.call('HMGET', stateKey, 'status', 'phase', 'cursor', 'gen', 'steps')
if not cur[1] then
  return { -1 }
end
local notWaiting = { -3, cur[1], cur[2], cur[3], cur[4] }
if cur[1] ~= 'waiting' then
  return notWaiting
end
local index = tonumber(cur[3])
local s = 's' .. index .. '.'
local step = redis.call('HMGET', stateKey, s .. 'status', s .. 'waitEvent', s .. 'waitKey')
if step[1] ~= 'waiting' or step[2] ~= eventType or step[3] ~= key then
  return notWaiting
end
for i = 0, index - 1 do
  if redis.call('HGET', stateKey, 's' .. i .. '.event') == eventId then
    return notWaiting
  end
end
local now = nowMs()
local stepName = cjson.decode(cur[5])[index + 1]
redis.call('HSET', stateKey, s .. 'status', 'succeeded', s .. 'output', ARGV[4], s .. 'event', eventId,
  s .. 'finishedAt', now, 'holder', '', 'updatedAt', now)
recordDuration(stateKey, index, stepName, now)
appendHistory(historyKey, { at = now, type = 'event.received', step = stepName, event = eventType, eventId = eventId })
appendHistory(historyKey, { at = now, type = 'step.succeeded', step = stepName, attempt = 1 })
return advance(stateKey, historyKey, index, cur[4], now)
