--[[
  Marks an attempt of a step's run or compensation as started, and returns the data it works on.

  Input:
    KEYS[1] saga state hash
    KEYS[2] saga history list
    KEYS[3] index of active sagas
    KEYS[4] metrics hash
    KEYS[5] lifecycle outbox stream
    KEYS[6] index of ended sagas, scored by when they are removed (see includes/finish.lua)
    ARGV[1] phase: 'run' or 'compensate'
    ARGV[2] step index
    ARGV[3] cursor generation
    ARGV[4] attempt number
    ARGV[5] step name
    ARGV[6] id of the job that runs the attempt (the sweeper checks it is alive)

  Output:
    { 1, input, trace, output of step 0, …, output of step n } with the trace context stored at the start ('' if
    none) and the outputs of the steps before this one (for a compensation: up to and including this one)
    -1 the saga does not exist
    -3 stale job: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
--- @include "includes/beginStep"

return beginStep(ARGV, 0, #ARGV)
