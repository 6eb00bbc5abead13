--[[
  Records a notification sent to a member, once per idempotency key, and makes the member known.

  Input:
    KEYS[1] sent hash (idempotency key -> notification JSON)
    KEYS[2] the member's notification list
    KEYS[3] members hash (member id -> points)
    ARGV[1] idempotency key
    ARGV[2] member id
    ARGV[3] the notification (JSON), used only if none was sent under the key

  Output:
    { 1, notification }  sent now
    { 0, notification }  sent before under the key: nothing changed
]]
local sentKey, listKey, membersKey = KEYS[1], KEYS[2], KEYS[3]
local idempotencyKey, memberId, notification = ARGV[1], ARGV[2], ARGV[3]

local existing = redis.call('HGET', sentKey, idempotencyKey)
if existing then
  return { 0, existing }
end
redis.call('HSET', sentKey, idempotencyKey, notification)
redis.call('RPUSH', listKey, notification)
redis.call('HSETNX', membersKey, memberId, 0)
return { 1, notification }
