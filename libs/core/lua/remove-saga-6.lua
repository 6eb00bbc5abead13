--[[
  Removes an ended saga whose retention is over (see includes/finish.lua): its state, history and signals, its entries in
  the index of all sagas, of its name, of its tags and of its correlation keys (its start's, its waits'), the record of
  its start's idempotency key while that still names it. The saga's name leaves the per-status gauge and is counted
  as removed. A saga that is gone, or no longer ended (a parent compensating its child), leaves the schedule.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of all sagas
    KEYS[4] index of ended sagas, scored by when they are removed
    KEYS[5] metrics hash
    KEYS[6] saga signals list
    ARGV[1] the shard's key prefix: the indexes of a name, a tag and a correlation key, and the idempotency
            records, are named from it as SagaKeys names them (keyIndex, nameIndex, tagIndex, idempotency), in the
            saga's slot

  Output:
    { 1, name } removed
    -1 the saga does not exist
    -4 the saga is not ended: { -4, status }
    -8 the saga is not due for removal
]]
local stateKey, historyKey, indexKey, expiringKey, metricsKey, signalsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5],
  KEYS[6]
local prefix = ARGV[1]
--- @include "includes/now"
--- @include "includes/sagaIdOf"

local sagaId = sagaIdOf(stateKey)
local due = redis.call('ZSCORE', expiringKey, sagaId)
if not due or tonumber(due) > nowMs() then
  return { -8 }
end
local cur = redis.call('HMGET', stateKey, 'status', 'name', 'key', 'idempotencyKey', 'steps', 'tags')
if not cur[1] then
  redis.call('ZREM', expiringKey, sagaId)
  return { -1 }
end
if cur[1] ~= 'completed' and cur[1] ~= 'compensated' then
  redis.call('ZREM', expiringKey, sagaId)
  return { -4, cur[1] }
end
local name = cur[2]

local correlationKeys = {}
if cur[3] then
  correlationKeys[cur[3]] = true
end
local waitFields = {}
for i = 0, #cjson.decode(cur[5]) - 1 do
  waitFields[#waitFields + 1] = 's' .. i .. '.waitKey'
end
for _, key in ipairs(redis.call('HMGET', stateKey, unpack(waitFields))) do
  if key then
    correlationKeys[key] = true
  end
end
for key in pairs(correlationKeys) do
  redis.call('ZREM', prefix .. ':sagas:key:' .. key, sagaId)
end
if cur[6] then
  for tag, value in pairs(cjson.decode(cur[6])) do
    redis.call('ZREM', prefix .. ':sagas:tag:' .. tag .. '=' .. value, sagaId)
  end
end
redis.call('ZREM', indexKey, sagaId)
redis.call('ZREM', prefix .. ':sagas:name:' .. name, sagaId)
if cur[4] then
  local recordKey = prefix .. ':idempotency:' .. name .. ':' .. cur[4]
  local record = redis.call('GET', recordKey)
  if record and cjson.decode(record).id == sagaId then
    redis.call('DEL', recordKey)
  end
end
redis.call('HINCRBY', metricsKey, 'current|' .. name .. '|' .. cur[1], -1)
redis.call('HINCRBY', metricsKey, 'removed|' .. name, 1)
redis.call('DEL', stateKey, historyKey, signalsKey)
redis.call('ZREM', expiringKey, sagaId)
return { 1, name }
