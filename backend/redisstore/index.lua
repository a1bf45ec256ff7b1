-- One step of the Cluster registration protocol on one index key (a
-- username or email key, each in its own slot). See the redisstore package
-- documentation.
--
-- KEYS[1]  <prefix>name:{<realm>:<NAME>} or <prefix>email:{<realm>:<EMAIL>}
-- ARGV[1]  the step: "reserve", "finish" or "release"
-- ARGV[2]  the registering user's uuid
-- ARGV[3]  reserve: the reservation TTL in milliseconds
--
-- A key holds either "<uuid>" (final: that user holds the name) or
-- "~<uuid>" (a reservation, with a TTL, of a registration in flight).
--
-- reserve: {"ok", expiry} when the key was free or already reserved by this
--   uuid (expiry: the Redis TIME in milliseconds when the reservation
--   ends); {"done", 0} when it is already final for this uuid (a retry);
--   {"taken", uuid} or {"reserved", uuid} when another user holds it.
-- finish: makes the key final for this uuid (from a reservation, or from
--   nothing when the reservation expired); {"ok", 0}, or {"taken", uuid} /
--   {"reserved", uuid} when another user holds it meanwhile.
-- release: deletes this uuid's reservation; {"ok", 0} whatever was there.

local step, u = ARGV[1], ARGV[2]
local mine = '~' .. u
local v = redis.call('GET', KEYS[1])

if step == 'release' then
  if v == mine then
    redis.call('DEL', KEYS[1])
  end
  return {'ok', 0}
end

if v == u then
  if step == 'reserve' then
    return {'done', 0}
  end
  return {'ok', 0}
end
if v and v ~= mine then
  if string.sub(v, 1, 1) == '~' then
    return {'reserved', string.sub(v, 2)}
  end
  return {'taken', v}
end

if step == 'finish' then
  redis.call('SET', KEYS[1], u)
  return {'ok', 0}
end

-- reserve
if not v then
  redis.call('SET', KEYS[1], mine, 'PX', ARGV[3])
end
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
return {'ok', now_ms + redis.call('PTTL', KEYS[1])}
