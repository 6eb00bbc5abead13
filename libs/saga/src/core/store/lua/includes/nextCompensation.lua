-- The newest step before `fromIndex` (inclusive) that succeeded and has a compensation; -1 when none is left.
local function nextCompensation(stateKey, fromIndex)
  local compensable = redis.call('HGET', stateKey, 'compensable')
  for i = fromIndex, 0, -1 do
    if string.sub(compensable, i + 1, i + 1) == '1'
      and redis.call('HGET', stateKey, 's' .. i .. '.status') == 'succeeded' then
      return i
    end
  end
  return -1
end
