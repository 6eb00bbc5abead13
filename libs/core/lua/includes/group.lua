--[[
  Parallel groups. The state field 'groups', present only when the definition has parallel groups, holds one
  character per step: '.' a step on its own, '[' the first step of a group, '+' one of the group's others. The
  steps of a group run at once, each in a job of its own, while the cursor stays on the group's first step; the
  saga moves on once every one of them has settled.
]]
--- @include "includes/appendHistory"

-- Whether a step of a group no longer runs. A function, not a table: a script builds its tables on every call.
local function isSettled(status)
  return status == 'succeeded' or status == 'failed' or status == 'skipped' or status == 'cancelled'
end

-- The first and last index of the group holding step `index`, or nil for a step on its own.
local function groupOf(groups, index)
  if not groups then
    return nil
  end
  local mark = string.sub(groups, index + 1, index + 1)
  if mark ~= '[' and mark ~= '+' then
    return nil
  end
  local first, last = index, index
  while string.sub(groups, first + 1, first + 1) == '+' do
    first = first - 1
  end
  while string.sub(groups, last + 2, last + 2) == '+' do
    last = last + 1
  end
  return first, last
end

-- Whether every step of a group has settled, and whether one of them failed for good.
local function groupState(stateKey, first, last)
  local fields = {}
  for i = first, last do
    fields[#fields + 1] = 's' .. i .. '.status'
  end
  local settled, failed = true, false
  for _, status in ipairs(redis.call('HMGET', stateKey, unpack(fields))) do
    settled = settled and isSettled(status)
    failed = failed or status == 'failed'
  end
  return settled, failed
end

-- Stops the steps of a group that have not begun ('cancelled') or wait between attempts ('failed': an attempt
-- of theirs may have taken effect): their jobs find them settled. Attempts in flight are left to finish.
local function haltGroup(stateKey, historyKey, first, last, now)
  local names
  for i = first, last do
    local s = 's' .. i .. '.'
    local status = redis.call('HGET', stateKey, s .. 'status')
    if status == 'pending' or status == 'retrying' then
      names = names or cjson.decode(redis.call('HGET', stateKey, 'steps'))
      local stopped = status == 'pending' and 'cancelled' or 'failed'
      redis.call('HSET', stateKey, s .. 'status', stopped, s .. 'finishedAt', now)
      appendHistory(historyKey, { at = now, type = 'step.stopped', step = names[i + 1] })
    end
  end
end
