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

-- The lifecycle event type of a history entry's type, or nil for none; the saga's status after a saga-wide event
-- (a step event carries the status the saga had when it happened). If-chains: a table is built on every call.
local function lifecycleType(type)
  if type == 'step.succeeded' then return 'saga.step.succeeded' end
  if type == 'step.failed' then return 'saga.step.failed' end
  if type == 'saga.started' or type == 'saga.compensating' or type == 'saga.completed' or type == 'saga.compensated'
    or type == 'saga.compensation_failed' then
    return type
  end
  return nil
end

local function statusAfter(type)
  -- A saga starts 'running', or 'queued' behind its concurrency key: start-saga sets the head to which.
  if type == 'saga.started' or type == 'saga.step.succeeded' or type == 'saga.step.failed' then return nil end
  return string.sub(type, 6)
end

-- { on, name, status } of the saga, read once per script (checkCursor and start-saga set it from what they read).
local lifecycleHead

local function emitLifecycle(entry)
  local type = lifecycleType(entry.type)
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
    status = statusAfter(type) or lifecycleHead.status, step = entry.step, attempt = tonumber(entry.attempt),
    error = entry.error, at = tonumber(entry.at),
  }
  redis.call('XADD', outboxKey, '*', 'e', cjson.encode(event))
end

-- `at` and `attempt` may be numbers or their digits as text (see includes/now); the line has them as numbers.
-- An entry of the four fields alone, whose step name needs no escaping (names are [A-Za-z0-9_-]), is written
-- without cjson, which costs more than the rest of the append.
local function appendHistory(historyKey, entry)
  local step, attempt = entry.step or '', entry.attempt or 0
  local extra, hasExtra = {}, false
  for field, value in pairs(entry) do
    if field ~= 'at' and field ~= 'type' and field ~= 'step' and field ~= 'attempt' then
      extra[field], hasExtra = value, true
    end
  end
  local line
  if not hasExtra and not string.find(step, '[^%w_-]') then
    line = '[' .. entry.at .. ',"' .. entry.type .. '","' .. step .. '",' .. attempt .. ']'
  else
    line = { tonumber(entry.at), entry.type, step, tonumber(attempt) }
    if hasExtra then
      line[5] = extra
    end
    line = cjson.encode(line)
  end
  redis.call('RPUSH', historyKey, line)
  emitLifecycle(entry)
end
