package redisstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"legacygate/backend"
	"legacygate/backend/redisstore/redistest"
)

// fakeHasher stores "hash:<pw>"; enough for tests that never verify.
type fakeHasher struct{}

func (fakeHasher) Hash(_ context.Context, pw backend.Password) (string, error) {
	return "hash:" + string(pw), nil
}

func (fakeHasher) Verify(_ context.Context, pw backend.Password, phc string) (bool, error) {
	return phc == "hash:"+string(pw), nil
}

// A retried script whose first reply was lost must not report a conflict
// with its own write, nor consume a second id, nor append a second outbox
// event.
func TestRegisterScriptIsIdempotent(t *testing.T) {
	for _, withActivation := range []bool{false, true} {
		t.Run(fmt.Sprintf("activation=%v", withActivation), func(t *testing.T) {
			client, prefix := redistest.Client(t)
			s := New(client, Options{Prefix: prefix, Hasher: fakeHasher{}})
			ctx := context.Background()

			u := backend.User{UUID: uuid.NewString(), Realm: "shop", Username: "alice", Email: "a@example.com", Active: true, Created: time.Now().UTC()}
			var act *backend.Activation
			if withActivation {
				act = &backend.Activation{TTL: time.Hour, Event: []backend.Attribute{{Name: "link", Value: "https://x.example/a?c={code}"}}}
				u.Active, u.ActivationCode = false, newCode()
			}
			// The commit step on a Cluster, the whole protocol elsewhere.
			mode, fence := modeSingle, int64(0)
			if s.reserve {
				mode, fence = modeCommit, time.Now().Add(time.Hour).UnixMilli()
			}
			keys, args, err := s.registerCall(u, "phc", act, mode, fence)
			if err != nil {
				t.Fatal(err)
			}
			for try := range 3 {
				res, err := registerScript.Run(ctx, client, keys, args...).Result()
				if err != nil || res != int64(1) {
					t.Fatalf("run %d = %v, %v; want 1", try+1, res, err)
				}
			}
			if seq := client.Get(ctx, s.seqKey("shop")).Val(); seq != "1" {
				t.Fatalf("seq = %s after retries, want 1", seq)
			}
			wantEvents := int64(0)
			if withActivation {
				wantEvents = 1
			}
			if n := client.XLen(ctx, OutboxKey(prefix, "shop")).Val(); n != wantEvents {
				t.Fatalf("outbox has %d entries after retries, want %d", n, wantEvents)
			}

			if s.reserve {
				return // the commit step checks no names
			}
			// Another uuid for the same name is a real conflict.
			keys[1] = s.userKey("shop", uuid.NewString())
			if res, err := registerScript.Run(ctx, client, keys, args...).Result(); err != nil || res != "username" {
				t.Fatalf("other uuid = %v, %v; want \"username\"", res, err)
			}
			if n := client.XLen(ctx, OutboxKey(prefix, "shop")).Val(); n != wantEvents {
				t.Fatalf("outbox has %d entries after a conflict, want %d", n, wantEvents)
			}
		})
	}
}

// The script must survive a flushed script cache (EVALSHA → NOSCRIPT →
// EVAL).
func TestRegisterAfterScriptFlush(t *testing.T) {
	client, prefix := redistest.Client(t)
	s := New(client, Options{Prefix: prefix, Hasher: fakeHasher{}})
	ctx := context.Background()
	if _, err := s.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := client.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if u, err := s.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "b"}); err != nil || u.ID != 2 {
		t.Fatalf("Register after SCRIPT FLUSH = %+v, %v", u, err)
	}
}

// replyErr is an error reply from Redis.
type replyErr string

func (e replyErr) Error() string { return string(e) }
func (replyErr) RedisError()     {}

