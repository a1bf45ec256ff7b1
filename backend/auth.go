package backend

import (
	"context"
	"time"
)

// Session is a signed-in session of a user. ServiceStack hands out two ids
// for one session: ID for the browser session (cookie ss-id) and PermID
// for a remembered one (ss-pid); either finds the user.
type Session struct {
	ID     string
	PermID string
}

// Sessions opens and resolves sessions. Ids are random and are stored only
// as SHA-256 digests, so a copy of the store cannot sign anyone in.
type Sessions interface {
	// OpenSession starts a session of user (by UUID) that lasts ttl.
	OpenSession(ctx context.Context, realm, userUUID string, ttl time.Duration) (Session, error)
	// SessionUser returns the user of a session id (either form);
	// ErrInvalidCredentials when the id is unknown or expired.
	SessionUser(ctx context.Context, realm, id string) (User, error)
	// CloseSession forgets a session id (either form).
	CloseSession(ctx context.Context, realm string, s Session) error
}

// APIKeys issues and resolves API keys (ServiceStack's ApiKeyAuthProvider).
// Keys are stored only as SHA-256 digests.
type APIKeys interface {
	// CreateAPIKey issues a new key for user (by UUID); the key is shown
	// once and cannot be recovered.
	CreateAPIKey(ctx context.Context, realm, userUUID string) (string, error)
	// APIKeyUser returns the user of a key; ErrInvalidCredentials when the
	// key is unknown.
	APIKeyUser(ctx context.Context, realm, key string) (User, error)
}
