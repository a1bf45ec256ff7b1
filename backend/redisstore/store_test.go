package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

// cheap keeps the suite fast; production uses passhash.DefaultParams.
var cheap = passhash.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// now has nanoseconds that a .NET tick (100 ns) cannot hold.
var now = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))

// created is now as stored: UTC, truncated to 100 ns.
var created = time.Date(2024, 5, 6, 5, 8, 9, 123456700, time.UTC)

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

type env struct {
	store  *redisstore.Store
	client redis.UniversalClient
	prefix string
	hasher *countingHasher
	logs   *observer.ObservedLogs
}

// newEnv returns a store on a fresh key prefix of the test server. hasher
// nil means a cheap passhash.Pool.
func newEnv(tb testing.TB, hasher redisstore.Hasher) *env {
	tb.Helper()
	client, prefix := redistest.Client(tb)
	if hasher == nil {
		pool := passhash.New(cheap, 4, 256)
		tb.Cleanup(pool.Close)
		hasher = pool
	}
	counting := &countingHasher{Hasher: hasher}
	core, logs := observer.New(zapcore.DebugLevel)
	store := redisstore.New(client, redisstore.Options{
		Prefix: prefix,
		Hasher: counting,
		Now:    func() time.Time { return now },
		Logger: zap.New(core),
	})
	return &env{store: store, client: client, prefix: prefix, hasher: counting, logs: logs}
}

func (e *env) register(t *testing.T, cmd backend.RegisterCommand) backend.User {
	t.Helper()
	u, err := e.store.Register(context.Background(), cmd)
	if err != nil {
		t.Fatalf("Register(%s/%s): %v", cmd.Realm, cmd.Username, err)
	}
	return u
}

