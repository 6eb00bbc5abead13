--[[
  Creates a saga, its cursor on the first step.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    ARGV[1] saga name
    ARGV[2] definition version
    ARGV[3] input (JSON)
    ARGV[4] step names (JSON array)
    ARGV[5] compensable flags, one '1' or '0' per step

  Output:
    { 1, createdAt }
    -2 a saga with this id already exists
]]
local stateKey, historyKey = KEYS[1], KEYS[2]
--- @include "includes/now"
--- @include "includes/appendHistory"

if redis.call('EXISTS', stateKey) == 1 then
  return { -2 }
end
local now = nowMs()
local fields = {
  'name', ARGV[1], 'version', ARGV[2], 'input', ARGV[3], 'steps', ARGV[4], 'compensable', ARGV[5],
  'status', 'running', 'phase', 'run', 'cursor', '0', 'gen', '0', 'createdAt', now, 'updatedAt', now,
}
for i = 0, string.len(ARGV[5]) - 1 do
  fields[#fields + 1] = 's' .. i .. '.status'
  fields[#fields + 1] = 'pending'
end
redis.call('HSET', stateKey, unpack(fields))
appendHistory(historyKey, { at = now, type = 'saga.started', version = tonumber(ARGV[2]) })
return { 1, now }
