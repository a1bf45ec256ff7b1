-- Register one user: the commit step of the registration protocol, and on
-- a single node the whole protocol in one round trip. See the redisstore
-- package documentation.
--
-- KEYS[1]  <prefix>{<realm>}:seq
-- KEYS[2]  <prefix>{<realm>}:user:<uuid>
-- KEYS[3]  <prefix>{<realm>}:unindexed      (committed users whose index keys are not yet final)
-- then, in this order and only when present:
--          <prefix>name:{<realm>:<NAME>}       (ARGV[2] == "single")
--          <prefix>email:{<realm>:<EMAIL>}     (ARGV[2] == "single" and ARGV[3] == "1")
--          <prefix>{<realm>}:activation:<sha256 of code>  (ARGV[4] == "1")
--          <prefix>{<realm>}:outbox                       (ARGV[4] == "1")
--
-- ARGV[1]  uuid
-- ARGV[2]  "single": check and write the index keys here (every key on one
--          node); "commit": the index keys are reserved elsewhere (Cluster)
-- ARGV[3]  "1" if an email index key is passed or reserved, else "0"
-- ARGV[4]  "1" if an activation is asked for, else "0"
-- ARGV[5]  commit mode: the fence, a Redis TIME in milliseconds after which
--          the reservations may have expired; single: ignored
-- ARGV[6]  n: the number of user hash arguments that follow
-- ARGV[7 … 6+n]  field, value, … of the user hash (without id)
-- with an activation, after those:
--   code TTL in milliseconds, outbox MAXLEN (0: no trimming),
--   h: the number of outbox arguments before the id,
--   field, value, … of the outbox entry before the id (h arguments),
--   field, value, … of the outbox entry after the id (the rest).
--
-- Returns the new id (integer); the name of the taken field ("username" or
-- "email", single mode); or "late" (commit mode: the fence has passed and
-- nothing was written). Every check precedes every write.

-- A retry of this very call (the uuid is new for each Register) whose first
-- reply was lost: answer as the first run did, and write nothing: its code
-- and its event were written with the user.
local prev = redis.call('HGET', KEYS[2], 'id')
if prev then
  return tonumber(prev)
end

local single = ARGV[2] == 'single'
local k = 4
local name_key, email_key, activation_key, outbox_key
if single then
  name_key = KEYS[k]
  k = k + 1
  if ARGV[3] == '1' then
    email_key = KEYS[k]
    k = k + 1
  end
end
if ARGV[4] == '1' then
  activation_key = KEYS[k]
  outbox_key = KEYS[k + 1]
end

-- As few commands as the checks and writes need: each costs Redis a
-- call of its own (single mode: HGET, EXISTS, INCR, MSET or SET, HSET).
local now_ms
if single then
  -- Any value holds the name: a user's uuid, or "~uuid", a reservation of
  -- a registration in flight on a Cluster protocol run. One EXISTS for
  -- both keys; only a taken one needs the second, to say which.
  if email_key then
    if redis.call('EXISTS', name_key, email_key) > 0 then
      if redis.call('EXISTS', name_key) == 1 then
        return 'username'
      end
      return 'email'
    end
  elseif redis.call('EXISTS', name_key) == 1 then
    return 'username'
  end
else
  local now = redis.call('TIME')
  now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  if now_ms >= tonumber(ARGV[5]) then
    return 'late'
  end
end

local id = redis.call('INCR', KEYS[1])
if single then
  if email_key then
    redis.call('MSET', name_key, ARGV[1], email_key, ARGV[1])
  else
    redis.call('SET', name_key, ARGV[1])
  end
else
  redis.call('ZADD', KEYS[3], now_ms, ARGV[1])
end
-- id first, then the fields, as one HSET while they fit: unpack in slices
-- of at most 100 pairs to stay far below Lua's stack limit.
local last = 6 + tonumber(ARGV[6])
local head = math.min(6 + 198, last)
redis.call('HSET', KEYS[2], 'id', id, unpack(ARGV, 7, head))
for i = head + 1, last, 200 do
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
