package redisstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"legacygate/backend"
)

// annSession registers ann in realm r of a fresh store and opens an hour's
// session for her.
func annSession(t *testing.T) (*env, backend.User, backend.Session) {
	t.Helper()
	e := newEnv(t, nil)
	u := e.register(t, backend.RegisterCommand{Realm: "r", Username: "ann", Password: "pw"})
	s, err := e.store.OpenSession(context.Background(), "r", u.UUID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return e, u, s
}

func TestSessions(t *testing.T) {
	e, u, s := annSession(t)
	ctx := context.Background()
	if s.ID == "" || s.PermID == "" || s.ID == s.PermID {
		t.Fatalf("ids %+v", s)
	}
	for _, id := range []string{s.ID, s.PermID} {
		got, err := e.store.SessionUser(ctx, "r", id)
		if err != nil || got.UUID != u.UUID {
			t.Fatalf("SessionUser(%q) = %+v, %v", id, got, err)
		}
		if _, err := e.store.SessionUser(ctx, "other", id); !errors.Is(err, backend.ErrInvalidCredentials) {
			t.Fatalf("other realm: %v", err)
		}
	}
	for _, k := range e.keys(t) {
		if strings.Contains(k, s.ID) || strings.Contains(k, s.PermID) {
			t.Fatalf("session id stored in clear: %s", k)
		}
	}
	if err := e.store.CloseSession(ctx, "r", s); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SessionUser(ctx, "r", s.ID); !errors.Is(err, backend.ErrInvalidCredentials) {
		t.Fatalf("closed session: %v", err)
	}
	for _, bad := range []string{"", "forged", strings.Repeat("x", 600)} {
		if _, err := e.store.SessionUser(ctx, "r", bad); !errors.Is(err, backend.ErrInvalidCredentials) {
			t.Fatalf("SessionUser(%.10q): %v", bad, err)
		}
	}
	if _, err := e.store.OpenSession(ctx, "r", u.UUID, 0); !errors.Is(err, backend.ErrInvalidCommand) {
		t.Fatalf("zero ttl: %v", err)
	}
}

// TestCloseSessionByEitherID: a client that signs out sending one id
// (only X-ss-id, or only ss-pid) ends the session under both, on every
// topology (both keys share the realm's slot). A session written before
// the link existed (the UUID alone) still resolves and closes by the ids
// sent.
func TestCloseSessionByEitherID(t *testing.T) {
	tests := []struct {
		name string
		send func(backend.Session) backend.Session
	}{
		{"ss-id only", func(s backend.Session) backend.Session { return backend.Session{ID: s.ID} }},
		{"ss-pid only", func(s backend.Session) backend.Session { return backend.Session{PermID: s.PermID} }},
		{"ss-pid as ss-id", func(s backend.Session) backend.Session { return backend.Session{ID: s.PermID} }},
		{"both", func(s backend.Session) backend.Session { return s }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, u, s := annSession(t)
			ctx := context.Background()
			other, err := e.store.OpenSession(ctx, "r", u.UUID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.store.CloseSession(ctx, "r", tt.send(s)); err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{s.ID, s.PermID} {
				if _, err := e.store.SessionUser(ctx, "r", id); !errors.Is(err, backend.ErrInvalidCredentials) {
					t.Errorf("id of the closed session still resolves: %v", err)
				}
			}
			for _, id := range []string{other.ID, other.PermID} {
				if got, err := e.store.SessionUser(ctx, "r", id); err != nil || got.UUID != u.UUID {
					t.Errorf("the user's other session: %+v, %v", got, err)
				}
			}
			if err := e.store.CloseSession(ctx, "r", tt.send(s)); err != nil {
				t.Fatalf("closing twice: %v", err)
			}
		})
	}
}

func TestSessionWithoutLink(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u := e.register(t, backend.RegisterCommand{Realm: "r", Username: "ann", Password: "pw"})
	sum := func(id string) string { d := sha256.Sum256([]byte(id)); return hex.EncodeToString(d[:]) }
	key := func(id string) string { return e.prefix + "{r}:session:" + sum(id) }
	// As OpenSession wrote sessions before the link: the UUID alone.
	for _, id := range []string{"old-id", "old-pid"} {
		if err := e.client.Set(ctx, key(id), u.UUID, time.Hour).Err(); err != nil {
			t.Fatal(err)
		}
	}
	// A link that is not a digest is ignored, not followed.
	if err := e.client.Set(ctx, key("odd"), u.UUID+"|"+e.prefix+"{r}:user:"+u.UUID, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"old-id", "old-pid", "odd"} {
		if got, err := e.store.SessionUser(ctx, "r", id); err != nil || got.UUID != u.UUID {
			t.Fatalf("SessionUser(%s) = %+v, %v", id, got, err)
		}
	}
	if err := e.store.CloseSession(ctx, "r", backend.Session{ID: "old-id"}); err != nil {
		t.Fatal(err)
	}
	if err := e.store.CloseSession(ctx, "r", backend.Session{ID: "odd"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SessionUser(ctx, "r", "old-id"); !errors.Is(err, backend.ErrInvalidCredentials) {
		t.Fatalf("closed: %v", err)
	}
	if got, err := e.store.SessionUser(ctx, "r", "old-pid"); err != nil || got.UUID != u.UUID {
		t.Fatalf("an unlinked id closes alone: %+v, %v", got, err)
	}
	if _, err := e.store.Get(ctx, "r", u.UUID); err != nil {
		t.Fatalf("the user survives a malformed link: %v", err)
	}
}

func TestSessionExpires(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u := e.register(t, backend.RegisterCommand{Realm: "r", Username: "ann", Password: "pw"})
	s, err := e.store.OpenSession(ctx, "r", u.UUID, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := e.store.SessionUser(ctx, "r", s.ID)
		if errors.Is(err, backend.ErrInvalidCredentials) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("session still valid after its ttl: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAPIKeys(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u := e.register(t, backend.RegisterCommand{Realm: "r", Username: "ann", Password: "pw"})
	key, err := e.store.CreateAPIKey(ctx, "r", u.UUID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.store.APIKeyUser(ctx, "r", key)
	if err != nil || got.UUID != u.UUID {
		t.Fatalf("APIKeyUser = %+v, %v", got, err)
	}
	if _, err := e.store.APIKeyUser(ctx, "r", key+"x"); !errors.Is(err, backend.ErrInvalidCredentials) {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := e.store.CreateAPIKey(ctx, "r", "00000000-0000-0000-0000-000000000000"); err == nil {
		t.Fatal("key for an unknown user")
	}
	for _, k := range e.keys(t) {
		if strings.Contains(k, key) {
			t.Fatalf("api key stored in clear: %s", k)
		}
	}
}

// TestPasswordlessAccount: an account registered without a password (FLS
// mails a link to set one) stores no hash and no password signs it in,
// the empty one included.
func TestPasswordlessAccount(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u := e.register(t, backend.RegisterCommand{Realm: "r", Username: "nopw"})
	if e.hasher.hashes.Load() != 0 {
		t.Fatalf("hashed %d times for no password", e.hasher.hashes.Load())
	}
	for _, pw := range []backend.Password{"", "x"} {
		if _, err := e.store.Authenticate(ctx, "r", u.Username, pw); !errors.Is(err, backend.ErrInvalidCredentials) {
			t.Fatalf("Authenticate(%q): %v", string(pw), err)
		}
	}
}

// BenchmarkSessionUser: resolving a session id, on every request a session
// signs in (two round trips: the session key, then the user hash).
func BenchmarkSessionUser(b *testing.B) {
	e := newEnv(b, nil)
	ctx := context.Background()
	u, err := e.store.Register(ctx, backend.RegisterCommand{Realm: "r", Username: "ann", Password: "pw"})
	if err != nil {
		b.Fatal(err)
	}
	s, err := e.store.OpenSession(ctx, "r", u.UUID, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.store.SessionUser(ctx, "r", s.PermID); err != nil {
			b.Fatal(err)
		}
	}
}
