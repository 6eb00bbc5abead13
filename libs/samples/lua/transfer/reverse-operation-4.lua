--[[
  Reverses a debit or a credit: at most once per idempotency key, and at most once per operation whatever the
  key. The reverse of an operation that was never applied moves nothing and is recorded as a no-op; it also
  voids that operation, so a late attempt of it cannot apply after its compensation.

  Input:
    KEYS[1] accounts hash (account id -> balance in cents)
    KEYS[2] ledger hash (idempotency key -> entry JSON)
    KEYS[3] applications hash (idempotency key -> times its operation moved money)
    KEYS[4] reversals hash (idempotency key of an operation -> idempotency key of its reverse)
    ARGV[1] idempotency key of the reverse
    ARGV[2] 'reverseDebit' or 'reverseCredit'
    ARGV[3] account id
    ARGV[4] amount in cents, a positive integer
    ARGV[5] idempotency key of the operation to reverse
    ARGV[6] the kind that operation must be: 'debit' or 'credit'

  Output:
    { 1, idempotencyKey, entry }  recorded now: applied, or a no-op when the operation was never applied
    { 0, idempotencyKey, entry }  the key already records an operation, or the operation was reversed under
                                  another key (then that key and its entry): nothing changed
    { -2, balance }               reversing a credit the account no longer holds: nothing changed
    { -4, operationKey, entry }   the operation to reverse is another kind, account or amount: nothing changed
]]
local accountsKey, ledgerKey, applicationsKey, reversalsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local idempotencyKey, op, account, amountCents = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local operationKey, operationKind = ARGV[5], ARGV[6]
--- @include "includes/recordEntry"

local existing = redis.call('HGET', ledgerKey, idempotencyKey)
if existing then
  return { 0, idempotencyKey, existing }
end
local earlierReverse = redis.call('HGET', reversalsKey, operationKey)
if earlierReverse then
  return { 0, earlierReverse, redis.call('HGET', ledgerKey, earlierReverse) }
end

local entry = { op = op, account = account, amountCents = amountCents, reverses = operationKey, applied = false }
local recorded = redis.call('HGET', ledgerKey, operationKey)
if recorded then
  local operation = cjson.decode(recorded)
  if operation.op ~= operationKind or operation.account ~= account or operation.amountCents ~= amountCents then
    return { -4, operationKey, recorded }
  end
  local delta = amountCents
  if operationKind == 'credit' then
    delta = -amountCents
  end
  local balance = redis.call('HGET', accountsKey, account)
  if tonumber(balance) + delta < 0 then
    return { -2, balance }
  end
  redis.call('HINCRBY', accountsKey, account, delta)
  entry.applied = true
end
redis.call('HSET', reversalsKey, operationKey, idempotencyKey)
return { 1, idempotencyKey, recordEntry(ledgerKey, applicationsKey, idempotencyKey, entry) }
