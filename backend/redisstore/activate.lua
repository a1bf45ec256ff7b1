-- Consume an activation code and activate its user. See the redisstore
-- package documentation.
--
-- KEYS[1]  <prefix>{<realm>}:activation:<sha256 of code>
-- KEYS[2]  <prefix>{<realm>}:user:<uuid>
-- ARGV[1]  uuid, as read from KEYS[1] just before
--
-- Returns the user hash (HGETALL) after activation; nil (false) when the
-- code no longer names that user (used or expired meanwhile); the string
-- "missing" when the code named a user that does not exist (the code is
-- consumed all the same).

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return false
end
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 0 then
  return 'missing'
end
redis.call('HSET', KEYS[2], 'active', '1')
return redis.call('HGETALL', KEYS[2])
