package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
)

// Lockout is the per-account lockout after failed sign-ins, as ASP.NET
// Identity (5 failures, 5 minutes) and ServiceStack's MaxLoginAttempts
// offered. MaxFailures ≤ 0 disables it.
type Lockout struct {
	// MaxFailures is how many wrong passwords in a row lock the account.
	MaxFailures int
	// Duration is how long a locked account stays locked; it is also the
	// window in which failures add up (each failure restarts it).
	Duration time.Duration
}

// Keys (Redis Cluster: each script touches one key, and each key carries
// a hash tag of its own, so accounts and clients spread over the slots):
//
//	<prefix>lockout:{<realm>:<sha256 of the upper-cased user name>}
//	    hash: n (sign-in attempts since the last success), locked ("1")
//	<prefix>throttle:{<scope>:<client>}
//	    counter of the current fixed window, expiring with it
//
// The user name is hashed so that a key has a bounded length and no
// clear name.
func (s *Store) lockoutKey(realm, username string) string {
	sum := sha256.Sum256([]byte(normalize(username)))
	return s.prefix + "lockout:{" + realm + ":" + hex.EncodeToString(sum[:16]) + "}"
}

func (s *Store) throttleKey(key string) string {
	return s.prefix + "throttle:{" + key + "}"
}

// attemptScript admits one sign-in attempt: refused (the lock's remaining
// milliseconds) when the account is locked or this attempt would be one
// more than the failures allowed, which locks it; else counted (0).
//
// KEYS[1] lockout hash; ARGV[1] max failures; ARGV[2] lock/window ms.
var attemptScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'locked') == '1' then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 1 then ttl = 1 end
  return ttl
end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if n > tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'locked', '1')
  return tonumber(ARGV[2])
end
return 0
`)

// failScript records that the admitted attempt failed: at the limit the
// account locks for the whole duration.
//
// KEYS[1] lockout hash; ARGV[1] max failures; ARGV[2] lock ms.
var failScript = redis.NewScript(`
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n >= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'locked', '1')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n
`)

// Authenticate returns the user holding username (case-insensitive) in
// realm if password matches. An unknown user and a wrong password both
// return [backend.ErrInvalidCredentials], after the same hashing work. An
// inactive user is returned like any other: its Active field tells.
//
// With a lockout, a locked account returns a *backend.LockedError before
// any password check, so the answer is the same whether the password was
// right or not; attempts are counted before the check, so concurrent
// guesses cannot exceed the limit; a success resets the count. Unknown
// user names are counted too, so a lockout does not tell which names
// exist.
func (s *Store) Authenticate(ctx context.Context, realm, username string, password backend.Password) (backend.User, error) {
	if err := checkRealm(realm); err != nil {
		return backend.User{}, err
	}
	lo := s.lockout
	if lo.MaxFailures <= 0 {
		return s.authenticate(ctx, realm, username, password)
	}
	key := s.lockoutKey(realm, username)
	ms := max(lo.Duration.Milliseconds(), 1)
	wait, err := attemptScript.Run(ctx, s.client, []string{key}, lo.MaxFailures, ms).Int64()
	if err != nil {
		return backend.User{}, s.wrap("lockout", err)
	}
	if wait > 0 {
		return backend.User{}, &backend.LockedError{RetryAfter: time.Duration(wait) * time.Millisecond}
	}
	u, err := s.authenticate(ctx, realm, username, password)
	switch {
	case err == nil:
		if derr := s.client.Del(ctx, key).Err(); derr != nil {
			s.log.Warn("redisstore: lockout reset failed")
		}
	case errors.Is(err, backend.ErrInvalidCredentials):
		if ferr := failScript.Run(ctx, s.client, []string{key}, lo.MaxFailures, ms).Err(); ferr != nil {
			return backend.User{}, s.wrap("lockout", ferr)
		}
	}
	return u, err
}

// Hit counts one request under key (a scope and a client address) in a
// fixed window and returns 0 while the count is within limit, else how
// long until the window ends. It implements [backend.RateLimiter].
func (s *Store) Hit(ctx context.Context, key string, limit int, window time.Duration) (time.Duration, error) {
	ms := max(window.Milliseconds(), 1)
	res, err := hitScript.Run(ctx, s.client, []string{s.throttleKey(key)}, ms).Int64Slice()
	if err != nil {
		return 0, s.wrap("throttle", err)
	}
	if len(res) != 2 {
		return 0, s.unexpected("throttle", res)
	}
	if res[0] <= int64(limit) {
		return 0, nil
	}
	return time.Duration(max(res[1], 1)) * time.Millisecond, nil
}

// hitScript: KEYS[1] counter; ARGV[1] window ms. Returns {count, ttl ms}.
var hitScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`)

var _ backend.RateLimiter = (*Store)(nil)
