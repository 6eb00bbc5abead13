--[[
  Cancels a booking, at most once: its seat or room goes back on sale. Cancelling a key under which nothing was
  booked voids it, so that a late attempt of the booking cannot apply after its compensation.

  Input:
    KEYS[1] availability hash of the kind (flight code or hotel id -> seats or rooms left)
    KEYS[2] bookings hash (idempotency key -> booking JSON)
    ARGV[1] idempotency key of the booking
    ARGV[2] 'flight' or 'hotel'
    ARGV[3] flight code or hotel id
    ARGV[4] trip id

  Output:
    { 1, booking }   cancelled now: the seat or room is on sale again
    { 0, booking }   cancelled, or voided, before: nothing changed
    { -1, booking }  nothing was booked under the key: voided now, nothing else changed
    { -4, booking }  the key records another booking: nothing changed
]]
local availabilityKey, bookingsKey = KEYS[1], KEYS[2]
local idempotencyKey, kind, item, tripId = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
--- @include "includes/nowMs"

local existing = redis.call('HGET', bookingsKey, idempotencyKey)
if not existing then
  local voided = cjson.encode({ kind = kind, item = item, tripId = tripId, status = 'voided', cancelledAt = nowMs() })
  redis.call('HSET', bookingsKey, idempotencyKey, voided)
  return { -1, voided }
end
local booking = cjson.decode(existing)
if booking.kind ~= kind or booking.item ~= item or booking.tripId ~= tripId then
  return { -4, existing }
end
if booking.status ~= 'held' then
  return { 0, existing }
end
redis.call('HINCRBY', availabilityKey, item, 1)
booking.status = 'cancelled'
booking.cancelledAt = nowMs()
local json = cjson.encode(booking)
redis.call('HSET', bookingsKey, idempotencyKey, json)
return { 1, json }
