--[[
  Ends a saga 'completed' or 'compensated': no cursor, out of the active index, `entry` last in its history. A
  saga with a retention (its `retentionMs` field, set at its start) is scheduled for removal at the end of it, in
  the index of ended sagas (KEYS[6] of every transition script, as `expiringKey`), which SagaReaper reads. A saga
  parked for an operator ('compensation_failed') is not ended, and so never removed until it is resolved.
]]
local function finish(stateKey, historyKey, status, now, entry)
  setStatus(stateKey, status)
  redis.call('HSET', stateKey, 'phase', '', 'cursor', '', 'finishedAt', now)
  leaveActive(stateKey)
  appendHistory(historyKey, entry)
  local retentionMs = redis.call('HGET', stateKey, 'retentionMs')
  if retentionMs then
    redis.call('ZADD', expiringKey, now + tonumber(retentionMs), sagaIdOf(stateKey))
  end
end
