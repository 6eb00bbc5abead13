--[[
  Reserves stock for one order, all or nothing: either every item moves from available to reserved, or none.

  Input:
    KEYS[1] the order's reservation hash
    KEYS[2] available stock hash (sku -> units)
    KEYS[3] reserved stock hash (sku -> units)
    ARGV[1] reservation id, used only if the order holds no reservation yet
    ARGV[2] items, JSON [{ "sku", "quantity" }] with one entry per SKU, sorted by SKU

  Output:
    { 1, reservationId, items }  reserved now
    { 0, reservationId, items }  the order already has a reservation (whatever its status): nothing moved
    { -1, sku }                  unknown SKU: nothing moved
    { -2, sku, available }       not enough available: nothing moved
]]
local reservationKey, availableKey, reservedKey = KEYS[1], KEYS[2], KEYS[3]

local existing = redis.call('HMGET', reservationKey, 'reservationId', 'items')
if existing[1] then
  return { 0, existing[1], existing[2] }
end

local items = cjson.decode(ARGV[2])
-- Check every item before moving any, so a shortage leaves all figures untouched.
for _, item in ipairs(items) do
  local available = redis.call('HGET', availableKey, item.sku)
  if not available then
    return { -1, item.sku }
  end
  if tonumber(available) < item.quantity then
    return { -2, item.sku, available }
  end
end
for _, item in ipairs(items) do
  redis.call('HINCRBY', availableKey, item.sku, -item.quantity)
  redis.call('HINCRBY', reservedKey, item.sku, item.quantity)
end
redis.call('HSET', reservationKey, 'reservationId', ARGV[1], 'status', 'reserved', 'items', ARGV[2])
return { 1, ARGV[1], ARGV[2] }
