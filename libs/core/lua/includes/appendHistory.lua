--[[
  Appends an entry to a saga's history, compactly, since it is kept for every saga: a JSON array
  [at, type, step or '', attempt or 0] followed by an object of the entry's other fields, when it has any.

  The entries that tell other services what the saga did are also written to the lifecycle outbox (the stream
  `outboxKey`, declared by every script that appends history), in the same script as the change: a relay
  publishes them to the configured brokers, and live readers follow the stream. Only for a saga started with
  lifecycle events on (its 'lc' field). The fields: v (schema version), type, sagaId, saga, status, step,
  attempt, error, at (Redis time in ms).
]]
--- @include "includes/sagaIdOf"
local LIFECYCLE_TYPES = {
  ['saga.started'] = 'saga.started',
  ['step.succeeded'] = 'saga.step.succeeded',
  ['step.failed'] = 'saga.step.failed',
  ['saga.compensating'] = 'saga.compensating',
  ['saga.completed'] = 'saga.completed',
  ['saga.compensated'] = 'saga.compensated',
  ['saga.compensation_failed'] = 'saga.compensation_failed',
}
-- The saga's status after a saga-wide event; a step event carries the status the saga had when it happened.
local STATUS_AFTER = {
  ['saga.started'] = 'running',
  ['saga.compensating'] = 'compensating',
  ['saga.completed'] = 'completed',
  ['saga.compensated'] = 'compensated',
  ['saga.compensation_failed'] = 'compensation_failed',
}
-- { on, name, status } of the saga, read once per script (checkCursor and start-saga set it from what they read).
local lifecycleHead

local function emitLifecycle(entry)
  local type = LIFECYCLE_TYPES[entry.type]
  -- A failed attempt that is retried is not news; a step failed for good is.
  if not type or (entry.type == 'step.failed' and entry.willRetry) then
    return
  end
  if not lifecycleHead then
    local head = redis.call('HMGET', stateKey, 'lc', 'name', 'status')
    lifecycleHead = { on = head[1] == '1', name = head[2], status = head[3] }
  end
  if not lifecycleHead.on then
    return
  end
  local event = {
    v = 1, type = type, sagaId = sagaIdOf(stateKey), saga = lifecycleHead.name,
    status = STATUS_AFTER[type] or lifecycleHead.status, step = entry.step, attempt = entry.attempt,
    error = entry.error, at = entry.at,
  }
  redis.call('XADD', outboxKey, '*', 'e', cjson.encode(event))
end

local function appendHistory(historyKey, entry)
  local line = { entry.at, entry.type, entry.step or '', entry.attempt or 0 }
  local extra, hasExtra = {}, false
  for field, value in pairs(entry) do
    if field ~= 'at' and field ~= 'type' and field ~= 'step' and field ~= 'attempt' then
      extra[field], hasExtra = value, true
    end
  end
  if hasExtra then
    line[5] = extra
  end
  redis.call('RPUSH', historyKey, cjson.encode(line))
  emitLifecycle(entry)
end
