package redisstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
)

var (
	_ backend.Sessions = (*Store)(nil)
	_ backend.APIKeys  = (*Store)(nil)
)

// Session and API key records: <prefix>{<realm>}:session:<sha256 hex> and
// <prefix>{<realm>}:apikey:<sha256 hex>, each holding the user's UUID. The
// digest keeps the secret itself out of Redis.
func (s *Store) sessionKey(realm, id string) string {
	return s.realmKey(realm) + "session:" + digest(id)
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
	// Both keys share the realm's hash tag, so one MULTI works in a cluster.
	_, err = s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.sessionKey(realm, sess.ID), userUUID, ttl)
		p.Set(ctx, s.sessionKey(realm, sess.PermID), userUUID, ttl)
		return nil
	})
	if err != nil {
		return backend.Session{}, s.wrap("open session", err)
	}
	return sess, nil
}

// SessionUser resolves a session id to its user.
func (s *Store) SessionUser(ctx context.Context, realm, id string) (backend.User, error) {
	return s.resolve(ctx, "session", realm, s.sessionKey, id)
}

// CloseSession deletes both ids of a session.
func (s *Store) CloseSession(ctx context.Context, realm string, sess backend.Session) error {
	if err := checkRealm(realm); err != nil {
		return err
	}
	var keys []string
	for _, id := range []string{sess.ID, sess.PermID} {
		if id != "" {
			keys = append(keys, s.sessionKey(realm, id))
		}
	}
	if len(keys) == 0 {
		return nil
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
	return s.resolve(ctx, "api key", realm, s.apiKeyKey, key)
}

func (s *Store) resolve(ctx context.Context, op, realm string, keyOf func(realm, secret string) string, secret string) (backend.User, error) {
	if err := checkRealm(realm); err != nil {
		return backend.User{}, err
	}
	if secret == "" || len(secret) > 512 {
		return backend.User{}, backend.ErrInvalidCredentials
	}
	id, err := s.client.Get(ctx, keyOf(realm, secret)).Result()
	if errors.Is(err, redis.Nil) {
		return backend.User{}, backend.ErrInvalidCredentials
	}
	if err != nil {
		return backend.User{}, s.wrap(op, err)
	}
	u, err := s.Get(ctx, realm, id)
	if errors.Is(err, ErrNotFound) {
		return backend.User{}, backend.ErrInvalidCredentials
	}
	return u, err
}
