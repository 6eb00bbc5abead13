--[[
  The body of begin-step-6.lua, as a function of the saga's two keys and the script's arguments, so that
  transitions-n.lua runs it for many sagas in one call. The including script declares the keys (stateKey,
  historyKey, activeKey, metricsKey, outboxKey, expiringKey), which the includes read too.
]]
--- @include "includes/now"
--- @include "includes/appendHistory"
--- @include "includes/checkCursor"
--- @include "includes/beginAttempt"

-- The arguments are argv[o + 1] to argv[o + n], as begin-step-6.lua takes them (see includes/completeStep).
local function beginStep(argv, o, n)
  local phase, index, gen, attempt, stepName, holder = unpack(argv, o + 1, o + n)
  local stale = checkCursor(stateKey, phase, index, gen)
  if stale then
    return stale
  end
  return beginAttempt(stateKey, historyKey, phase, index, attempt, stepName, holder, nowText(), { 1 })
end
