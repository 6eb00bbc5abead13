--[[
  Cancels a running or waiting saga: it stops advancing and its succeeded steps are compensated, newest first.
  A step attempt in flight finishes first (complete-step and fail-step then turn the saga to compensation);
  a step that is only pending, waiting, or between retries is stopped at once. In a parallel group, the steps
  not in flight are stopped at once and the ones in flight finish first. Refused for a finished saga, and
  for one past a step that has no compensation: such a saga can only go forward. A saga queued behind its
  concurrency key has not begun: it leaves the queue and ends 'compensated' at once, with nothing to undo.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    ARGV[1] reason (may be empty)

  Output:
    { 1, status, phase, cursor, gen, waitIndex, waitEvent, waitKey } the saga's new cursor (still the running
    step when that step is in flight), and the index of a stopped wait or sleep with the event and key it waited
    for ('' otherwise)
    -1 the saga does not exist
    -4 the saga is finished or compensating: { -4, status }
    -7 a step without compensation has run or is running: { -7, status, step }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"
--- @include "includes/group"

local cur = redis.call('HMGET', stateKey, 'status', 'phase', 'cursor', 'gen', 'steps', 'compensable', 'groups',
  'concurrency')
if not cur[1] then
  return { -1 }
end
local status, index, gen = cur[1], tonumber(cur[3]), cur[4]
if status == 'queued' then
  local now = nowMs()
  redis.call('LREM', cur[8] .. ':queued', 0, sagaIdOf(stateKey))
  redis.call('HSET', stateKey, 'cancel', cjson.encode({ reason = ARGV[1], at = now }), 'updatedAt', now)
  appendHistory(historyKey, { at = now, type = 'saga.cancelled', note = ARGV[1] ~= '' and ARGV[1] or nil })
  finish(stateKey, historyKey, 'compensated', now, { at = now, type = 'saga.compensated' })
  return { 1, 'compensated', '', '', gen, '', '', '' }
end
if status ~= 'running' and status ~= 'waiting' then
  return { -4, status }
end
local steps, flags = cjson.decode(cur[5]), cur[6]
-- The steps the cursor is on: one, or a parallel group.
local first, last = groupOf(cur[7], index)
last = last or index
local s = 's' .. index .. '.'
local stepStatus = redis.call('HGET', stateKey, s .. 'status')
if redis.call('HEXISTS', stateKey, 'cancel') == 1 then
  return { 1, status, cur[2], cur[3], gen, '', '', '' }
end
local inFlight = false
for i = 0, last do
  local flag = string.sub(flags, i + 1, i + 1)
  local done = redis.call('HGET', stateKey, 's' .. i .. '.status')
  inFlight = inFlight or (i >= index and done == 'running')
  if flag == '0' and (done == 'succeeded' or (i >= index and done == 'running')) then
    return { -7, status, steps[i + 1] }
  end
end
local now = nowMs()
local entry = { at = now, type = 'saga.cancelled' }
if ARGV[1] ~= '' then
  entry.note = ARGV[1]
end
redis.call('HSET', stateKey, 'cancel', cjson.encode({ reason = ARGV[1], at = now }), 'updatedAt', now)
appendHistory(historyKey, entry)
if first then
  haltGroup(stateKey, historyKey, first, last, now)
end
if inFlight then
  return { 1, status, cur[2], cur[3], gen, '', '', '' }
end
local wait = redis.call('HMGET', stateKey, s .. 'waitEvent', s .. 'waitKey')
if stepStatus == 'retrying' then
  redis.call('HSET', stateKey, s .. 'status', 'failed', s .. 'finishedAt', now)
elseif stepStatus == 'waiting' then
  -- A child step (flag 2) is compensated, which cancels its child; a wait has nothing to undo.
  local stopped = string.sub(flags, index + 1, index + 1) == '2' and 'failed' or 'cancelled'
  redis.call('HSET', stateKey, s .. 'status', stopped, s .. 'finishedAt', now)
end
redis.call('HSET', stateKey, 'holder', '')
local reply = startCompensation(stateKey, historyKey, last, gen, now, true)
reply[6], reply[7], reply[8] = stepStatus == 'waiting' and cur[3] or '', wait[1] or '', wait[2] or ''
return reply
