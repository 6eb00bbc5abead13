--[[
  The saga id in a saga's state key: its last `{…}`. On a Redis Cluster the key prefix is a hash tag too
  (`{sagaflow}:saga:{<id>}`), so the first one is not the id.
]]
local function sagaIdOf(stateKey)
  return string.match(stateKey, '.*{(.-)}')
end
