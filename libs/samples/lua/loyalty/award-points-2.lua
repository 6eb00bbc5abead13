--[[
  Credits points to a member, once per idempotency key.

  Input:
    KEYS[1] awards hash (idempotency key -> award JSON: memberId, orderId, points, status)
    KEYS[2] members hash (member id -> points)
    ARGV[1] idempotency key
    ARGV[2] member id
    ARGV[3] order id
    ARGV[4] points, a positive integer

  Output:
    { 1, award }  credited now
    { 0, award }  an award was made under the key before (it may have been revoked since): nothing changed
    { -1 }        the key was voided by a revocation before any award: nothing changed
]]
local awardsKey, membersKey = KEYS[1], KEYS[2]
local idempotencyKey, memberId, orderId, points = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])

local existing = redis.call('HGET', awardsKey, idempotencyKey)
if existing then
  if cjson.decode(existing).status == 'voided' then
    return { -1 }
  end
  return { 0, existing }
end
redis.call('HINCRBY', membersKey, memberId, points)
local award = cjson.encode({ memberId = memberId, orderId = orderId, points = points, status = 'awarded' })
redis.call('HSET', awardsKey, idempotencyKey, award)
return { 1, award }
