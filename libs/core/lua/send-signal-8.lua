--[[
  Records a signal sent to a saga: appended to the saga's signals (its seq is its place among them, from 1) and to
  its history, in one step. A saga waiting for a signal of this name takes it at once: the payload becomes the
  waiting step's output and the saga moves on. Only a saga that still goes forward takes signals: not one that is
  compensating, parked (compensation_failed) or ended. With an idempotency key, a repeat changes nothing and
  answers the first signal's seq, even once the saga has ended; the key's record expires after its TTL.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    KEYS[7] the saga's signals list
    KEYS[8] the record of the idempotency key (ignored without a key)
    ARGV[1] signal name (a name the definition declares: [A-Za-z][A-Za-z0-9_-]*)
    ARGV[2] payload (JSON object)
    ARGV[3] idempotency key, '' for none
    ARGV[4] hash of the name and payload, kept with the key's record
    ARGV[5] how long the key's record is kept, in ms

  Output:
    { 1, status, phase, cursor, gen, seq, index } recorded; `index` is the step whose wait it ended, if any
    -1 the saga does not exist
    -4 the saga does not take signals: { -4, status }
    -5 the key was used for the same signal: { -5, seq }
    -6 the key was used for another signal or payload: { -6, seq }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local signalsKey, recordKey = KEYS[7], KEYS[8]
local name, payload, idempotencyKey, hash = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/nextCompensation"
--- @include "includes/startCompensation"
--- @include "includes/advance"
--- @include "includes/signalWait"

local cur = redis.call('HMGET', stateKey, 'status', 'phase', 'cursor', 'gen', 'steps')
if not cur[1] then
  return { -1 }
end
if idempotencyKey ~= '' then
  local record = redis.call('GET', recordKey)
  if record then
    local first = cjson.decode(record)
    return { first.hash == hash and -5 or -6, first.seq }
  end
end
local status = cur[1]
if status == 'compensating' or status == 'compensation_failed' or status == 'completed'
  or status == 'compensated' then
  return { -4, status }
end
local now = nowMs()
local seq = redis.call('LLEN', signalsKey) + 1
redis.call('RPUSH', signalsKey,
  '{"seq":' .. seq .. ',"name":"' .. name .. '","at":' .. now .. ',"payload":' .. payload .. '}')
appendHistory(historyKey, { at = now, type = 'signal.received', signal = name, seq = seq })
if idempotencyKey ~= '' then
  redis.call('SET', recordKey, cjson.encode({ seq = seq, hash = hash }), 'PX', ARGV[5])
end
if status == 'waiting' then
  local index = tonumber(cur[3])
  local s = 's' .. index .. '.'
  local step = redis.call('HMGET', stateKey, s .. 'status', s .. 'waitSignal')
  if step[1] == 'waiting' and step[2] == name then
    local stepName = cjson.decode(cur[5])[index + 1]
    endSignalWait(stateKey, historyKey, index, stepName, name, seq, payload, now)
    local moved = advance(stateKey, historyKey, index, cur[4], now)
    return { 1, moved[2], moved[3], moved[4], moved[5], seq, index }
  end
end
return { 1, status, cur[2], cur[3], cur[4], seq }
