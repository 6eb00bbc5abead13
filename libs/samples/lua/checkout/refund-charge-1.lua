--[[
  Refunds an order's captured charge, once.

  Input:
    KEYS[1] the order's payment hash
    ARGV[1] idempotency key of the refund

  Output:
    { 1 }  refunded now
    { 0 }  refunded before: nothing changed
    { -1 } the order was never charged
    { -2 } the processor rejects refunds of this card: nothing changed
]]
local payment = redis.call('HMGET', KEYS[1], 'status', 'refundsRejected')
if not payment[1] then
  return { -1 }
end
if payment[1] == 'refunded' then
  return { 0 }
end
if payment[2] == '1' then
  return { -2 }
end
redis.call('HSET', KEYS[1], 'status', 'refunded', 'refundIdempotencyKey', ARGV[1])
return { 1 }