// keys returns every key under the prefix, sorted.
func (e *env) keys(t testing.TB) []string {
	t.Helper()
	all, err := redistest.Keys(context.Background(), e.client, e.prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(all)
	return all
}

// snapshot returns every key under the prefix with its value (strings) or
// its fields (hashes).
func (e *env) snapshot(t testing.TB) map[string]any {
	t.Helper()
	ctx := context.Background()
	snap := map[string]any{}
	for _, k := range e.keys(t) {
		switch typ := e.client.Type(ctx, k).Val(); typ {
		case "string":
			snap[k] = e.client.Get(ctx, k).Val()
		case "hash":
			snap[k] = e.client.HGetAll(ctx, k).Val()
		case "stream":
			snap[k] = e.client.XRange(ctx, k, "-", "+").Val()
		default:
			t.Fatalf("key %s has unexpected type %q", k, typ)
		}
	}
	return snap
}

type countingHasher struct {
	redisstore.Hasher
	hashes, verifies atomic.Int32
}

func (h *countingHasher) Hash(ctx context.Context, pw backend.Password) (string, error) {
	h.hashes.Add(1)
	return h.Hasher.Hash(ctx, pw)
}

func (h *countingHasher) Verify(ctx context.Context, pw backend.Password, phc string) (bool, error) {
	h.verifies.Add(1)
	return h.Hasher.Verify(ctx, pw, phc)
}

func manyAttributes(n int) []backend.Attribute {
	attrs := make([]backend.Attribute, n)
	for i := range attrs {
		attrs[i] = backend.Attribute{Name: fmt.Sprintf("attr%03d", n-i), Value: strconv.Itoa(i)}
	}
	return attrs
}

func TestRegister(t *testing.T) {
	tests := []struct {
		name     string
		give     backend.RegisterCommand
		want     backend.User      // UUID is checked separately
		wantHash map[string]string // "<uuid>" and "<phc>" stand for the generated values
		wantName string            // normalised name key suffix
	}{
		{
			name: "every field",
			give: backend.RegisterCommand{
				Realm: "shop", Username: "Alice", Email: "alice@example.com", Password: "correct horse",
				Phone: "+44 20 7946 0000", FirstName: "Alice", LastName: "Liddell",
				Roles: []string{"user", "admin"},
				Attributes: []backend.Attribute{
					{Name: "Zeta", Value: "z"}, {Name: "Alpha", Value: "a"}, {Name: "Empty", Value: ""},
					{Name: "with:colon", Value: "{\"json\": true}"},
				},
				Inactive: true,
			},
			want: backend.User{
				ID: 1, Realm: "shop", Username: "Alice", Email: "alice@example.com",
				Phone: "+44 20 7946 0000", FirstName: "Alice", LastName: "Liddell",
				Roles: []string{"user", "admin"},
				Attributes: []backend.Attribute{
					{Name: "Zeta", Value: "z"}, {Name: "Alpha", Value: "a"}, {Name: "Empty", Value: ""},
					{Name: "with:colon", Value: "{\"json\": true}"},
				},
				Active: false, Created: created,
			},
			wantHash: map[string]string{
				"id": "1", "uuid": "<uuid>", "realm": "shop", "username": "Alice",
				"email": "alice@example.com", "phone": "+44 20 7946 0000",
				"first_name": "Alice", "last_name": "Liddell", "password": "<phc>",
				"roles": `["user","admin"]`, "attrs": `["Zeta","Alpha","Empty","with:colon"]`,
				"created": "2024-05-06T05:08:09.1234567Z", "active": "0",
				"a:Zeta": "z", "a:Alpha": "a", "a:Empty": "", "a:with:colon": "{\"json\": true}",
			},
			wantName: "ALICE",
		},
		{
			name: "minimal",
			give: backend.RegisterCommand{Realm: "shop", Username: "bob", Password: "pw"},
			want: backend.User{ID: 1, Realm: "shop", Username: "bob", Active: true, Created: created},
			wantHash: map[string]string{
				"id": "1", "uuid": "<uuid>", "realm": "shop", "username": "bob", "password": "<phc>",
				"roles": `[]`, "attrs": `[]`, "created": "2024-05-06T05:08:09.1234567Z", "active": "1",
			},
			wantName: "BOB",
		},
		{
			name:     "unicode and spaces kept",
			give:     backend.RegisterCommand{Realm: "shop", Username: " Jürgen ", Password: "pw"},
			want:     backend.User{ID: 1, Realm: "shop", Username: " Jürgen ", Active: true, Created: created},
			wantName: " JÜRGEN ",
		},
		{
			name:     "many attributes",
			give:     backend.RegisterCommand{Realm: "shop", Username: "many", Password: "pw", Attributes: manyAttributes(500)},
			want:     backend.User{ID: 1, Realm: "shop", Username: "many", Attributes: manyAttributes(500), Active: true, Created: created},
			wantName: "MANY",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			ctx := context.Background()
			got := e.register(t, tt.give)

			if parsed, err := uuid.Parse(got.UUID); err != nil || parsed.String() != got.UUID {
				t.Fatalf("UUID %q is not a lower-case canonical uuid", got.UUID)
			}
			tt.want.UUID = got.UUID
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Register =\n%+v\nwant\n%+v", got, tt.want)
			}

			// Read back three ways.
			byID, err := e.store.Get(ctx, "shop", strings.ToUpper(got.UUID))
			if err != nil || !reflect.DeepEqual(byID, tt.want) {
				t.Fatalf("Get = %+v, %v; want %+v", byID, err, tt.want)
			}
			byName, err := e.store.FindByName(ctx, "shop", strings.ToLower(tt.give.Username))
			if err != nil || !reflect.DeepEqual(byName, tt.want) {
				t.Fatalf("FindByName = %+v, %v; want %+v", byName, err, tt.want)
			}

			// The stored layout.
			realm := e.prefix + "{shop}:"
			wantKeys := []string{indexKey(e.prefix, "name", "shop", tt.wantName), realm + "seq", realm + "user:" + got.UUID}
			if tt.give.Email != "" {
				wantKeys = append(wantKeys, indexKey(e.prefix, "email", "shop", strings.ToUpper(tt.give.Email)))
			}
			slices.Sort(wantKeys)
			if keys := e.keys(t); !slices.Equal(keys, wantKeys) {
				t.Fatalf("keys = %q, want %q", keys, wantKeys)
			}
			snap := e.snapshot(t)
			if v := snap[realm+"seq"]; v != "1" {
				t.Errorf("seq = %v, want 1", v)
			}
			if v := snap[indexKey(e.prefix, "name", "shop", tt.wantName)]; v != got.UUID {
				t.Errorf("name key = %v, want %s", v, got.UUID)
			}
			if tt.give.Email != "" {
				if v := snap[indexKey(e.prefix, "email", "shop", strings.ToUpper(tt.give.Email))]; v != got.UUID {
					t.Errorf("email key = %v, want %s", v, got.UUID)
				}
			}
			hash := snap[realm+"user:"+got.UUID].(map[string]string)
			if !phcRE.MatchString(hash["password"]) {
				t.Errorf("stored password %q is not an argon2id PHC string", hash["password"])
			}
			if tt.wantHash != nil {
				want := map[string]string{}
				for k, v := range tt.wantHash {
					switch v {
					case "<uuid>":
						v = got.UUID
					case "<phc>":
						v = hash["password"]
					}
					want[k] = v
				}
				if !reflect.DeepEqual(hash, want) {
					t.Errorf("user hash =\n%q\nwant\n%q", hash, want)
				}
			}
		})
	}
}