func TestUnavailableClassification(t *testing.T) {
	tests := []struct {
		give error
		want bool
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, true},
		{io.EOF, true},
		{redis.ErrClosed, true},
		{redis.ErrPoolTimeout, true},
		{context.DeadlineExceeded, true},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), true},
		{context.Canceled, false},
		{replyErr("LOADING Redis is loading the dataset in memory"), true},
		{replyErr("READONLY You can't write against a read only replica."), true},
		{replyErr("CLUSTERDOWN The cluster is down"), true},
		{replyErr("TRYAGAIN Multiple keys request during rehashing of slot"), true},
		{replyErr("MASTERDOWN Link with MASTER is down"), true},
		{replyErr("OOM command not allowed when used memory > 'maxmemory'."), true},
		{replyErr("NOAUTH Authentication required."), true},
		{replyErr("WRONGPASS invalid username-password pair"), true},
		{replyErr("NOPERM this user has no permissions to run the 'evalsha' command"), true},
		{replyErr("BUSY Redis is busy running a script."), true},
		{replyErr("MOVED 3999 127.0.0.1:6381"), true},
		{replyErr("ASK 3999 127.0.0.1:6381"), true},
		{replyErr("WRONGTYPE Operation against a key holding the wrong kind of value"), false},
		{replyErr("ERR Error running script"), false},
	}
	for _, tt := range tests {
		t.Run(tt.give.Error(), func(t *testing.T) {
			if got := unavailable(tt.give); got != tt.want {
				t.Fatalf("unavailable(%v) = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

func TestErrorKind(t *testing.T) {
	tests := []struct {
		give error
		want string
	}{
		{nil, "other"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, "network"},
		{io.EOF, "network"},
		{context.DeadlineExceeded, "timeout"},
		{redis.ErrPoolTimeout, "timeout"},
		{context.Canceled, "other"},
		{replyErr("OOM command not allowed when used memory > 'maxmemory'."), "oom"},
		{fmt.Errorf("redisstore: register: %w: %w", backend.ErrUnavailable, replyErr("READONLY You can't write against a read only replica.")), "readonly"},
		{replyErr("LOADING Redis is loading the dataset in memory"), "loading"},
		{replyErr("CLUSTERDOWN The cluster is down"), "clusterdown"},
		{replyErr("TRYAGAIN Multiple keys request during rehashing of slot"), "tryagain"},
		{replyErr("MASTERDOWN Link with MASTER is down"), "masterdown"},
		{replyErr("MOVED 3999 127.0.0.1:6381"), "moved"},
		{replyErr("NOAUTH Authentication required."), "auth"},
		{replyErr("BUSY Redis is busy running a script."), "busy"},
		{replyErr("WRONGTYPE Operation against a key holding the wrong kind of value"), "other"},
	}
	for _, tt := range tests {
		if got := ErrorKind(tt.give); got != tt.want {
			t.Errorf("ErrorKind(%v) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestDecodeUserCorrupt(t *testing.T) {
	good := map[string]string{
		"id": "7", "uuid": "0b7a3c1e-5a55-4b1e-9d3e-0a6c1f2e3d4c", "realm": "shop", "username": "u",
		"password": "phc", "roles": `["r"]`, "attrs": `["A"]`, "a:A": "1",
		"created": "2024-05-06T05:08:09.1234567Z", "active": "1",
	}
	if u, phc, err := decodeUser(good); err != nil || u.ID != 7 || phc != "phc" || u.Attributes[0].Value != "1" {
		t.Fatalf("decodeUser(good) = %+v, %q, %v", u, phc, err)
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for kk, vv := range good {
			m[kk] = vv
		}
		if v == "<delete>" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name string
		give map[string]string
		want string
	}{
		{"missing id", with("id", "<delete>"), `missing field "id"`},
		{"missing password", with("password", "<delete>"), `missing field "password"`},
		{"bad id", with("id", "x"), "id"},
		{"bad created", with("created", "yesterday"), "created"},
		{"bad roles", with("roles", "r"), "roles"},
		{"bad attrs", with("attrs", "{"), "attrs"},
		{"missing attribute value", with("a:A", "<delete>"), `missing attribute "A"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeUser(tt.give)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("decodeUser = %v, want an error about %s", err, tt.want)
			}
		})
	}
}

func TestCorruptRecordIsAnError(t *testing.T) {
	client, prefix := redistest.Client(t)
	s := New(client, Options{Prefix: prefix, Hasher: fakeHasher{}})
	ctx := context.Background()
	u, err := s.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "a"})
	if err != nil {
		t.Fatal(err)
	}
	client.HDel(ctx, s.userKey("shop", u.UUID), fCreated)
	_, err = s.Authenticate(ctx, "shop", "a", "")
	if err == nil || errors.Is(err, backend.ErrInvalidCredentials) || errors.Is(err, ErrNotFound) {
		t.Fatalf("Authenticate on a corrupt record = %v, want a plain error", err)
	}
}

// admittingHasher is a fakeHasher that answers Admit with err.
type admittingHasher struct {
	fakeHasher
	err error
}

func (h admittingHasher) Admit() error { return h.err }

// TestStoreAdmit: the store passes its hasher's admission through, and
// admits everything when the hasher cannot tell.
func TestStoreAdmit(t *testing.T) {
	full := &backend.OverloadedError{RetryAfter: 3 * time.Second}
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never dialled
	t.Cleanup(func() { client.Close() })
	for _, c := range []struct {
		name   string
		hasher Hasher
		want   error
	}{
		{"no admission", fakeHasher{}, nil},
		{"admits", admittingHasher{}, nil},
		{"refuses", admittingHasher{err: full}, full},
	} {
		t.Run(c.name, func(t *testing.T) {
			var a backend.Admitter = New(client, Options{Hasher: c.hasher})
			if err := a.Admit(); err != c.want {
				t.Fatalf("Admit = %v, want %v", err, c.want)
			}
		})
	}
}
