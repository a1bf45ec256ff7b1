package redisstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"legacygate/backend"
	"legacygate/backend/redisstore"
)

var codeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

func activationKey(prefix, realm, code string) string {
	sum := sha256.Sum256([]byte(code))
	return prefix + "{" + realm + "}:activation:" + hex.EncodeToString(sum[:])
}

// indexKey is the username ("name") or email key of realm for a normalised
// value: its own hash tag, so that a realm spreads over a Cluster's slots.
func indexKey(prefix, kind, realm, value string) string {
	return prefix + kind + ":{" + realm + ":" + value + "}"
}

// outbox returns the entries of realm's outbox with their fields in stream
// order, read with a raw XRANGE (go-redis's XMessage is a map).
func (e *env) outbox(t testing.TB, realm string) []outboxEntry {
	t.Helper()
	res, err := e.client.Do(context.Background(), "XRANGE", redisstore.OutboxKey(e.prefix, realm), "-", "+").Slice()
	if err != nil {
		t.Fatal(err)
	}
	var entries []outboxEntry
	for _, r := range res {
		pair := r.([]any)
		var fields []backend.Attribute
		flat := pair[1].([]any)
		for i := 0; i < len(flat); i += 2 {
			fields = append(fields, backend.Attribute{Name: flat[i].(string), Value: flat[i+1].(string)})
		}
		entries = append(entries, outboxEntry{ID: pair[0].(string), Fields: fields})
	}
	return entries
}

type outboxEntry struct {
	ID     string
	Fields []backend.Attribute
}

func activationCommand(username string) backend.RegisterCommand {
	return backend.RegisterCommand{
		Realm: "shop", Username: username, Email: username + "@example.com", Password: "Secret007-unmistakable",
		FirstName: "Jürgen", LastName: "Smith",
		Attributes: []backend.Attribute{
			{Name: "ConfirmationCallbackUrl", Value: "https://app.example/welcome"},
			{Name: "Language", Value: "de-de"},
		},
		Activation: &backend.Activation{
			TTL: time.Hour,
			Event: []backend.Attribute{
				{Name: "template", Value: "shop"},
				{Name: "language", Value: "de-de"},
				{Name: "link", Value: "https://gw.example/api/v1/Account/Activate?code={code}"},
				{Name: "twice", Value: "{code}/{code}"},
			},
		},
	}
}

