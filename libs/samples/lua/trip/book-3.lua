--[[
  Books one seat on a flight, or one room in a hotel, for a trip: at most once per idempotency key.

  Input:
    KEYS[1] availability hash of the kind (flight code or hotel id -> seats or rooms left)
    KEYS[2] bookings hash (idempotency key -> booking JSON)
    KEYS[3] the trip's bookings (sorted set of idempotency keys, scored by when they were booked)
    ARGV[1] idempotency key
    ARGV[2] 'flight' or 'hotel'
    ARGV[3] flight code or hotel id
    ARGV[4] trip id
    ARGV[5] nights, for a hotel; 0 for a flight

  Output:
    { 1, booking }   held now
    { 0, booking }   the key records this booking already (held, or cancelled since): nothing changed
    { -1 }           unknown flight or hotel: nothing changed
    { -2 }           no seat or room left: nothing changed
    { -3 }           the key was voided by a cancellation before any booking under it: nothing changed
    { -4, booking }  the key records another booking: nothing changed
]]
local availabilityKey, bookingsKey, tripKey = KEYS[1], KEYS[2], KEYS[3]
local idempotencyKey, kind, item, tripId, nights = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
--- @include "includes/nowMs"

local existing = redis.call('HGET', bookingsKey, idempotencyKey)
if existing then
  local booking = cjson.decode(existing)
  if booking.status == 'voided' then
    return { -3 }
  end
  if booking.kind ~= kind or booking.item ~= item or booking.tripId ~= tripId or (booking.nights or 0) ~= nights then
    return { -4, existing }
  end
  return { 0, existing }
end
local left = redis.call('HGET', availabilityKey, item)
if not left then
  return { -1 }
end
if tonumber(left) < 1 then
  return { -2 }
end
redis.call('HINCRBY', availabilityKey, item, -1)
local now = nowMs()
local booking = { kind = kind, item = item, tripId = tripId, status = 'held', bookedAt = now }
if nights > 0 then
  booking.nights = nights
end
local json = cjson.encode(booking)
redis.call('HSET', bookingsKey, idempotencyKey, json)
redis.call('ZADD', tripKey, now, idempotencyKey)
return { 1, json }
