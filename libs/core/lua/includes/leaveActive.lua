--[[
  Drops a finished or parked saga from the active index that the sweeper watches: no job moves it any more.
  Every transition script declares that index as KEYS[3], as `activeKey`.
]]
--- @include "includes/sagaIdOf"
local function leaveActive(stateKey)
  redis.call('ZREM', activeKey, sagaIdOf(stateKey))
end