func TestRegisterIDSequence(t *testing.T) {
	e := newEnv(t, nil)
	steps := []struct {
		realm, username string
		want            int64
	}{
		{"a", "u1", 1},
		{"b", "u1", 1}, // realms are independent, names and ids alike
		{"a", "u2", 2},
		{"a", "u3", 3},
		{"b", "u2", 2},
	}
	for _, s := range steps {
		u := e.register(t, backend.RegisterCommand{Realm: s.realm, Username: s.username, Password: "pw"})
		if u.ID != s.want {
			t.Fatalf("%s/%s: ID = %d, want %d", s.realm, s.username, u.ID, s.want)
		}
	}
}

func TestRegisterConflict(t *testing.T) {
	seed := backend.RegisterCommand{Realm: "shop", Username: "Alice", Email: "alice@example.com", Password: "pw"}
	tests := []struct {
		name string
		give backend.RegisterCommand
		want *backend.ConflictError // nil: registration succeeds
	}{
		{"same username", backend.RegisterCommand{Realm: "shop", Username: "Alice", Password: "x"},
			&backend.ConflictError{Field: backend.FieldUsername, Value: "Alice"}},
		{"username other case", backend.RegisterCommand{Realm: "shop", Username: "aLiCe", Email: "new@example.com", Password: "x"},
			&backend.ConflictError{Field: backend.FieldUsername, Value: "aLiCe"}},
		{"email other case", backend.RegisterCommand{Realm: "shop", Username: "bob", Email: "ALICE@Example.com", Password: "x"},
			&backend.ConflictError{Field: backend.FieldEmail, Value: "ALICE@Example.com"}},
		{"both taken reports username", backend.RegisterCommand{Realm: "shop", Username: "ALICE", Email: "alice@example.com", Password: "x"},
			&backend.ConflictError{Field: backend.FieldUsername, Value: "ALICE"}},
		{"trailing space is another username", backend.RegisterCommand{Realm: "shop", Username: "Alice ", Password: "x"}, nil},
		{"other realm", backend.RegisterCommand{Realm: "blog", Username: "Alice", Email: "alice@example.com", Password: "x"}, nil},
		{"no email reserves none", backend.RegisterCommand{Realm: "shop", Username: "carol", Password: "x"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.register(t, seed)
			before := e.snapshot(t)

			_, err := e.store.Register(context.Background(), tt.give)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Register = %v, want success", err)
				}
				return
			}
			var conflict *backend.ConflictError
			if !errors.As(err, &conflict) || !errors.Is(err, backend.ErrUserExists) {
				t.Fatalf("Register = %v, want a *ConflictError", err)
			}
			if *conflict != *tt.want {
				t.Fatalf("conflict = %+v, want %+v", *conflict, *tt.want)
			}
			// Nothing half-written: same keys, same values, same sequence.
			if after := e.snapshot(t); !reflect.DeepEqual(after, before) {
				t.Fatalf("store changed by a conflicting registration:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
	t.Run("no email twice", func(t *testing.T) {
		e := newEnv(t, nil)
		e.register(t, backend.RegisterCommand{Realm: "shop", Username: "u1", Password: "x"})
		e.register(t, backend.RegisterCommand{Realm: "shop", Username: "u2", Password: "x"})
	})
}

func TestRegisterInvalid(t *testing.T) {
	tests := []struct {
		name string
		give backend.RegisterCommand
	}{
		{"empty realm", backend.RegisterCommand{Username: "u", Password: "pw"}},
		{"realm with brace", backend.RegisterCommand{Realm: "a}b", Username: "u", Password: "pw"}},
		{"realm with open brace", backend.RegisterCommand{Realm: "{a", Username: "u", Password: "pw"}},
		{"empty username", backend.RegisterCommand{Realm: "shop", Password: "pw"}},
		{"duplicate attribute", backend.RegisterCommand{Realm: "shop", Username: "u", Password: "pw",
			Attributes: []backend.Attribute{{Name: "x", Value: "1"}, {Name: "x", Value: "2"}}}},
		{"attribute name not UTF-8", backend.RegisterCommand{Realm: "shop", Username: "u", Password: "pw",
			Attributes: []backend.Attribute{{Name: "\xff", Value: "1"}}}},
		{"role not UTF-8", backend.RegisterCommand{Realm: "shop", Username: "u", Password: "pw", Roles: []string{"\xfe"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			_, err := e.store.Register(context.Background(), tt.give)
			if !errors.Is(err, backend.ErrInvalidCommand) {
				t.Fatalf("Register = %v, want ErrInvalidCommand", err)
			}
			if !strings.HasPrefix(err.Error(), "redisstore: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if n := e.hasher.hashes.Load(); n != 0 {
				t.Errorf("password hashed %d times for an invalid command", n)
			}
			if keys := e.keys(t); len(keys) != 0 {
				t.Errorf("keys written: %q", keys)
			}
		})
	}
}

func TestRegisterConcurrentSameUsername(t *testing.T) {
	e := newEnv(t, nil)
	const n = 20
	var (
		start     = make(chan struct{})
		wg        sync.WaitGroup
		successes atomic.Int32
		conflicts atomic.Int32
	)
	for i := range n {
		wg.Go(func() {
			name := "racer"
			if i%2 == 1 {
				name = "RACER"
			}
			<-start
			_, err := e.store.Register(context.Background(), backend.RegisterCommand{
				Realm: "shop", Username: name, Email: fmt.Sprintf("racer%d@example.com", i), Password: "pw",
			})
			var conflict *backend.ConflictError
			switch {
			case err == nil:
				successes.Add(1)
			case errors.As(err, &conflict) && conflict.Field == backend.FieldUsername:
				conflicts.Add(1)
			default:
				t.Errorf("Register: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if s, c := successes.Load(), conflicts.Load(); s != 1 || c != n-1 {
		t.Fatalf("%d successes and %d conflicts, want 1 and %d", s, c, n-1)
	}
	// One user: seq, name, one email, one hash.
	if keys := e.keys(t); len(keys) != 4 {
		t.Fatalf("keys = %q, want 4", keys)
	}
	if seq := e.client.Get(context.Background(), e.prefix+"{shop}:seq").Val(); seq != "1" {
		t.Fatalf("seq = %s, want 1", seq)
	}
}

func TestRegisterConcurrentIDsUnique(t *testing.T) {
	e := newEnv(t, nil)
	const n = 20
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			u, err := e.store.Register(context.Background(), backend.RegisterCommand{
				Realm: "shop", Username: fmt.Sprintf("user%d", i), Password: "pw",
			})
			if err != nil {
				t.Error(err)
			}
			ids[i] = u.ID
		})
	}
	wg.Wait()
	slices.Sort(ids)
	for i, id := range ids {
		if id != int64(i+1) {
			t.Fatalf("ids = %v, want 1…%d", ids, n)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	e := newEnv(t, nil)
	alice := e.register(t, backend.RegisterCommand{Realm: "shop", Username: "Alice", Email: "a@example.com",
		Password: "correct horse", Roles: []string{"user"}, Attributes: []backend.Attribute{{Name: "Lang", Value: "en"}}})
	e.register(t, backend.RegisterCommand{Realm: "blog", Username: "Bob", Password: "correct horse"})
	tests := []struct {
		name     string
		realm    string
		username string
		password backend.Password
		want     error // nil: returns alice
	}{
		{"ok", "shop", "Alice", "correct horse", nil},
		{"username other case", "shop", "aLICE", "correct horse", nil},
		{"wrong password", "shop", "Alice", "correct horsE", backend.ErrInvalidCredentials},
		{"empty password", "shop", "Alice", "", backend.ErrInvalidCredentials},
		{"unknown user", "shop", "mallory", "correct horse", backend.ErrInvalidCredentials},
		{"empty username", "shop", "", "correct horse", backend.ErrInvalidCredentials},
		{"user of another realm", "shop", "Bob", "correct horse", backend.ErrInvalidCredentials},
		{"email is not a username", "shop", "a@example.com", "correct horse", backend.ErrInvalidCredentials},
		{"invalid realm", "", "Alice", "correct horse", backend.ErrInvalidCommand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verifies := e.hasher.verifies.Load()
			got, err := e.store.Authenticate(context.Background(), tt.realm, tt.username, tt.password)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Authenticate = %v, want %v", err, tt.want)
			}
			if tt.want == nil && !reflect.DeepEqual(got, alice) {
				t.Fatalf("Authenticate = %+v, want %+v", got, alice)
			}
			if tt.want == backend.ErrInvalidCredentials {
				if err != backend.ErrInvalidCredentials {
					t.Errorf("error = %#v, want the sentinel itself", err)
				}
				// Known or not, exactly one verification: no timing oracle.
				if n := e.hasher.verifies.Load() - verifies; n != 1 {
					t.Errorf("%d verifications, want 1", n)
				}
			}
		})
	}
}

func TestIsAvailable(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, backend.RegisterCommand{Realm: "shop", Username: "Alice", Email: "alice@example.com", Password: "pw"})
	tests := []struct {
		name     string
		realm    string
		username string
		want     bool
		wantErr  error
	}{
		{"taken", "shop", "Alice", false, nil},
		{"taken other case", "shop", "ALICE", false, nil},
		{"free", "shop", "bob", true, nil},
		{"trailing space", "shop", "Alice ", true, nil},
		{"email is not a username", "shop", "alice@example.com", true, nil},
		{"other realm", "blog", "Alice", true, nil},
		{"empty username", "shop", "", false, backend.ErrInvalidCommand},
		{"empty realm", "", "Alice", false, backend.ErrInvalidCommand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.store.IsAvailable(context.Background(), tt.realm, tt.username)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("IsAvailable = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("IsAvailable = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGetAndFindByNameNotFound(t *testing.T) {
	e := newEnv(t, nil)
	u := e.register(t, backend.RegisterCommand{Realm: "shop", Username: "Alice", Password: "pw"})
	tests := []struct {
		name string
		call func() error
	}{
		{"get unknown uuid", func() error { _, err := e.store.Get(context.Background(), "shop", uuid.NewString()); return err }},
		{"get malformed uuid", func() error { _, err := e.store.Get(context.Background(), "shop", "not-a-uuid"); return err }},
		{"get other realm", func() error { _, err := e.store.Get(context.Background(), "blog", u.UUID); return err }},
		{"find unknown", func() error { _, err := e.store.FindByName(context.Background(), "shop", "bob"); return err }},
		{"find other realm", func() error { _, err := e.store.FindByName(context.Background(), "blog", "Alice"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, redisstore.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestPasswordNeverStoredOrLogged(t *testing.T) {
	const secret = "Tr0ub4dor&3-unmistakable"
	e := newEnv(t, nil)
	ctx := context.Background()
	var users []backend.User
	for i, name := range []string{"alice", "bob", "carol"} {
		users = append(users, e.register(t, backend.RegisterCommand{
			Realm: "shop", Username: name, Email: name + "@example.com", Password: backend.Password(secret + strconv.Itoa(i)),
			Attributes: []backend.Attribute{{Name: "Note", Value: "hello"}},
		}))
	}
	if _, err := e.store.Authenticate(ctx, "shop", "alice", backend.Password(secret+"0")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Authenticate(ctx, "shop", "alice", backend.Password(secret+"x")); !errors.Is(err, backend.ErrInvalidCredentials) {
		t.Fatal(err)
	}
	if _, err := e.store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "alice", Password: secret}); err == nil {
		t.Fatal("conflict expected")
	}

	keys := e.keys(t)
	if len(keys) != 1+3*3 {
		t.Fatalf("keys = %q", keys)
	}
	hashes := 0
	for _, k := range keys {
		if strings.Contains(k, secret) {
			t.Errorf("key %q contains the password", k)
		}
		var values []string
		switch typ := e.client.Type(ctx, k).Val(); typ {
		case "string":
			values = append(values, e.client.Get(ctx, k).Val())
		case "hash":
			for f, v := range e.client.HGetAll(ctx, k).Val() {
				values = append(values, f, v)
				if f == "password" {
					hashes++
					if !phcRE.MatchString(v) {
						t.Errorf("%s: password field %q is not an argon2id PHC string", k, v)
					}
				}
			}
		default:
			t.Fatalf("key %s: unexpected type %q", k, typ)
		}
		values = append(values, e.client.Dump(ctx, k).Val()) // raw serialisation too
		for _, v := range values {
			if strings.Contains(v, secret) {
				t.Errorf("key %s holds the clear password", k)
			}
		}
	}
	if hashes != 3 {
		t.Errorf("%d password fields, want 3", hashes)
	}
	for _, u := range users {
		if s := fmt.Sprintf("%+v %#v", u, u); strings.Contains(s, secret) {
			t.Errorf("returned user carries the password: %s", s)
		}
	}
	if e.logs.Len() == 0 {
		t.Fatal("no log entries captured; the log check would prove nothing")
	}
	for _, entry := range e.logs.All() {
		if s := fmt.Sprintf("%s %v", entry.Message, entry.ContextMap()); strings.Contains(s, secret) {
			t.Errorf("log entry carries the password: %s", s)
		}
	}
}

// overloaded refuses all work, like a passhash.Pool whose queue is full.
type overloaded struct{}

func (overloaded) Hash(context.Context, backend.Password) (string, error) {
	return "", backend.ErrOverloaded
}

func (overloaded) Verify(context.Context, backend.Password, string) (bool, error) {
	return false, backend.ErrOverloaded
}

// commandCounter counts the commands a client sends.
type commandCounter struct{ n atomic.Int32 }

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(int32(len(cmds)))
		return next(ctx, cmds)
	}
}

func TestOverload(t *testing.T) {
	ctx := context.Background()
	// want is how many Redis commands Register sends while the hasher
	// refuses work: none on a single node (the hash comes first); the
	// reservation and its release with the cross-slot protocol.
	want := map[redisstore.Reservations]int32{redisstore.ReserveNever: 0, redisstore.ReserveAlways: 2}
	eachProtocol(t, func(t *testing.T, give redisstore.Reservations) {
		normal := newEnv(t, nil)
		normal.register(t, backend.RegisterCommand{Realm: "shop", Username: "alice", Password: "pw"})
		// No WAIT: it would go to the node clients, which the counter does not see.
		store := redisstore.New(normal.client, redisstore.Options{Prefix: normal.prefix, Hasher: overloaded{},
			Reservations: give, WaitReplicas: -1})
		// Once to load the scripts (EVALSHA's NOSCRIPT fallback), then counted.
		_, _ = store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "bob", Password: "pw"})
		counter := &commandCounter{}
		normal.client.AddHook(counter)

		_, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "bob", Password: "pw"})
		if err != backend.ErrOverloaded {
			t.Fatalf("Register = %v, want backend.ErrOverloaded itself", err)
		}
		if n := counter.n.Load(); n != want[give] {
			t.Fatalf("Register sent %d Redis commands while the hasher was overloaded, want %d", n, want[give])
		}
		for _, name := range []string{"alice", "unknown"} {
			if _, err := store.Authenticate(ctx, "shop", name, "pw"); err != backend.ErrOverloaded {
				t.Fatalf("Authenticate(%s) = %v, want backend.ErrOverloaded itself", name, err)
			}
		}
		if keys := normal.keys(t); len(keys) != 3 {
			t.Fatalf("keys = %q, want alice's 3 only", keys)
		}
	})
}

// eachProtocol runs f once per registration protocol, as a subtest named
// after it; the one-script protocol needs every key on one node, so it is
// skipped on a Cluster.
func eachProtocol(t *testing.T, f func(t *testing.T, give redisstore.Reservations)) {
	for _, p := range []struct {
		name string
		give redisstore.Reservations
	}{
		{"one script", redisstore.ReserveNever},
		{"reservations", redisstore.ReserveAlways},
	} {
		t.Run(p.name, func(t *testing.T) {
			if p.give == redisstore.ReserveNever && redistest.CurrentTopology() == redistest.Cluster {
				t.Skip("one script needs every key on one node")
			}
			f(t, p.give)
		})
	}
}

func TestHasherError(t *testing.T) {
	pool := passhash.New(cheap, 1, 1)
	pool.Close()
	e := newEnv(t, pool)
	_, err := e.store.Register(context.Background(), backend.RegisterCommand{Realm: "shop", Username: "u", Password: "pw"})
	if !errors.Is(err, passhash.ErrClosed) || errors.Is(err, backend.ErrUnavailable) || errors.Is(err, backend.ErrOverloaded) {
		t.Fatalf("Register = %v, want passhash.ErrClosed only", err)
	}
	if keys := e.keys(t); len(keys) != 0 {
		t.Fatalf("keys written: %q", keys)
	}
}

// deadAddr returns a loopback address nobody listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestUnavailable(t *testing.T) {
	pool := passhash.New(cheap, 1, 4)
	t.Cleanup(pool.Close)
	down := redis.NewClient(&redis.Options{Addr: deadAddr(t), MaxRetries: -1, DialTimeout: time.Second, DialerRetries: 1})
	t.Cleanup(func() { down.Close() })
	closed := redis.NewClient(&redis.Options{Addr: deadAddr(t)})
	closed.Close()

	for name, client := range map[string]redis.UniversalClient{"nobody listening": down, "closed client": closed} {
		store := redisstore.New(client, redisstore.Options{Prefix: "lgtest:unused:", Hasher: pool})
		ctx := context.Background()
		tests := []struct {
			name string
			call func() error
		}{
			{"Register", func() error {
				_, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "u", Password: "pw"})
				return err
			}},
			{"Authenticate", func() error { _, err := store.Authenticate(ctx, "shop", "u", "pw"); return err }},
			{"IsAvailable", func() error { _, err := store.IsAvailable(ctx, "shop", "u"); return err }},
			{"Ping", func() error { return store.Ping(ctx) }},
			{"Get", func() error { _, err := store.Get(ctx, "shop", uuid.NewString()); return err }},
			{"FindByName", func() error { _, err := store.FindByName(ctx, "shop", "u"); return err }},
		}
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				err := tt.call()
				if !errors.Is(err, backend.ErrUnavailable) || !strings.HasPrefix(err.Error(), "redisstore: ") {
					t.Fatalf("err = %v, want redisstore: … ErrUnavailable", err)
				}
			})
		}
	}
}

