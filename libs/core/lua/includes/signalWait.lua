--[[
  What a wait for a signal needs (see send-signal-8.lua and park-wait-8.lua). A saga's signals are a list (its
  `signalsKey`), oldest first, each entry written by send-signal-8.lua as
  {"seq":<n>,"name":"<name>","at":<ms>,"payload":<JSON>}, so that `seq` is the entry's place in the list, from 1.
  The state field `sigTaken:<name>` holds the seq of the newest signal of that name that ended a wait: each signal
  ends at most one wait, the oldest not yet taken first.
]]

-- The seq, name and payload (JSON) of a signal's list entry.
local function parseSignal(entry)
  local seq, name, payload = string.match(entry, '^{"seq":(%d+),"name":"([^"]+)","at":%d+,"payload":(.*)}$')
  return seq, name, payload
end

-- Ends the wait of step `index` with signal `seq` of `name`: its payload becomes the step's output.
local function endSignalWait(stateKey, historyKey, index, stepName, name, seq, payload, now)
  local s = 's' .. index .. '.'
  redis.call('HSET', stateKey, s .. 'status', 'succeeded', s .. 'output', payload, s .. 'signal', seq,
    s .. 'finishedAt', now, 'sigTaken:' .. name, seq, 'holder', '', 'updatedAt', now)
  recordDuration(stateKey, index, stepName, now)
  appendHistory(historyKey, { at = now, type = 'step.succeeded', step = stepName, attempt = 1, signal = name,
    seq = tonumber(seq) })
end
