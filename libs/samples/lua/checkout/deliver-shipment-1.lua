--[[
  Marks a shipment delivered; from then on it cannot be cancelled. The first delivery's time is kept.

  Input:
    KEYS[1] the shipment hash
    ARGV[1] when it is delivered, ISO 8601

  Output:
    { 1 }  delivered now
    { 0 }  delivered before: nothing changed
    { -1 } no shipment
    { -2 } the shipment was cancelled: nothing changed
]]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return { -1 }
end
if status == 'cancelled' then
  return { -2 }
end
if status == 'delivered' then
  return { 0 }
end
redis.call('HSET', KEYS[1], 'status', 'delivered', 'deliveredAt', ARGV[1])
return { 1 }