func TestCanceledContext(t *testing.T) {
	e := newEnv(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.store.IsAvailable(ctx, "shop", "u")
	if !errors.Is(err, context.Canceled) || errors.Is(err, backend.ErrUnavailable) {
		t.Fatalf("IsAvailable = %v, want context.Canceled and not ErrUnavailable", err)
	}
}

func TestOpenEmbedded(t *testing.T) {
	pool := passhash.New(cheap, 2, 8)
	t.Cleanup(pool.Close)
	core, logs := observer.New(zapcore.InfoLevel)
	ctx := context.Background()

	store, closeStore, err := redisstore.Open(ctx, "", redisstore.Options{Prefix: "lg:", Hasher: pool, Logger: zap.New(core)})
	if err != nil {
		t.Fatal(err)
	}
	if warns := logs.FilterLevelExact(zapcore.WarnLevel).FilterMessageSnippet("in-memory").Len(); warns != 1 {
		t.Errorf("%d in-memory warnings logged, want 1: %v", warns, logs.All())
	}

	if err := store.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "Alice", Email: "a@example.com", Password: "pw",
		Attributes: manyAttributes(300)})
	if err != nil || u.ID != 1 {
		t.Fatalf("Register = %+v, %v", u, err)
	}
	if _, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "ALICE", Password: "pw"}); !errors.Is(err, backend.ErrUserExists) {
		t.Fatalf("second Register = %v, want a conflict", err)
	}
	if ok, err := store.IsAvailable(ctx, "shop", "alice"); ok || err != nil {
		t.Fatalf("IsAvailable = %v, %v", ok, err)
	}
	got, err := store.Authenticate(ctx, "shop", "alice", "pw")
	if err != nil || !reflect.DeepEqual(got, u) {
		t.Fatalf("Authenticate = %+v, %v; want %+v", got, err, u)
	}
	if _, err := store.Authenticate(ctx, "shop", "alice", "wrong"); !errors.Is(err, backend.ErrInvalidCredentials) {
		t.Fatalf("Authenticate(wrong) = %v", err)
	}

	if err := closeStore(); err != nil {
		t.Fatalf("closer: %v", err)
	}
	if err := store.Ping(ctx); !errors.Is(err, backend.ErrUnavailable) {
		t.Fatalf("Ping after close = %v, want ErrUnavailable", err)
	}
}

