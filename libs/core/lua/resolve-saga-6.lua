--[[
  An operator marks a parked saga as handled by hand: it ends 'compensated', with the note in its history. The
  step whose compensation failed keeps that status, so the record still shows what the engine could not undo.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    ARGV[1] note

  Output:
    { 1, status, phase, cursor, gen } the saga's new cursor
    -1 the saga does not exist
    -4 the saga is not parked: { -4, status }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/metrics"
--- @include "includes/leaveActive"
--- @include "includes/checkParked"
--- @include "includes/finish"

local cur, refused = checkParked(stateKey, 'gen')
if refused then
  return refused
end
local now = nowMs()
redis.call('HSET', stateKey, 'updatedAt', now)
finish(stateKey, historyKey, 'compensated', now, { at = now, type = 'saga.resolved', note = ARGV[1] })
return { 1, 'compensated', '', '', cur[2] }
