local function appendHistory(historyKey, entry)
  redis.call('RPUSH', historyKey, cjson.encode(entry))
end
