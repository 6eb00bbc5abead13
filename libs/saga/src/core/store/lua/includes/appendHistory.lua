--[[
  Appends an entry to a saga's history, compactly, since it is kept for every saga: a JSON array
  [at, type, step or '', attempt or 0] followed by an object of the entry's other fields, when it has any.
]]
local function appendHistory(historyKey, entry)
  local line = { entry.at, entry.type, entry.step or '', entry.attempt or 0 }
  local extra, hasExtra = {}, false
  for field, value in pairs(entry) do
    if field ~= 'at' and field ~= 'type' and field ~= 'step' and field ~= 'attempt' then
      extra[field], hasExtra = value, true
    end
  end
  if hasExtra then
    line[5] = extra
  end
  redis.call('RPUSH', historyKey, cjson.encode(line))
end
