--[[
  The newest step at or before `fromIndex` to compensate; -1 when none is left. Per step the 'compensable' field
  holds '0' (no compensation), '1' (compensate after it succeeded), '2' (also after it failed for good) or 'n'
  (a wait or a sleep: nothing to undo).
]]
local function nextCompensation(stateKey, fromIndex)
  local compensable = redis.call('HGET', stateKey, 'compensable')
  for i = fromIndex, 0, -1 do
    local flag = string.sub(compensable, i + 1, i + 1)
    if flag == '1' or flag == '2' then
      local status = redis.call('HGET', stateKey, 's' .. i .. '.status')
      if status == 'succeeded' or (flag == '2' and status == 'failed') then
        return i
      end
    end
  end
  return -1
end
