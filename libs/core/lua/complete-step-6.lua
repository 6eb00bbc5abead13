--[[
  Records a successful attempt and moves the cursor on: to the next step, to the next compensation, or to the
  end of the saga. A run that succeeds after the saga was cancelled turns it to compensation, itself first.

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
    ARGV[6] output (JSON; ignored for a compensation)
    ARGV[7] id of a job that goes on with the next step or compensation in the same call, or '' for none
    ARGV[8] name of the step after this one, '' for none: what going on to it saves reading and decoding
    ARGV[9], ARGV[10], ARGV[11] optional, with ARGV[7] '': the BullMQ queue (its qualified name) the calling job
      takes its next job from, the key prefix of that queue's shard, and the first step of the queue's sagas; when
      the job at the head of its wait list is that step's, its first attempt begins too (see includes/completeStep)

  Output:
    { 1, status, phase, cursor, gen } the saga's new cursor; when ARGV[7] is given and the saga goes on, followed
    by the next attempt's data as begin-step returns it (input, trace, outputs): the next attempt has begun; with
    ARGV[9] to ARGV[11], followed by { job id, input, trace, outputs... } when that job's first attempt has begun.
    Phase 'join': the step is one of a parallel group whose other steps have not all settled yet
    -1 the saga does not exist
    -3 stale job: { -3, status, phase, cursor, gen }
]]
local stateKey, historyKey, activeKey, metricsKey, outboxKey, expiringKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
--- @include "includes/completeStep"

return completeStep(ARGV, 0, #ARGV)
