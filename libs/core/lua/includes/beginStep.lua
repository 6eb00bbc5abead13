--[[
  The body of begin-step-6.lua, as a function of the saga's two keys and the script's arguments, so that
  transitions-n.lua runs it for many sagas in one call. The including script declares the keys (stateKey,
  historyKey, activeKey, metricsKey, outboxKey, expiringKey), which the includes read too.
]]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/checkCursor"
--- @include "includes/beginAttempt"

local function beginStep(ARGV)
  local phase, index, gen, attempt, stepName = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
  local stale = checkCursor(stateKey, phase, index, gen)
  if stale then
    return stale
  end
  return beginAttempt(stateKey, historyKey, phase, index, attempt, stepName, ARGV[6], nowText(), { 1 })
end
