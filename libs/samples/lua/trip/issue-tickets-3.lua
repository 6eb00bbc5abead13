--[[
  Issues the tickets of a trip against its two bookings, once per idempotency key, provided both are held.

  Input:
    KEYS[1] bookings hash (idempotency key -> booking JSON)
    KEYS[2] tickets hash (idempotency key -> tickets JSON)
    KEYS[3] the trip's tickets (sorted set of idempotency keys, scored by when they were issued)
    ARGV[1] idempotency key
    ARGV[2] trip id
    ARGV[3] idempotency key of the flight booking
    ARGV[4] idempotency key of the hotel booking
    ARGV[5] the payment's id
    ARGV[6] the amount paid, in cents

  Output:
    { 1, tickets }              issued now
    { 0, tickets }              issued under the key before (and maybe voided since): nothing changed
    { -2, bookingKey, status }  a booking is not held (status '' when there is none): nothing issued
    { -3 }                      the key was voided before any tickets were issued under it: nothing issued
]]
local bookingsKey, ticketsKey, tripKey = KEYS[1], KEYS[2], KEYS[3]
local idempotencyKey, tripId, flightKey, hotelKey = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
--- @include "includes/nowMs"

local existing = redis.call('HGET', ticketsKey, idempotencyKey)
if existing then
  if cjson.decode(existing).issuedAt == nil then
    return { -3 }
  end
  return { 0, existing }
end
for _, bookingKey in ipairs({ flightKey, hotelKey }) do
  local booking = redis.call('HGET', bookingsKey, bookingKey)
  if not booking then
    return { -2, bookingKey, '' }
  end
  local status = cjson.decode(booking).status
  if status ~= 'held' then
    return { -2, bookingKey, status }
  end
end
local now = nowMs()
local json = cjson.encode({
  tripId = tripId,
  flightBookingId = flightKey,
  hotelBookingId = hotelKey,
  paymentId = ARGV[5],
  amountCents = tonumber(ARGV[6]),
  status = 'issued',
  issuedAt = now,
})
redis.call('HSET', ticketsKey, idempotencyKey, json)
redis.call('ZADD', tripKey, now, idempotencyKey)
return { 1, json }
