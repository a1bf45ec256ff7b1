-- Register one user atomically. See the redisstore package documentation.
--
-- KEYS[1]  <prefix>{<realm>}:seq
-- KEYS[2]  <prefix>{<realm>}:user:<uuid>
-- KEYS[3]  <prefix>{<realm>}:name:<NORMALIZED username>
-- KEYS[4]  <prefix>{<realm>}:email:<NORMALIZED email>   (absent without email)
-- ARGV[1]  uuid
-- ARGV[2…] field, value, field, value, … of the user hash (without id)
--
-- Returns the new id (integer), or the name of the taken field ("username"
-- or "email", a string). Every check precedes every write.

-- A retry of this very call (the uuid is new for each Register) whose first
-- reply was lost: answer as the first run did.
local prev = redis.call('HGET', KEYS[2], 'id')
if prev then
  return tonumber(prev)
end

if redis.call('EXISTS', KEYS[3]) == 1 then
  return 'username'
end
if KEYS[4] and redis.call('EXISTS', KEYS[4]) == 1 then
  return 'email'
end

local id = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[3], ARGV[1])
if KEYS[4] then
  redis.call('SET', KEYS[4], ARGV[1])
end
redis.call('HSET', KEYS[2], 'id', id)
-- unpack in slices of 100 pairs to stay far below Lua's stack limit.
local n = #ARGV
for i = 2, n, 200 do
  redis.call('HSET', KEYS[2], unpack(ARGV, i, math.min(i + 199, n)))
end
return id
