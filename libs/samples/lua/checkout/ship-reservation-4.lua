--[[
  Moves an order's reserved stock to shipped and creates the record that goes with the move (the shipment) in
  the same step, so neither exists without the other.

  Input:
    KEYS[1] the order's reservation hash
    KEYS[2] reserved stock hash (sku -> units)
    KEYS[3] shipped stock hash (sku -> units)
    KEYS[4] the record to create (the shipment hash)
    ARGV[1] the items to move, in the reservation's form; they must be exactly the reserved items
    ARGV[2..] field, value, ... of the record

  Output:
    { 1 }  moved, record created
    { 0 }  the record already exists: nothing moved
    { -1 } the order holds no reservation of exactly these items: nothing moved
]]
local reservationKey, reservedKey, shippedKey, recordKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

if redis.call('EXISTS', recordKey) == 1 then
  return { 0 }
end
local reservation = redis.call('HMGET', reservationKey, 'status', 'items')
if reservation[1] ~= 'reserved' or reservation[2] ~= ARGV[1] then
  return { -1 }
end
for _, item in ipairs(cjson.decode(ARGV[1])) do
  redis.call('HINCRBY', reservedKey, item.sku, -item.quantity)
  redis.call('HINCRBY', shippedKey, item.sku, item.quantity)
end
redis.call('HSET', reservationKey, 'status', 'shipped')
redis.call('HSET', recordKey, unpack(ARGV, 2))
return { 1 }
