--[[
  Withdraws tickets, at most once. Voiding a key under which nothing was issued records it as voided, so that a
  late attempt of the issue cannot apply after its compensation.

  Input:
    KEYS[1] tickets hash (idempotency key -> tickets JSON)
    ARGV[1] idempotency key of the tickets
    ARGV[2] trip id

  Output:
    { 1 }   voided now
    { 0 }   voided before: nothing changed
    { -1 }  nothing was issued under the key: voided now, nothing else changed
]]
local ticketsKey = KEYS[1]
local idempotencyKey, tripId = ARGV[1], ARGV[2]

local existing = redis.call('HGET', ticketsKey, idempotencyKey)
if not existing then
  redis.call('HSET', ticketsKey, idempotencyKey, cjson.encode({ tripId = tripId, status = 'voided' }))
  return { -1 }
end
local tickets = cjson.decode(existing)
if tickets.status ~= 'issued' then
  return { 0 }
end
tickets.status = 'voided'
redis.call('HSET', ticketsKey, idempotencyKey, cjson.encode(tickets))
return { 1 }
