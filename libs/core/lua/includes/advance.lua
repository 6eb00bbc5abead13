--[[
  Moves a saga on after its step `index` succeeded (or was skipped): in a parallel group, nowhere until the
  group's other steps have settled (phase 'join'), then to compensation if one of them failed for good; to
  compensation when a cancellation waits for the step to finish; to the end after the last step; else to the next
  step. `status` is the saga's status before, and `cancel`, `compensable` and `groups` its fields, when the caller
  has read them already (compensable is never nil then). Returns { 1, status, phase, cursor, gen }.

  `writeHeld`, when given, writes what the caller has held back (the step's success): advance calls it before it
  reads or writes anything, except at the saga's end, which writes it with its own (includes/finish), and on the
  plain move to the next step, where it writes nothing and returns the new cursor second, for the caller to write
  with the rest and the next attempt's begin (each write is a command of its own in the AOF and to replicas).
]]
--- @include "includes/group"
--- @include "includes/finish"

local function advance(stateKey, historyKey, index, gen, now, status, cancel, compensable, groups, writeHeld)
  if not compensable then
    local cur = redis.call('HMGET', stateKey, 'cancel', 'compensable', 'groups')
    cancel, compensable, groups = cur[1], cur[2], cur[3]
  end
  local first, last = groupOf(groups, index)
  local nextIndex = (first and last or index) + 1
  if writeHeld and (first or cancel) then
    writeHeld()
    writeHeld = nil
  end
  if first then
    local settled, failed = groupState(stateKey, first, last)
    if not settled then
      return { 1, status or redis.call('HGET', stateKey, 'status'), 'join', tostring(first), gen }
    end
    if failed then
      return startCompensation(stateKey, historyKey, last, gen, now, true)
    end
    index = last
  end
  if cancel then
    return startCompensation(stateKey, historyKey, index, gen, now, true)
  end
  if nextIndex >= string.len(compensable) then
    finish(stateKey, historyKey, 'completed', now, { at = now, type = 'saga.completed' }, writeHeld)
    return { 1, 'completed', '', '', gen }
  end
  setStatus(stateKey, 'running', status)
  -- As text with '%d': tostring formats a Lua number as a float.
  local cursor = string.format('%d', nextIndex)
  if writeHeld then
    return { 1, 'running', 'run', cursor, gen }, cursor
  end
  redis.call('HSET', stateKey, 'cursor', cursor)
  return { 1, 'running', 'run', cursor, gen }
end
