package redisstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
)

var (
	_ backend.Sessions = (*Store)(nil)
	_ backend.APIKeys  = (*Store)(nil)
)

// Session and API key records: <prefix>{<realm>}:session:<sha256 hex> and
// <prefix>{<realm>}:apikey:<sha256 hex>. An API key's holds the user's
// UUID; a session id's holds the UUID and the digest of the session's other
// id (see sessionValue). The digest keeps the secret itself out of Redis.
func (s *Store) sessionKey(realm, id string) string {
	return s.sessionKeyOf(realm, digest(id))
}
func (s *Store) apiKeyKey(realm, key string) string {
	return s.realmKey(realm) + "apikey:" + digest(key)
}

func digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// randomID returns n random bytes as unpadded base64url text.
func randomID(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("redisstore: random id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// OpenSession stores both ids of a new session with the session's TTL.
// Each id's key holds the user's UUID and the digest of the other id (see
// sessionValue), so that closing the session by either id finds both.
func (s *Store) OpenSession(ctx context.Context, realm, userUUID string, ttl time.Duration) (backend.Session, error) {
	if err := checkRealm(realm); err != nil {
		return backend.Session{}, err
	}
	if ttl <= 0 {
		return backend.Session{}, fmt.Errorf("redisstore: %w: session ttl %v", backend.ErrInvalidCommand, ttl)
	}
	var sess backend.Session
	var err error
	if sess.ID, err = randomID(15); err != nil {
		return sess, err
	}
	if sess.PermID, err = randomID(15); err != nil {
		return sess, err
	}
	id, perm := digest(sess.ID), digest(sess.PermID)
	// Both keys share the realm's hash tag, so one MULTI works in a cluster.
	_, err = s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.sessionKeyOf(realm, id), sessionValue(userUUID, perm), ttl)
		p.Set(ctx, s.sessionKeyOf(realm, perm), sessionValue(userUUID, id), ttl)
		return nil
	})
	if err != nil {
		return backend.Session{}, s.wrap("open session", err)
	}
	return sess, nil
}

// sessionLink separates the user's UUID from the other id's digest in a
// session key's value: "<uuid>|<sha256 hex of the other id>". A value
// without it (written before the link existed) is the UUID alone.
const sessionLink = "|"

func sessionValue(userUUID, peer string) string { return userUUID + sessionLink + peer }

// parseSession splits a session key's value into the user's UUID and the
// other id's digest ("" for a value without a link, or a malformed one).
func parseSession(v string) (user, peer string) {
	user, peer, ok := strings.Cut(v, sessionLink)
	if !ok || len(peer) != sha256.Size*2 {
		return user, ""
	}
	if _, err := hex.DecodeString(peer); err != nil {
		return user, ""
	}
	return user, peer
}

func (s *Store) sessionKeyOf(realm, dig string) string {
	return s.realmKey(realm) + "session:" + dig
}

// SessionUser resolves a session id to its user.
func (s *Store) SessionUser(ctx context.Context, realm, id string) (backend.User, error) {
	return s.resolve(ctx, "session", realm, s.sessionKey, id, func(v string) string { u, _ := parseSession(v); return u })
}

// CloseSession deletes a session under every id it is stored under: the ids
// given and, through each one's link, the other id of its session. A client
// that signs out sending only ss-id (X-ss-id) thus ends its ss-pid too.
// Every key is in the realm's slot; the read and the delete are two round
// trips, and a session already gone is no error.
func (s *Store) CloseSession(ctx context.Context, realm string, sess backend.Session) error {
	if err := checkRealm(realm); err != nil {
		return err
	}
	var keys []string
	for _, id := range []string{sess.ID, sess.PermID} {
		if id != "" && len(id) <= maxSecretLen {
			keys = append(keys, s.sessionKey(realm, id))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	vals, err := s.client.MGet(ctx, keys...).Result()
	if err != nil {
		return s.wrap("close session", err)
	}
	for _, v := range vals {
		if str, ok := v.(string); ok {
			if _, peer := parseSession(str); peer != "" {
				keys = append(keys, s.sessionKeyOf(realm, peer))
			}
		}
	}
	if err := s.client.Del(ctx, keys...).Err(); err != nil {
		return s.wrap("close session", err)
	}
	return nil
}

// CreateAPIKey issues a key for an existing user.
func (s *Store) CreateAPIKey(ctx context.Context, realm, userUUID string) (string, error) {
	if err := checkRealm(realm); err != nil {
		return "", err
	}
	if _, err := s.Get(ctx, realm, userUUID); err != nil {
		return "", err
	}
	key, err := randomID(24)
	if err != nil {
		return "", err
	}
	if err := s.client.Set(ctx, s.apiKeyKey(realm, key), userUUID, 0).Err(); err != nil {
		return "", s.wrap("create api key", err)
	}
	return key, nil
}

// APIKeyUser resolves an API key to its user.
func (s *Store) APIKeyUser(ctx context.Context, realm, key string) (backend.User, error) {
	return s.resolve(ctx, "api key", realm, s.apiKeyKey, key, nil)
}

// maxSecretLen bounds the session ids and API keys looked up: longer ones
// are refused without a round trip.
const maxSecretLen = 512

// resolve looks a secret's key up and returns the user its value names;
// user, when not nil, extracts the UUID from the value.
func (s *Store) resolve(ctx context.Context, op, realm string, keyOf func(realm, secret string) string, secret string, user func(string) string) (backend.User, error) {
	if err := checkRealm(realm); err != nil {
		return backend.User{}, err
	}
	if secret == "" || len(secret) > maxSecretLen {
		return backend.User{}, backend.ErrInvalidCredentials
	}
	id, err := s.client.Get(ctx, keyOf(realm, secret)).Result()
	if errors.Is(err, redis.Nil) {
		return backend.User{}, backend.ErrInvalidCredentials
	}
	if err != nil {
		return backend.User{}, s.wrap(op, err)
	}
	if user != nil {
		id = user(id)
	}
	u, err := s.Get(ctx, realm, id)
	if errors.Is(err, ErrNotFound) {
		return backend.User{}, backend.ErrInvalidCredentials
	}
	return u, err
}
