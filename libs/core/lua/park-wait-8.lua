--[[
  Parks a saga at a wait (or sleep) step whose attempt has begun: the saga's status becomes 'waiting' until the
  event or signal arrives or the timer fires. The deadline is set once, so a redelivered job parks with the same
  one. A saga cancelled while the step began is not parked: it turns to compensation. A wait for a signal that the
  saga has received already, and no earlier wait took, is not parked either: the signal ends it at once.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    KEYS[7] index of the sagas of the wait's correlation key (untouched but for a wait for an event)
    KEYS[8] the saga's signals list (read by a wait for a signal)
    ARGV[1] phase: 'run'
    ARGV[2] step index
    ARGV[3] cursor generation
    ARGV[4] step name
    ARGV[5] event type, '' for a sleep
    ARGV[6] correlation key, '' for a sleep
    ARGV[7] timeout in ms
    ARGV[8] id of the timer job, which holds the saga while it waits
    ARGV[9] signal name, '' but for a wait for a signal

  Output:
    { 1, status, phase, cursor, gen, until, now } parked until `until` (Redis time in ms), or the cursor of the
    cancelled saga's compensation, or of the saga moved on by a signal received before (no `until`)
    -1 the saga does not exist
    -3 stale job: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local phase, index, gen, stepName = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local eventType, key, signalName = ARGV[5], ARGV[6], ARGV[9]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/checkCursor"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"
--- @include "includes/advance"
--- @include "includes/signalWait"

local stale = checkCursor(stateKey, phase, index, gen)
if stale then
  return stale
end
local now = nowMs()
local s = 's' .. index .. '.'
if redis.call('HEXISTS', stateKey, 'cancel') == 1 then
  redis.call('HSET', stateKey, s .. 'status', 'cancelled', s .. 'finishedAt', now, 'holder', '', 'updatedAt', now)
  return startCompensation(stateKey, historyKey, tonumber(index) - 1, gen, now, true)
end
local kept
if signalName ~= '' then
  -- Signals up to the newest taken one are all taken or of other names: the search starts after it.
  local taken = redis.call('HGET', stateKey, 'sigTaken:' .. signalName) or '0'
  for _, entry in ipairs(redis.call('LRANGE', KEYS[8], taken, -1)) do
    local seq, name, payload = parseSignal(entry)
    if name == signalName then
      kept = { seq = seq, payload = payload }
      break
    end
  end
end
local untilMs = tonumber(redis.call('HGET', stateKey, s .. 'until'))
if not untilMs then
  untilMs = now + tonumber(ARGV[7])
  local entry = { at = now, type = 'step.waiting', step = stepName, ['until'] = untilMs }
  if eventType ~= '' then
    entry.event, entry.key = eventType, key
    redis.call('HSET', stateKey, s .. 'waitEvent', eventType, s .. 'waitKey', key)
    redis.call('ZADD', KEYS[7], 0, sagaIdOf(stateKey))
  elseif signalName ~= '' then
    entry.signal = signalName
    redis.call('HSET', stateKey, s .. 'waitSignal', signalName)
  end
  appendHistory(historyKey, entry)
end
if kept then
  redis.call('HSET', stateKey, s .. 'until', untilMs)
  endSignalWait(stateKey, historyKey, index, stepName, signalName, kept.seq, kept.payload, now)
  return advance(stateKey, historyKey, tonumber(index), gen, now)
end
setStatus(stateKey, 'waiting')
redis.call('HSET', stateKey, s .. 'status', 'waiting', s .. 'until', untilMs,
  'holder', ARGV[8], 'updatedAt', now, 'waitUntil', untilMs)
return { 1, 'waiting', phase, index, gen, tostring(untilMs), tostring(now) }
