--[[
  Creates a saga, its cursor on the first step, and indexes it. With an idempotency key, a key already taken
  by an earlier start returns that saga instead (or a conflict, when the input differs) and creates nothing.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of all sagas
    KEYS[4] index of the sagas of this name
    KEYS[5] index of active sagas
    KEYS[6] idempotency key record (ignored when ARGV[7] is '')
    KEYS[7] metrics hash
    KEYS[8] index of the sagas of a correlation key (ignored when ARGV[9] is '')
    KEYS[9] lifecycle outbox stream
    ARGV[1] saga name
    ARGV[2] definition version
    ARGV[3] input (JSON)
    ARGV[4] step names (JSON array)
    ARGV[5] compensable flags, one per step
    ARGV[6] saga id
    ARGV[7] hash of the input, or '' without idempotency key
    ARGV[8] how long the idempotency key is kept, in ms
    ARGV[9] the correlation key of the event that started the saga, or ''
    ARGV[10] parallel groups, one character per step (see includes/group.lua), or '' for a saga without any
    ARGV[11] the id of the parent saga of a child saga, or ''
    ARGV[12] the parent's step that runs the child, or ''
    ARGV[13] '1' to write the saga's lifecycle events to the outbox, '0' not to
    ARGV[14] how long the saga is kept once it has ended, in ms, or '' to keep it for ever (see includes/finish.lua)
    ARGV[15] the start's idempotency key, or '': what the saga's removal deletes with it (with ARGV[9])
    ARGV[16] the saga's tags (JSON object of name to value), or ''
    ARGV[17] the id of the saga this one reruns, or ''
    ARGV[18] the shard's key prefix: each tag's index is named from it as SagaKeys.tagIndex names it
    ARGV[19] what the sets of the saga's concurrency key are named from (SagaKeys.concurrency), or '' for none
    ARGV[20] the concurrency key's limit, or ''
    ARGV[21] the trace context the saga's step spans continue (JSON object of headers), or ''

  Output:
    { 1, createdAt, status } status 'running', or 'queued' when the concurrency key's slots are taken: the saga
      waits, with no job, until the transition that ends a saga of the key admits it (see includes/concurrency.lua)
    -2 a saga with this id already exists
    -5 the idempotency key belongs to a saga started with the same input: { -5, sagaId }
    -6 the idempotency key belongs to a saga started with another input: { -6, sagaId }
]]
local stateKey, historyKey, outboxKey = KEYS[1], KEYS[2], KEYS[9]
local sagaId, inputHash = ARGV[6], ARGV[7]
--- @include "includes/now"
--- @include "includes/appendHistory"

if inputHash ~= '' then
  local taken = redis.call('GET', KEYS[6])
  if taken then
    local owner = cjson.decode(taken)
    return { owner.hash == inputHash and -5 or -6, owner.id }
  end
end
if redis.call('EXISTS', stateKey) == 1 then
  return { -2 }
end
local now = nowMs()
local status = 'running'
if ARGV[19] ~= '' then
  local running = ARGV[19] .. ':running'
  if redis.call('ZCARD', running) < tonumber(ARGV[20]) then
    redis.call('ZADD', running, now, sagaId)
  else
    redis.call('RPUSH', ARGV[19] .. ':queued', sagaId)
    status = 'queued'
  end
end
local fields = {
  'name', ARGV[1], 'version', ARGV[2], 'input', ARGV[3], 'steps', ARGV[4], 'compensable', ARGV[5],
  'status', status, 'phase', 'run', 'cursor', '0', 'gen', '0', 'createdAt', now, 'updatedAt', now,
}
if ARGV[10] ~= '' then
  fields[#fields + 1] = 'groups'
  fields[#fields + 1] = ARGV[10]
end
if ARGV[13] == '1' then
  fields[#fields + 1] = 'lc'
  fields[#fields + 1] = '1'
end
setLifecycleHead(ARGV[13] == '1', ARGV[1], status)
-- What ending and removing the saga need: its retention, and the keys outside it that name it.
for field, value in pairs({ retentionMs = ARGV[14], key = ARGV[9], idempotencyKey = ARGV[15], tags = ARGV[16],
  rerunOf = ARGV[17], concurrency = ARGV[19], concurrencyLimit = ARGV[20], trace = ARGV[21] }) do
  if value ~= '' then
    fields[#fields + 1] = field
    fields[#fields + 1] = value
  end
end
if ARGV[11] ~= '' then
  fields[#fields + 1] = 'parent'
  fields[#fields + 1] = ARGV[11]
  fields[#fields + 1] = 'parentStep'
  fields[#fields + 1] = ARGV[12]
end
for i = 0, string.len(ARGV[5]) - 1 do
  fields[#fields + 1] = 's' .. i .. '.status'
  fields[#fields + 1] = 'pending'
end
redis.call('HSET', stateKey, unpack(fields))
appendHistory(historyKey, { at = now, type = 'saga.started', version = tonumber(ARGV[2]) })
redis.call('ZADD', KEYS[3], 0, sagaId)
redis.call('ZADD', KEYS[4], 0, sagaId)
if status == 'queued' then
  -- Out of the active index: no job moves it until it is admitted, so the sweeper has nothing to look for.
  appendHistory(historyKey, { at = now, type = 'saga.queued' })
else
  redis.call('ZADD', KEYS[5], now, sagaId)
end
if ARGV[9] ~= '' then
  redis.call('ZADD', KEYS[8], 0, sagaId)
end
if ARGV[16] ~= '' then
  for name, value in pairs(cjson.decode(ARGV[16])) do
    redis.call('ZADD', ARGV[18] .. ':sagas:tag:' .. name .. '=' .. value, 0, sagaId)
  end
end
redis.call('HINCRBY', KEYS[7], 'started|' .. ARGV[1], 1)
redis.call('HINCRBY', KEYS[7], 'current|' .. ARGV[1] .. '|' .. status, 1)
if inputHash ~= '' then
  redis.call('SET', KEYS[6], cjson.encode({ id = sagaId, hash = inputHash }), 'PX', ARGV[8])
end
return { 1, now, status }
