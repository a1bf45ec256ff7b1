package redisstore_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"legacygate/backend"
	"legacygate/backend/redisstore"
)

func newLockoutEnv(t *testing.T, lo redisstore.Lockout) *env {
	t.Helper()
	e := newEnv(t, nil)
	e.store = redisstore.New(e.client, redisstore.Options{Prefix: e.prefix, Hasher: e.hasher, Lockout: lo})
	return e
}

// TestLockout: the default ASP.NET Identity policy (5 failures, 5
// minutes): the sixth attempt is refused without a password check even
// with the right password, a second store (another gateway) sees the
// same lock, and another account is unaffected.
func TestLockout(t *testing.T) {
	e := newLockoutEnv(t, redisstore.Lockout{MaxFailures: 5, Duration: 5 * time.Minute})
	e.register(t, backend.RegisterCommand{Realm: "shop", Username: "ann", Password: "right"})
	e.register(t, backend.RegisterCommand{Realm: "shop", Username: "bob", Password: "right"})
	ctx := context.Background()
	for i := range 5 {
		if _, err := e.store.Authenticate(ctx, "shop", "ann", "wrong"); !errors.Is(err, backend.ErrInvalidCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	before := e.hasher.verifies.Load()
	other := redisstore.New(e.client, redisstore.Options{Prefix: e.prefix, Hasher: e.hasher, Lockout: redisstore.Lockout{MaxFailures: 5, Duration: 5 * time.Minute}})
	_, err := other.Authenticate(ctx, "shop", "ANN", "right")
	var le *backend.LockedError
	if !errors.As(err, &le) || le.RetryAfter <= 4*time.Minute || le.RetryAfter > 5*time.Minute {
		t.Fatalf("locked account, right password: %v %+v", err, le)
	}
	if got := e.hasher.verifies.Load(); got != before {
		t.Fatalf("a locked account's password was checked (%d verifications)", got-before)
	}
	if _, err := e.store.Authenticate(ctx, "shop", "bob", "right"); err != nil {
		t.Fatalf("other account: %v", err)
	}
	// An unknown name locks the same way, so a lock tells nothing.
	for range 5 {
		_, _ = e.store.Authenticate(ctx, "shop", "nobody", "x")
	}
	if _, err := e.store.Authenticate(ctx, "shop", "nobody", "x"); !errors.Is(err, backend.ErrAccountLocked) {
		t.Fatalf("unknown name: %v", err)
	}
}

// TestLockoutConcurrentGuesses: guesses sent at once are counted before
// their check, so no more than MaxFailures passwords are ever verified.
func TestLockoutConcurrentGuesses(t *testing.T) {
	e := newLockoutEnv(t, redisstore.Lockout{MaxFailures: 3, Duration: time.Minute})
	e.register(t, backend.RegisterCommand{Realm: "shop", Username: "ann", Password: "right"})
	before := e.hasher.verifies.Load()
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() { _, _ = e.store.Authenticate(context.Background(), "shop", "ann", "wrong") })
	}
	wg.Wait()
	if got := e.hasher.verifies.Load() - before; got > 3 {
		t.Fatalf("%d passwords verified, want at most 3", got)
	}
}

// TestLockoutKeys: one key per account, its own hash tag (Redis Cluster
// spreads accounts over slots), no clear user name, gone after a success.
func TestLockoutKeys(t *testing.T) {
	e := newLockoutEnv(t, redisstore.Lockout{MaxFailures: 5, Duration: time.Minute})
	e.register(t, backend.RegisterCommand{Realm: "shop", Username: "ann", Password: "right"})
	ctx := context.Background()
	_, _ = e.store.Authenticate(ctx, "shop", "ann", "wrong")
	_, _ = e.store.Authenticate(ctx, "shop", "zed", "wrong")
	var lock []string
	for _, k := range e.keys(t) {
		if strings.Contains(k, "lockout:") {
			lock = append(lock, k)
		}
	}
	if len(lock) != 2 {
		t.Fatalf("lockout keys %v", lock)
	}
	for _, k := range lock {
		if strings.Count(k, "{") != 1 || !strings.HasPrefix(k[strings.Index(k, "{"):], "{shop:") || strings.Contains(strings.ToLower(k), "ann") {
			t.Fatalf("key %q", k)
		}
		if ttl := e.client.PTTL(ctx, k).Val(); ttl <= 0 || ttl > time.Minute {
			t.Fatalf("key %q ttl %v", k, ttl)
		}
	}
	if lock[0][strings.Index(lock[0], "{"):] == lock[1][strings.Index(lock[1], "{"):] {
		t.Fatal("two accounts share a hash tag")
	}
	if _, err := e.store.Authenticate(ctx, "shop", "ann", "right"); err != nil {
		t.Fatal(err)
	}
	left := 0
	for _, k := range e.keys(t) {
		if strings.Contains(k, "lockout:") {
			left++
		}
	}
	if left != 1 {
		t.Fatalf("after ann's success %d lockout keys remain, want 1 (zed's)", left)
	}
}

// TestHit: a fixed window per key; beyond the limit the wait until the
// window ends.
func TestHit(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	for i := range 3 {
		if wait, err := e.store.Hit(ctx, "shop:register:192.0.2.1", 3, time.Minute); err != nil || wait != 0 {
			t.Fatalf("#%d: %v %v", i+1, wait, err)
		}
	}
	wait, err := e.store.Hit(ctx, "shop:register:192.0.2.1", 3, time.Minute)
	if err != nil || wait <= 0 || wait > time.Minute {
		t.Fatalf("over the limit: %v %v", wait, err)
	}
	if wait, _ := e.store.Hit(ctx, "shop:register:192.0.2.2", 3, time.Minute); wait != 0 {
		t.Fatal("another address shares the count")
	}
}
