package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"legacygate/backend"
	"legacygate/backend/redisstore/redistest"
)

// TestCrashTable stops a registration after each step of the cross-slot
// protocol, as a gateway crash would, and checks the failure table of the
// package documentation: what readers see, and what cleans up.
func TestCrashTable(t *testing.T) {
	const ttl = 500 * time.Millisecond
	tests := []struct {
		step string
		// committed: the user exists (the crash came after the commit).
		committed bool
		// want is the normalised state of the name key right after the
		// crash: "reserved" ("~uuid", with a TTL) or "final" ("uuid").
		want string
	}{
		{stepReserve, false, "reserved"},
		{stepHash, false, "reserved"},
		{stepCommit, true, "reserved"},
		{stepFinish, true, "final"},
	}
	for _, tt := range tests {
		t.Run("after "+tt.step, func(t *testing.T) {
			ctx := context.Background()
			client, prefix := redistest.Client(t)
			opt := Options{Prefix: prefix, Hasher: fakeHasher{}, Reservations: ReserveAlways, ReservationTTL: ttl}
			crashing := New(client, opt)
			crashing.crash = func(step string) bool { return step == tt.step }
			other := New(client, opt)
			cmd := backend.RegisterCommand{Realm: "shop", Username: "Ann", Email: "ann@x.io", Password: "pw",
				Activation: &backend.Activation{TTL: time.Hour, Event: []backend.Attribute{{Name: "link", Value: "x?c={code}"}}}}

			if _, err := crashing.Register(ctx, cmd); !errors.Is(err, errCrashed) {
				t.Fatalf("Register = %v, want the crash", err)
			}
			v := client.Get(ctx, crashing.nameKey("shop", "Ann")).Val()
			state := "final"
			if strings.HasPrefix(v, "~") {
				state = "reserved"
				if pttl := client.PTTL(ctx, crashing.nameKey("shop", "Ann")).Val(); pttl <= 0 || pttl > ttl {
					t.Fatalf("reservation TTL %v, want within (0, %v]", pttl, ttl)
				}
			}
			if state != tt.want {
				t.Fatalf("name key %q is %s, want %s", v, state, tt.want)
			}

			// What readers see: the user once it is committed, nothing before.
			_, err := other.FindByName(ctx, "shop", "ann")
			if found := err == nil; found != tt.committed {
				t.Fatalf("FindByName = %v; want found=%v", err, tt.committed)
			}
			if avail, err := other.IsAvailable(ctx, "shop", "ANN"); err != nil || avail == tt.committed {
				t.Fatalf("IsAvailable = %v, %v; want %v", avail, err, !tt.committed)
			}
			if n := client.XLen(ctx, OutboxKey(prefix, "shop")).Val(); (n == 1) != tt.committed || n > 1 {
				t.Fatalf("outbox has %d events; committed=%v", n, tt.committed)
			}
			// A competing registration of the name is refused while the
			// reservation or the user holds it.
			var ce *backend.ConflictError
			if _, err := other.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "ANN", Password: "pw"}); !errors.As(err, &ce) {
				t.Fatalf("competing Register = %v, want a conflict", err)
			}

			// What cleans up: the TTL before the commit, the sweeper after.
			if tt.committed {
				if _, err := other.Sweep(ctx, "shop", 0); err != nil {
					t.Fatal(err)
				}
				for _, k := range crashing.indexKeys("shop", "Ann", "ann@x.io") {
					if v := client.Get(ctx, k).Val(); strings.HasPrefix(v, "~") || v == "" {
						t.Fatalf("%s = %q after the sweep, want final", k, v)
					}
					if pttl := client.PTTL(ctx, k).Val(); pttl != -1 {
						t.Fatalf("%s has TTL %v after the sweep, want none", k, pttl)
					}
				}
				if n := client.ZCard(ctx, crashing.unindexedKey("shop")).Val(); n != 0 {
					t.Fatalf("%d unindexed entries after the sweep", n)
				}
				return
			}
			time.Sleep(ttl + 100*time.Millisecond)
			// EXISTS honours expiry; a SCAN may still list a key Redis has
			// not reclaimed yet.
			for _, k := range crashing.indexKeys("shop", "Ann", "ann@x.io") {
				if n := client.Exists(ctx, k).Val(); n != 0 {
					t.Fatalf("%s still exists after the TTL", k)
				}
			}
			if u, err := other.Register(ctx, cmd); err != nil || u.ID != 1 {
				t.Fatalf("Register after the TTL = %+v, %v", u, err)
			}
		})
	}
}

// slowHasher takes longer than the commit window of a short reservation.
type slowHasher struct{ d time.Duration }

func (h slowHasher) Hash(ctx context.Context, pw backend.Password) (string, error) {
	time.Sleep(h.d)
	return fakeHasher{}.Hash(ctx, pw)
}

func (slowHasher) Verify(ctx context.Context, pw backend.Password, phc string) (bool, error) {
	return fakeHasher{}.Verify(ctx, pw, phc)
}

// TestCommitFence: a registration whose reservations are too old to be
// trusted (a paused gateway) commits nothing, releases them and reports the
// store unavailable.
func TestCommitFence(t *testing.T) {
	ctx := context.Background()
	client, prefix := redistest.Client(t)
	const ttl = 300 * time.Millisecond
	s := New(client, Options{Prefix: prefix, Hasher: slowHasher{ttl * 3 / 4}, Reservations: ReserveAlways, ReservationTTL: ttl})
	_, err := s.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "late", Password: "pw"})
	if !errors.Is(err, backend.ErrUnavailable) {
		t.Fatalf("Register = %v, want ErrUnavailable", err)
	}
	if keys, err := redistest.Keys(ctx, client, prefix+"*"); err != nil || len(keys) != 0 {
		t.Fatalf("keys = %q, %v; want none", keys, err)
	}
}

// TestWaitWithoutReplicas: a store that waits for a replica still
// registers on a master without one (nothing could take over without the
// write), once the WAIT timeout passes, and logs it.
func TestWaitWithoutReplicas(t *testing.T) {
	if redistest.CurrentTopology() != redistest.Single {
		t.Skip("needs a master without replicas")
	}
	ctx := context.Background()
	client, prefix := redistest.Client(t)
	core, logs := observer.New(zapcore.WarnLevel)
	for _, mode := range []Reservations{ReserveNever, ReserveAlways} {
		s := New(client, Options{Prefix: prefix, Hasher: fakeHasher{}, Reservations: mode,
			WaitReplicas: 1, WaitTimeout: 10 * time.Millisecond, Logger: zap.New(core)})
		name := fmt.Sprintf("w%d", mode)
		if _, err := s.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: name, Password: "pw"}); err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
		if _, err := s.FindByName(ctx, "shop", name); err != nil {
			t.Fatalf("mode %d: %v", mode, err)
		}
	}
	if n := logs.FilterMessageSnippet("fewer replicas").Len(); n == 0 {
		t.Fatal("no warning about the missing replica")
	}
}
