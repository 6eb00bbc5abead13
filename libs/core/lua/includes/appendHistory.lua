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

-- Whether the saga has lifecycle events on, its name and its status: read once per transition (checkCursor and
-- start-saga set them from what they read). Values rather than a table: a script's tables cost more than its reads.
local lifecycleRead, lifecycleOn, lifecycleName, lifecycleStatus

local function setLifecycleHead(on, name, status)
  lifecycleRead, lifecycleOn, lifecycleName, lifecycleStatus = true, on, name, status
end

local function emitLifecycle(entryType, step, attempt, err, at, willRetry)
  local type = lifecycleType(entryType)
  -- A failed attempt that is retried is not news; a step failed for good is.
  if not type or (entryType == 'step.failed' and willRetry) then
    return
  end
  if not lifecycleRead then
    local head = redis.call('HMGET', stateKey, 'lc', 'name', 'status')
    setLifecycleHead(head[1] == '1', head[2], head[3])
  end
  if not lifecycleOn then
    return
  end
  local event = {
    v = 1, type = type, sagaId = sagaIdOf(stateKey), saga = lifecycleName,
    status = statusAfter(type) or lifecycleStatus, step = step, attempt = tonumber(attempt),
    error = err, at = tonumber(at),
  }
  redis.call('XADD', outboxKey, '*', 'e', cjson.encode(event))
end

-- An entry of the four fields alone (`step` and `attempt` nil for a saga's own), the most common: written without a
-- table for the entry, and without cjson when the step name needs no escaping (names are [A-Za-z0-9_-]), which
-- costs more than the rest of the append.
local function stepHistoryLine(at, type, step, attempt)
  local name, number = step or '', attempt or 0
  if string.find(name, '[^%w_-]') then
    return cjson.encode({ tonumber(at), type, name, tonumber(number) })
  end
  return '[' .. at .. ',"' .. type .. '","' .. name .. '",' .. number .. ']'
end

-- Appends such an entry; with `heldLine`, a line the caller held back, first, in the same RPUSH.
local function appendStepHistory(historyKey, at, type, step, attempt, heldLine)
  if heldLine then
    redis.call('RPUSH', historyKey, heldLine, stepHistoryLine(at, type, step, attempt))
  else
    redis.call('RPUSH', historyKey, stepHistoryLine(at, type, step, attempt))
  end
  emitLifecycle(type, step, attempt, nil, at, nil)
end

-- `at` and `attempt` may be numbers or their digits as text (see includes/now); the line has them as numbers.
-- An entry of the four fields alone goes as appendStepHistory writes it.
local function appendHistory(historyKey, entry)
  local extra
  for field, value in pairs(entry) do
    if field ~= 'at' and field ~= 'type' and field ~= 'step' and field ~= 'attempt' then
      extra = extra or {}
      extra[field] = value
    end
  end
  if not extra then
    return appendStepHistory(historyKey, entry.at, entry.type, entry.step, entry.attempt)
  end
  local line = { tonumber(entry.at), entry.type, entry.step or '', tonumber(entry.attempt or 0), extra }
  redis.call('RPUSH', historyKey, cjson.encode(line))
  emitLifecycle(entry.type, entry.step, entry.attempt, entry.error, entry.at, entry.willRetry)
end
