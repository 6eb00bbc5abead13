--[[
  Frees the slot of a saga's concurrency key as the saga ends (its `concurrency` field names the key's sets, see
  SagaKeys.concurrency), and admits the oldest queued sagas of the key while the key's limit has room: each turns
  'running' on its first step, back in the active index, with `saga.admitted` in its history. Their ids go to the
  ending saga's `admitted` field: the process that follows this transition adds their first jobs (see
  ConcurrencyAdmissions); after a crash, the sweeper does. Needs setStatus (includes/metrics), appendHistory,
  sagaIdOf and the script's `activeKey`.
]]
local function releaseSlot(stateKey, slots, limit, now)
  local running, queued = slots .. ':running', slots .. ':queued'
  if redis.call('ZREM', running, sagaIdOf(stateKey)) == 0 then
    return
  end
  -- The sagas of a key share a shard, so their state keys differ from this one by the id alone.
  local statePrefix = string.sub(stateKey, 1, -(string.len(sagaIdOf(stateKey)) + 2))
  local admitted = {}
  while redis.call('ZCARD', running) < tonumber(limit) do
    local nextId = redis.call('LPOP', queued)
    if not nextId then
      break
    end
    local nextKey = statePrefix .. nextId .. '}'
    -- A queued saga that was cancelled has ended already, and is skipped.
    local next = redis.call('HMGET', nextKey, 'status', 'createdAt')
    if next[1] == 'queued' then
      setStatus(nextKey, 'running')
      redis.call('HSET', nextKey, 'updatedAt', now, 'admittedAt', now)
      redis.call('ZADD', running, now, nextId)
      redis.call('ZADD', activeKey, next[2], nextId)
      appendHistory(nextKey .. ':history', { at = now, type = 'saga.admitted' })
      admitted[#admitted + 1] = nextId
    end
  end
  if #admitted > 0 then
    redis.call('HSET', stateKey, 'admitted', table.concat(admitted, ' '))
  end
end
