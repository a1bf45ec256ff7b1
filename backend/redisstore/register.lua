-- Register one user atomically, with its activation code and outbox event
-- when asked. See the redisstore package documentation.
--
-- KEYS[1]  <prefix>{<realm>}:seq
-- KEYS[2]  <prefix>{<realm>}:user:<uuid>
-- KEYS[3]  <prefix>{<realm>}:name:<NORMALIZED username>
-- then, in this order and only when present:
--          <prefix>{<realm>}:email:<NORMALIZED email>     (ARGV[2] == "1")
--          <prefix>{<realm>}:activation:<sha256 of code>  (ARGV[3] == "1")
--          <prefix>{<realm>}:outbox                       (ARGV[3] == "1")
--
-- ARGV[1]  uuid
-- ARGV[2]  "1" if an email key is passed, else "0"
-- ARGV[3]  "1" if an activation is asked for, else "0"
-- ARGV[4]  n: the number of user hash arguments that follow
-- ARGV[5 … 4+n]  field, value, … of the user hash (without id)
-- with an activation, after those:
--   code TTL in milliseconds, outbox MAXLEN (0: no trimming),
--   h: the number of outbox arguments before the id,
--   field, value, … of the outbox entry before the id (h arguments),
--   field, value, … of the outbox entry after the id (the rest).
--
-- Returns the new id (integer), or the name of the taken field ("username"
-- or "email", a string). Every check precedes every write.

-- A retry of this very call (the uuid is new for each Register) whose first
-- reply was lost: answer as the first run did, and write nothing: its code
-- and its event were written with the user.
local prev = redis.call('HGET', KEYS[2], 'id')
if prev then
  return tonumber(prev)
end

local k = 4
local email_key, activation_key, outbox_key
if ARGV[2] == '1' then
  email_key = KEYS[k]
  k = k + 1
end
if ARGV[3] == '1' then
  activation_key = KEYS[k]
  outbox_key = KEYS[k + 1]
end

if redis.call('EXISTS', KEYS[3]) == 1 then
  return 'username'
end
if email_key and redis.call('EXISTS', email_key) == 1 then
  return 'email'
end

local id = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[3], ARGV[1])
if email_key then
  redis.call('SET', email_key, ARGV[1])
end
redis.call('HSET', KEYS[2], 'id', id)
-- unpack in slices of 100 pairs to stay far below Lua's stack limit.
local last = 4 + tonumber(ARGV[4])
for i = 5, last, 200 do
  redis.call('HSET', KEYS[2], unpack(ARGV, i, math.min(i + 199, last)))
end

if activation_key then
  local ttl = ARGV[last + 1]
  local maxlen = tonumber(ARGV[last + 2])
  local head = tonumber(ARGV[last + 3])
  redis.call('SET', activation_key, ARGV[1], 'PX', ttl)
  local xadd = {'XADD', outbox_key}
  if maxlen > 0 then
    xadd[#xadd + 1] = 'MAXLEN'
    xadd[#xadd + 1] = '~'
    xadd[#xadd + 1] = maxlen
  end
  xadd[#xadd + 1] = '*'
  local first = last + 4
  for i = first, first + head - 1 do
    xadd[#xadd + 1] = ARGV[i]
  end
  xadd[#xadd + 1] = 'id'
  xadd[#xadd + 1] = tostring(id)
  for i = first + head, #ARGV do
    xadd[#xadd + 1] = ARGV[i]
  end
  redis.call(unpack(xadd))
end
return id
