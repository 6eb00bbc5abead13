--[[
  Ends a saga 'completed' or 'compensated': no cursor, out of the active index, `entry` last in its history. A
  saga with a retention (its `retentionMs` field, set at its start) is scheduled for removal at the end of it, in
  the index of ended sagas (KEYS[6] of every transition script, as `expiringKey`), which SagaReaper reads. A saga
  parked for an operator ('compensation_failed') is not ended, and so never removed until it is resolved, nor
  does it free its concurrency key's slot (see includes/concurrency.lua).

  `writeHeld`, when given, writes what the caller held back (a step's success, see includes/advance) with the
  end's fields in one HSET and the end's entry after its own in one RPUSH; `entry` then has `at` and `type` alone.
]]
--- @include "includes/concurrency"
local function finish(stateKey, historyKey, status, now, entry, writeHeld)
  -- The status is written even when it does not change: the same one HSET.
  countStatus(stateKey, status)
  if writeHeld then
    writeHeld(stepHistoryLine(now, entry.type), 'status', status, 'phase', '', 'cursor', '', 'finishedAt', now)
    emitLifecycle(entry.type, nil, nil, nil, now, nil)
  else
    redis.call('HSET', stateKey, 'status', status, 'phase', '', 'cursor', '', 'finishedAt', now)
    appendHistory(historyKey, entry)
  end
  leaveActive(stateKey)
  local kept = redis.call('HMGET', stateKey, 'retentionMs', 'concurrency', 'concurrencyLimit')
  if kept[1] then
    redis.call('ZADD', expiringKey, now + tonumber(kept[1]), sagaIdOf(stateKey))
  end
  if kept[2] then
    releaseSlot(stateKey, kept[2], kept[3], now)
  end
end
