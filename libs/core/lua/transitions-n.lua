--[[
  Runs the begin-step and complete-step transitions of many sagas of one shard in one call: the workers of a busy
  process send theirs together, so that Redis reads, parses and answers one command for all of them. Each
  transition is the same as its own script's, run one after the other; one that fails (a Redis error) answers
  that error in its place and the others still run.

  Input:
    KEYS[1] index of active sagas
    KEYS[2] metrics hash
    KEYS[3] lifecycle outbox stream
    KEYS[4] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    KEYS[3 + 2t], KEYS[4 + 2t] saga state hash and history list of transition t (1-based)
    ARGV per transition, in order: 'begin' or 'complete', the number n of its arguments, then its n arguments as
      begin-step-6.lua or complete-step-6.lua takes them

  Output:
    per transition, its script's reply, or an error reply
]]
local activeKey, metricsKey, outboxKey, expiringKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
-- The saga of the transition running: the steps' bodies and the includes read these.
local stateKey, historyKey
--- @include "includes/beginStep"
--- @include "includes/completeStep"

local replies = {}
local at = 1
for t = 1, (#KEYS - 4) / 2 do
  local transition = ARGV[at] == 'begin' and beginStep or completeStep
  local count = tonumber(ARGV[at + 1])
  stateKey, historyKey = KEYS[3 + 2 * t], KEYS[4 + 2 * t]
  local ok, reply = pcall(transition, ARGV, at + 1, count)
  at = at + 2 + count
  if ok then
    replies[t] = reply
  else
    replies[t] = redis.error_reply(type(reply) == 'table' and reply.err or tostring(reply))
  end
end
return replies
