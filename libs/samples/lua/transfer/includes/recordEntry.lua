--[[
  Writes a ledger entry under its idempotency key, stamped with Redis' own clock so that entries written from
  different hosts share one time axis. An entry that moved money also counts one application of its key: the
  counter is kept apart from the ledger so that a checker can prove "applied at most once" without trusting it.
  Returns the entry as JSON.
]]
local function recordEntry(ledgerKey, applicationsKey, idempotencyKey, entry)
  local t = redis.call('TIME')
  entry.at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local json = cjson.encode(entry)
  redis.call('HSET', ledgerKey, idempotencyKey, json)
  if entry.applied then
    redis.call('HINCRBY', applicationsKey, idempotencyKey, 1)
  end
  return json
end