func TestRegisterWithActivation(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	cmd := activationCommand("jurgen")
	cmd.Inactive = false // Activation implies inactive whatever Inactive says
	u := e.register(t, cmd)

	if u.Active {
		t.Error("user registered with an activation is active")
	}
	if !codeRE.MatchString(u.ActivationCode) {
		t.Fatalf("ActivationCode %q is not 43 base64url characters", u.ActivationCode)
	}
	stored, err := e.store.Get(ctx, "shop", u.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Active || stored.ActivationCode != "" {
		t.Fatalf("stored user: Active %v, ActivationCode %q; want inactive without a code", stored.Active, stored.ActivationCode)
	}
	want := u
	want.ActivationCode = ""
	if !reflect.DeepEqual(stored, want) {
		t.Fatalf("Get = %+v, want %+v", stored, want)
	}

	// Keys: the user's four, the activation key, the outbox.
	realm := e.prefix + "{shop}:"
	actKey := activationKey(e.prefix, "shop", u.ActivationCode)
	wantKeys := []string{actKey, indexKey(e.prefix, "email", "shop", "JURGEN@EXAMPLE.COM"), indexKey(e.prefix, "name", "shop", "JURGEN"),
		realm + "outbox", realm + "seq", realm + "user:" + u.UUID}
	slices.Sort(wantKeys)
	if keys := e.keys(t); !slices.Equal(keys, wantKeys) {
		t.Fatalf("keys = %q, want %q", keys, wantKeys)
	}
	if v := e.client.Get(ctx, actKey).Val(); v != u.UUID {
		t.Fatalf("activation key holds %q, want the uuid", v)
	}
	if ttl := e.client.PTTL(ctx, actKey).Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("activation key PTTL = %v, want (0, 1h]", ttl)
	}

	// One event, its fields in order, the code substituted.
	entries := e.outbox(t, "shop")
	if len(entries) != 1 {
		t.Fatalf("outbox has %d entries, want 1", len(entries))
	}
	wantFields := []backend.Attribute{
		{Name: "event", Value: "user.registered"},
		{Name: "realm", Value: "shop"},
		{Name: "user", Value: u.UUID},
		{Name: "id", Value: "1"},
		{Name: "username", Value: "jurgen"},
		{Name: "email", Value: "jurgen@example.com"},
		{Name: "first_name", Value: "Jürgen"},
		{Name: "last_name", Value: "Smith"},
		{Name: "code", Value: u.ActivationCode},
		{Name: "template", Value: "shop"},
		{Name: "language", Value: "de-de"},
		{Name: "link", Value: "https://gw.example/api/v1/Account/Activate?code=" + u.ActivationCode},
		{Name: "twice", Value: u.ActivationCode + "/" + u.ActivationCode},
	}
	if !reflect.DeepEqual(entries[0].Fields, wantFields) {
		t.Fatalf("outbox entry =\n%q\nwant\n%q", entries[0].Fields, wantFields)
	}

	// The code in clear is nowhere but in the outbox; the password nowhere.
	for _, k := range e.keys(t) {
		if strings.Contains(k, u.ActivationCode) {
			t.Errorf("key %q contains the code", k)
		}
		var values []string
		switch typ := e.client.Type(ctx, k).Val(); typ {
		case "string":
			values = append(values, e.client.Get(ctx, k).Val())
		case "hash":
			for f, v := range e.client.HGetAll(ctx, k).Val() {
				values = append(values, f, v)
			}
		case "stream":
			for _, entry := range e.outbox(t, "shop") {
				for _, f := range entry.Fields {
					if strings.Contains(f.Value, string(cmd.Password)) {
						t.Errorf("outbox field %s holds the password", f.Name)
					}
				}
			}
			continue
		}
		values = append(values, e.client.Dump(ctx, k).Val())
		for _, v := range values {
			if strings.Contains(v, u.ActivationCode) {
				t.Errorf("key %s holds the code in clear", k)
			}
			if strings.Contains(v, string(cmd.Password)) {
				t.Errorf("key %s holds the clear password", k)
			}
		}
	}
	// Nor in the logs.
	for _, entry := range e.logs.All() {
		if s := fmt.Sprintf("%s %v", entry.Message, entry.ContextMap()); strings.Contains(s, u.ActivationCode) {
			t.Errorf("log entry carries the code: %s", s)
		}
	}

	// A second user: a second event, a different code.
	v := e.register(t, activationCommand("vera"))
	if v.ActivationCode == u.ActivationCode {
		t.Fatal("two registrations got the same code")
	}
	if entries := e.outbox(t, "shop"); len(entries) != 2 || entries[1].Fields[2].Value != v.UUID {
		t.Fatalf("outbox after a second user = %v", entries)
	}
}

func TestRegisterWithoutActivationAppendsNothing(t *testing.T) {
	e := newEnv(t, nil)
	u := e.register(t, backend.RegisterCommand{Realm: "shop", Username: "a", Email: "a@example.com", Password: "pw", Inactive: true})
	if u.ActivationCode != "" || u.Active {
		t.Fatalf("user = %+v", u)
	}
	if n := len(e.keys(t)); n != 4 {
		t.Fatalf("%d keys, want the user's 4: %q", n, e.keys(t))
	}
}

