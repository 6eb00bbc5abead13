--[[
  Applies a debit or a credit to one account, at most once per idempotency key.

  Input:
    KEYS[1] accounts hash (account id -> balance in cents)
    KEYS[2] ledger hash (idempotency key -> entry JSON)
    KEYS[3] applications hash (idempotency key -> times its operation moved money)
    KEYS[4] reversals hash (idempotency key of an operation -> idempotency key of its reverse)
    ARGV[1] idempotency key
    ARGV[2] 'debit' or 'credit'
    ARGV[3] account id
    ARGV[4] amount in cents, a positive integer

  Output:
    { 1, idempotencyKey, entry }  applied now
    { 0, idempotencyKey, entry }  the key already records an operation (this one or another): nothing changed
    { -1 }                        unknown account: nothing changed
    { -2, balance }               a debit beyond the balance: nothing changed
    { -3, reverseKey }            reversed before it applied, so it never will: nothing changed
]]
local accountsKey, ledgerKey, applicationsKey, reversalsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local idempotencyKey, op, account, amountCents = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
--- @include "includes/recordEntry"

local existing = redis.call('HGET', ledgerKey, idempotencyKey)
if existing then
  return { 0, idempotencyKey, existing }
end
local reverseKey = redis.call('HGET', reversalsKey, idempotencyKey)
if reverseKey then
  return { -3, reverseKey }
end
local balance = redis.call('HGET', accountsKey, account)
if not balance then
  return { -1 }
end
local delta = amountCents
if op == 'debit' then
  delta = -amountCents
end
if tonumber(balance) + delta < 0 then
  return { -2, balance }
end
redis.call('HINCRBY', accountsKey, account, delta)
local entry = { op = op, account = account, amountCents = amountCents, applied = true }
return { 1, idempotencyKey, recordEntry(ledgerKey, applicationsKey, idempotencyKey, entry) }
