--[[
  Records a captured charge, once per order.

  Input:
    KEYS[1] the order's payment hash
    ARGV[1] charge id, used only if the order was not charged yet
    ARGV[2] amount in cents
    ARGV[3] last 4 digits of the card
    ARGV[4] '1' if the processor rejects refunds of this card, else '0'
    ARGV[5] idempotency key of the charge

  Output:
    { 1, chargeId, amountCents }  captured now
    { 0, chargeId, amountCents }  the order was charged before: nothing captured
]]
local paymentKey = KEYS[1]

local existing = redis.call('HMGET', paymentKey, 'chargeId', 'amountCents')
if existing[1] then
  return { 0, existing[1], existing[2] }
end
redis.call('HSET', paymentKey, 'chargeId', ARGV[1], 'status', 'captured', 'amountCents', ARGV[2],
  'cardLast4', ARGV[3], 'refundsRejected', ARGV[4], 'chargeIdempotencyKey', ARGV[5])
return { 1, ARGV[1], ARGV[2] }