func TestRegisterActivationConflictWritesNothing(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, activationCommand("alice"))
	before := e.snapshot(t)
	for _, tt := range []struct {
		name  string
		give  backend.RegisterCommand
		field backend.Field
	}{
		{"username", func() backend.RegisterCommand {
			c := activationCommand("ALICE")
			c.Email = "other@example.com"
			return c
		}(), backend.FieldUsername},
		{"email", func() backend.RegisterCommand {
			c := activationCommand("bob")
			c.Email = "Alice@Example.com"
			return c
		}(), backend.FieldEmail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.store.Register(context.Background(), tt.give)
			var ce *backend.ConflictError
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Fatalf("Register = %v, want a %s conflict", err, tt.field)
			}
			if after := e.snapshot(t); !reflect.DeepEqual(after, before) {
				t.Fatalf("store changed by a conflicting registration:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

// Racers pass the read-only precheck together, so the script itself must
// refuse all but one, and append one event.
func TestRegisterActivationConcurrentSameUsername(t *testing.T) {
	e := newEnv(t, nil)
	const n = 16
	var (
		start     = make(chan struct{})
		wg        sync.WaitGroup
		successes atomic.Int32
	)
	for i := range n {
		wg.Go(func() {
			cmd := activationCommand("racer")
			cmd.Email = fmt.Sprintf("racer%d@example.com", i)
			<-start
			_, err := e.store.Register(context.Background(), cmd)
			if err == nil {
				successes.Add(1)
			} else if !errors.Is(err, backend.ErrUserExists) {
				t.Errorf("Register: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if s := successes.Load(); s != 1 {
		t.Fatalf("%d successes, want 1", s)
	}
	if entries := e.outbox(t, "shop"); len(entries) != 1 {
		t.Fatalf("outbox has %d entries, want 1", len(entries))
	}
	n2, _ := e.client.Keys(context.Background(), e.prefix+"{shop}:activation:*").Result()
	if len(n2) != 1 {
		t.Fatalf("%d activation keys, want 1", len(n2))
	}
}

func TestActivate(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u := e.register(t, activationCommand("alice"))
	other := e.register(t, activationCommand("bob"))

	// An unknown code differs from alice's in its first character (one
	// that is not already that character: a random code may start with x).
	unknown := "x" + u.ActivationCode[1:]
	if u.ActivationCode[0] == 'x' {
		unknown = "y" + u.ActivationCode[1:]
	}
	for _, tt := range []struct{ name, realm, code string }{
		{"unknown code", "shop", unknown},
		{"empty code", "shop", ""},
		{"code in other case", "shop", strings.ToUpper(u.ActivationCode)},
		{"code of another realm", "blog", u.ActivationCode},
		{"huge code", "shop", strings.Repeat("a", 10000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := e.store.Activate(ctx, tt.realm, tt.code); err != backend.ErrInvalidActivation {
				t.Fatalf("Activate = %v, want ErrInvalidActivation itself", err)
			}
		})
	}
	if _, err := e.store.Activate(ctx, "", u.ActivationCode); !errors.Is(err, backend.ErrInvalidCommand) {
		t.Fatalf("Activate with empty realm = %v, want ErrInvalidCommand", err)
	}

	got, err := e.store.Activate(ctx, "shop", u.ActivationCode)
	if err != nil {
		t.Fatal(err)
	}
	want := u
	want.Active, want.ActivationCode = true, ""
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Activate =\n%+v\nwant\n%+v", got, want)
	}
	if cb, _ := got.Attr("ConfirmationCallbackUrl"); cb != "https://app.example/welcome" {
		t.Fatalf("ConfirmationCallbackUrl = %q", cb)
	}
	if stored, err := e.store.Get(ctx, "shop", u.UUID); err != nil || !stored.Active {
		t.Fatalf("Get after Activate = %+v, %v; want active", stored, err)
	}
	if n := e.client.Exists(ctx, activationKey(e.prefix, "shop", u.ActivationCode)).Val(); n != 0 {
		t.Fatal("activation key survives its use")
	}
	// Single use.
	if _, err := e.store.Activate(ctx, "shop", u.ActivationCode); err != backend.ErrInvalidActivation {
		t.Fatalf("second Activate = %v, want ErrInvalidActivation", err)
	}
	// The other user is untouched.
	if stored, _ := e.store.Get(ctx, "shop", other.UUID); stored.Active {
		t.Fatal("activating one user activated another")
	}
	// Authenticate tells the state too.
	if a, err := e.store.Authenticate(ctx, "shop", "alice", "Secret007-unmistakable"); err != nil || !a.Active {
		t.Fatalf("Authenticate after Activate = %+v, %v", a, err)
	}
}

func TestActivateConcurrentSingleUse(t *testing.T) {
	e := newEnv(t, nil)
	u := e.register(t, activationCommand("alice"))
	const n = 12
	var (
		start     = make(chan struct{})
		wg        sync.WaitGroup
		successes atomic.Int32
	)
	for range n {
		wg.Go(func() {
			<-start
			_, err := e.store.Activate(context.Background(), "shop", u.ActivationCode)
			switch {
			case err == nil:
				successes.Add(1)
			case err != backend.ErrInvalidActivation:
				t.Errorf("Activate: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if s := successes.Load(); s != 1 {
		t.Fatalf("%d successful activations with one code, want 1", s)
	}
}

func TestActivationExpires(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	cmd := activationCommand("alice")
	cmd.Activation.TTL = 50 * time.Millisecond
	u := e.register(t, cmd)
	key := activationKey(e.prefix, "shop", u.ActivationCode)
	// Redis expires the key; poll with a generous deadline instead of
	// assuming how long that takes.
	deadline := time.Now().Add(30 * time.Second)
	for e.client.Exists(ctx, key).Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("activation key never expired")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := e.store.Activate(ctx, "shop", u.ActivationCode); err != backend.ErrInvalidActivation {
		t.Fatalf("Activate after expiry = %v, want ErrInvalidActivation", err)
	}
	if stored, _ := e.store.Get(ctx, "shop", u.UUID); stored.Active {
		t.Fatal("expired code activated the user")
	}
	// The user and its event stay: expiry concerns the code only.
	if entries := e.outbox(t, "shop"); len(entries) != 1 {
		t.Fatalf("outbox has %d entries, want 1", len(entries))
	}
}

// A sub-millisecond TTL is rounded up, never sent as PX 0 (an error).
func TestActivationTTLRoundsUp(t *testing.T) {
	e := newEnv(t, nil)
	cmd := activationCommand("alice")
	cmd.Activation.TTL = 1500 * time.Microsecond
	e.register(t, cmd)
}

func TestRegisterActivationInvalid(t *testing.T) {
	with := func(f func(*backend.RegisterCommand)) backend.RegisterCommand {
		c := activationCommand("alice")
		f(&c)
		return c
	}
	tests := []struct {
		name string
		give backend.RegisterCommand
	}{
		{"zero TTL", with(func(c *backend.RegisterCommand) { c.Activation.TTL = 0 })},
		{"negative TTL", with(func(c *backend.RegisterCommand) { c.Activation.TTL = -time.Second })},
		{"sub-millisecond TTL", with(func(c *backend.RegisterCommand) { c.Activation.TTL = time.Microsecond })},
		{"reserved field", with(func(c *backend.RegisterCommand) {
			c.Activation.Event = append(c.Activation.Event, backend.Attribute{Name: "code", Value: "mine"})
		})},
		{"duplicate field", with(func(c *backend.RegisterCommand) {
			c.Activation.Event = append(c.Activation.Event, backend.Attribute{Name: "link", Value: "again"})
		})},
		{"empty field name", with(func(c *backend.RegisterCommand) {
			c.Activation.Event = append(c.Activation.Event, backend.Attribute{Name: "", Value: "x"})
		})},
		{"no recipient", with(func(c *backend.RegisterCommand) { c.Email = "" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			if _, err := e.store.Register(context.Background(), tt.give); !errors.Is(err, backend.ErrInvalidCommand) {
				t.Fatalf("Register = %v, want ErrInvalidCommand", err)
			}
			if keys := e.keys(t); len(keys) != 0 {
				t.Fatalf("keys written: %q", keys)
			}
		})
	}
	t.Run("to field instead of email", func(t *testing.T) {
		e := newEnv(t, nil)
		c := with(func(c *backend.RegisterCommand) {
			c.Email = ""
			c.Activation.Event = append(c.Activation.Event, backend.Attribute{Name: "to", Value: "notify@example.com"})
		})
		e.register(t, c)
	})
}

func TestOutboxUncapped(t *testing.T) {
	e := newEnv(t, nil)
	store := redisstore.New(e.client, redisstore.Options{Prefix: e.prefix, Hasher: e.hasher, OutboxMaxLen: -1})
	for _, name := range []string{"a", "b", "c"} {
		if _, err := store.Register(context.Background(), activationCommand(name)); err != nil {
			t.Fatal(err)
		}
	}
	if entries := e.outbox(t, "shop"); len(entries) != 3 {
		t.Fatalf("outbox has %d entries, want 3", len(entries))
	}
}