func TestOpenURL(t *testing.T) {
	pool := passhash.New(cheap, 2, 8)
	t.Cleanup(pool.Close)
	_, prefix := redistest.Client(t) // for the cleanup of prefix
	core, logs := observer.New(zapcore.InfoLevel)
	ctx := context.Background()

	store, closeStore, err := redisstore.Open(ctx, redistest.URL(), redisstore.Options{Prefix: prefix, Hasher: pool, Logger: zap.New(core)})
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	if n := logs.FilterMessageSnippet("connected").Len(); n != 1 {
		t.Errorf("%d connected messages, want 1: %v", n, logs.All())
	}
	if _, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "u", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Authenticate(ctx, "shop", "U", "pw"); err != nil {
		t.Fatal(err)
	}
}

func TestOpenErrors(t *testing.T) {
	pool := passhash.New(cheap, 1, 1)
	t.Cleanup(pool.Close)
	dead := deadAddr(t)
	tests := []struct {
		name            string
		give            string
		wantUnavailable bool
	}{
		{"host without port", "localhost", false},
		{"empty seed", "127.0.0.1:7000,,127.0.0.1:7001", false},
		{"bad URL", "redis://user:s3cret@127.0.0.1:notaport", false},
		{"nobody at URL", "redis://" + dead, true},
		{"nobody at cluster seeds", dead + "," + dead, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			store, closer, err := redisstore.Open(ctx, tt.give, redisstore.Options{Hasher: pool})
			if err == nil {
				closer()
				t.Fatalf("Open(%q) = %v, want an error", tt.give, store)
			}
			if errors.Is(err, backend.ErrUnavailable) != tt.wantUnavailable {
				t.Fatalf("Open(%q) = %v, want ErrUnavailable: %v", tt.give, err, tt.wantUnavailable)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error %q leaks the URL's password", err)
			}
		})
	}
	if _, _, err := redisstore.Open(context.Background(), "", redisstore.Options{}); err == nil {
		t.Fatal("Open without a hasher succeeded")
	}
}

