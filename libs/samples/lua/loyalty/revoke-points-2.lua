--[[
  Takes back the points of an award, at most once. Revoking a key under which nothing was awarded voids it, so
  that a late attempt of the award cannot credit after its compensation.

  Input:
    KEYS[1] awards hash (idempotency key -> award JSON: memberId, orderId, points, status)
    KEYS[2] members hash (member id -> points)
    ARGV[1] idempotency key of the award

  Output:
    { 1 }  revoked now
    { 0 }  revoked (or voided) before: nothing changed
    { -1 } nothing awarded under the key: voided now, no points moved
]]
local awardsKey, membersKey = KEYS[1], KEYS[2]
local idempotencyKey = ARGV[1]

local existing = redis.call('HGET', awardsKey, idempotencyKey)
if not existing then
  redis.call('HSET', awardsKey, idempotencyKey, cjson.encode({ status = 'voided' }))
  return { -1 }
end
local award = cjson.decode(existing)
if award.status ~= 'awarded' then
  return { 0 }
end
redis.call('HINCRBY', membersKey, award.memberId, -award.points)
award.status = 'revoked'
redis.call('HSET', awardsKey, idempotencyKey, cjson.encode(award))
return { 1 }
