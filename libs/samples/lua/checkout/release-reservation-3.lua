--[[
  Puts an order's reserved stock back to available.

  Input:
    KEYS[1] the order's reservation hash
    KEYS[2] available stock hash (sku -> units)
    KEYS[3] reserved stock hash (sku -> units)

  Output:
    { 1 }  released now
    { 0 }  the order holds nothing reserved (released before, or shipped): nothing moved
    { -1 } the order has no reservation: nothing moved
]]
local reservationKey, availableKey, reservedKey = KEYS[1], KEYS[2], KEYS[3]

local reservation = redis.call('HMGET', reservationKey, 'status', 'items')
if not reservation[1] then
  return { -1 }
end
if reservation[1] ~= 'reserved' then
  return { 0 }
end
for _, item in ipairs(cjson.decode(reservation[2])) do
  redis.call('HINCRBY', reservedKey, item.sku, -item.quantity)
  redis.call('HINCRBY', availableKey, item.sku, item.quantity)
end
redis.call('HSET', reservationKey, 'status', 'released')
return { 1 }