// BenchmarkRegisterReserved is the cross-slot protocol (reserve, hash,
// commit, finish, clear) on whatever topology the tests run on; on a single
// node it shows the protocol's own cost beside BenchmarkRegister's one
// script.
func BenchmarkRegisterReserved(b *testing.B) {
	e := newEnv(b, nil)
	store := redisstore.New(e.client, redisstore.Options{Prefix: e.prefix, Hasher: e.hasher, Reservations: redisstore.ReserveAlways})
	ctx := context.Background()
	var n atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := strconv.FormatInt(n.Add(1), 10)
			if _, err := store.Register(ctx, backend.RegisterCommand{Realm: "shop", Username: "user" + i, Email: "user" + i + "@example.com", Password: "pw"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkRegister(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		e := newEnv(b, nil)
		ctx := context.Background()
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			i++
			if _, err := e.store.Register(ctx, backend.RegisterCommand{
				Realm: "shop", Username: "user" + strconv.Itoa(i), Email: "user" + strconv.Itoa(i) + "@example.com",
				Password: "pw", Roles: []string{"user"}, Attributes: []backend.Attribute{{Name: "Lang", Value: "en"}},
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		e := newEnv(b, nil)
		ctx := context.Background()
		var n atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := strconv.FormatInt(n.Add(1), 10)
				if _, err := e.store.Register(ctx, backend.RegisterCommand{
					Realm: "shop", Username: "user" + i, Email: "user" + i + "@example.com",
					Password: "pw", Roles: []string{"user"}, Attributes: []backend.Attribute{{Name: "Lang", Value: "en"}},
				}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// TestDuplicateCost: a taken username or email costs one round trip and
// a hash on a single node (the check is in the one script), and no hash
// with reservations (the reservation is the check); it writes nothing.
func TestDuplicateCost(t *testing.T) {
	ctx := context.Background()
	wantHashes := map[redisstore.Reservations]int32{redisstore.ReserveNever: 2, redisstore.ReserveAlways: 0}
	eachProtocol(t, func(t *testing.T, give redisstore.Reservations) {
		e := newEnv(t, nil)
		e.register(t, backend.RegisterCommand{Realm: "shop", Username: "alice", Email: "a@x.io", Password: "pw"})
		before := e.keys(t)
		h := &countingHasher{Hasher: passhash.New(cheap, 1, 4)}
		store := redisstore.New(e.client, redisstore.Options{Prefix: e.prefix, Hasher: h, Reservations: give})
		tests := []struct {
			give backend.RegisterCommand
			want backend.Field
		}{
			{backend.RegisterCommand{Realm: "shop", Username: "ALICE", Email: "new@x.io", Password: "pw"}, backend.FieldUsername},
			{backend.RegisterCommand{Realm: "shop", Username: "carol", Email: "A@X.IO", Password: "pw"}, backend.FieldEmail},
		}
		for _, tt := range tests {
			_, err := store.Register(ctx, tt.give)
			var ce *backend.ConflictError
			if !errors.As(err, &ce) || ce.Field != tt.want {
				t.Fatalf("Register(%s) = %v, want a %s conflict", tt.give.Username, err, tt.want)
			}
		}
		if n := h.hashes.Load(); n != wantHashes[give] {
			t.Fatalf("hashed %d times for refused duplicates, want %d", n, wantHashes[give])
		}
		if after := e.keys(t); !slices.Equal(after, before) {
			t.Fatalf("keys after refused duplicates = %q, want %q", after, before)
		}
	})
}
