--[[
  Cancels a shipment that has not been delivered and puts its stock back to available, in one step.

  Input:
    KEYS[1] the order's reservation hash
    KEYS[2] shipped stock hash (sku -> units)
    KEYS[3] available stock hash (sku -> units)
    KEYS[4] the shipment hash; its 'status' field is 'created', 'cancelled' or 'delivered'

  Output:
    { 1 }  returned now, shipment cancelled
    { 0 }  the shipment was cancelled before: nothing moved
    { -1 } no shipment: nothing moved
    { -2 } the shipment was delivered: nothing moved
]]
local reservationKey, shippedKey, availableKey, shipmentKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local status = redis.call('HGET', shipmentKey, 'status')
if not status then
  return { -1 }
end
if status == 'delivered' then
  return { -2 }
end
if status == 'cancelled' then
  return { 0 }
end
for _, item in ipairs(cjson.decode(redis.call('HGET', reservationKey, 'items'))) do
  redis.call('HINCRBY', shippedKey, item.sku, -item.quantity)
  redis.call('HINCRBY', availableKey, item.sku, item.quantity)
end
-- 'returned' keeps a later release of the reservation from moving the same units again.
redis.call('HSET', reservationKey, 'status', 'returned')
redis.call('HSET', shipmentKey, 'status', 'cancelled')
return { 1 }
