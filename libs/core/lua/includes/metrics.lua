--[[
  The metrics hash (KEYS[4] of every transition script, as `metricsKey`): counters kept by the transitions
  themselves, so they count each transition once, whichever process made it. Fields, '|'-separated (names of
  sagas and steps cannot hold '|'):
    started|<saga>                      sagas started
    current|<saga>|<status>             sagas now in a status (a gauge)
    finished|<saga>|<status>            sagas that reached a final or parked status
    removed|<saga>                      ended sagas removed after their retention (by remove-saga-6.lua)
    retries|<saga>|<step>               failed attempts that were retried
    compensations|<saga>|<step>|<outcome>  compensations that succeeded, or failed for good
    duration|<saga>|<step>|<bucket>     successful steps by duration bucket (1-based; one past the last is +Inf)
    duration_sum_ms|<saga>|<step>       their total duration (their count is the buckets' sum)
  The duration buckets must match DURATION_BUCKETS_SECONDS in saga-metrics.ts.
]]
-- Numbers go to Redis as text and constants are tested in code rather than looked up in tables: a script builds
-- its tables on every call, and formats each Lua number it writes as a float.
local function countMetric(field)
  redis.call('HINCRBY', metricsKey, field, '1')
end

-- The bucket (1-based, as text; one past the last is +Inf) of a step that took `ms`. Bounds in ms:
-- 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000.
local function durationBucket(ms)
  if ms <= 100 then
    if ms <= 5 then return '1' elseif ms <= 10 then return '2' elseif ms <= 25 then return '3' end
    if ms <= 50 then return '4' end
    return '5'
  end
  if ms <= 250 then return '6' elseif ms <= 500 then return '7' elseif ms <= 1000 then return '8' end
  if ms <= 2500 then return '9' elseif ms <= 5000 then return '10' elseif ms <= 10000 then return '11' end
  if ms <= 30000 then return '12' elseif ms <= 60000 then return '13' end
  return '14'
end

-- Moves the saga between the per-status gauges for a change of its status to `status`: true if it changes, and
-- the caller then writes the status field. `known`, when given, is the current status: the common case of a
-- status that does not change then costs no read.
local function countStatus(stateKey, status, known)
  if known == status then
    return false
  end
  local cur = redis.call('HMGET', stateKey, 'status', 'name')
  if cur[1] == status then
    return false
  end
  redis.call('HINCRBY', metricsKey, 'current|' .. cur[2] .. '|' .. cur[1], '-1')
  countMetric('current|' .. cur[2] .. '|' .. status)
  if status == 'completed' or status == 'compensated' or status == 'compensation_failed' then
    countMetric('finished|' .. cur[2] .. '|' .. status)
  end
  return true
end

-- Sets the saga's status, and its gauges (see countStatus).
local function setStatus(stateKey, status, known)
  if countStatus(stateKey, status, known) then
    redis.call('HSET', stateKey, 'status', status)
  end
end

-- Counts a step's success, by how long it took from its first attempt's start. `sagaName` and `startedAt`: the
-- saga's name and the step's startedAt, when the caller has read them already.
local function recordDuration(stateKey, index, stepName, now, sagaName, startedAt)
  if not sagaName then
    local cur = redis.call('HMGET', stateKey, 'name', 's' .. index .. '.startedAt')
    sagaName, startedAt = cur[1], cur[2]
  end
  local ms = now - (tonumber(startedAt) or now)
  local series = sagaName .. '|' .. stepName
  countMetric('duration|' .. series .. '|' .. durationBucket(ms))
  redis.call('HINCRBY', metricsKey, 'duration_sum_ms|' .. series, ms)
end

-- Counts a retried attempt, or a compensation's outcome ('succeeded' or 'failed').
local function countStep(stateKey, kind, stepName, outcome)
  local field = kind .. '|' .. redis.call('HGET', stateKey, 'name') .. '|' .. stepName
  countMetric(outcome and (field .. '|' .. outcome) or field)
end
