package redisstore_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"legacygate/backend"
	"legacygate/backend/redisstore"
)

// toOldLayout rewrites the index keys of the store into the layout gateways
// wrote before issue 16 (every key of a realm under the realm's tag:
// <prefix>{<realm>}:name:<USERNAME>), as a store an older gateway left.
func toOldLayout(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	for _, k := range e.keys(t) {
		rest := strings.TrimPrefix(k, e.prefix)
		kind, tagged, ok := strings.Cut(rest, ":{")
		if !ok || (kind != "name" && kind != "email") {
			continue
		}
		realm, name, _ := strings.Cut(strings.TrimSuffix(tagged, "}"), ":")
		v, err := e.client.Get(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if err := e.client.Set(ctx, e.prefix+"{"+realm+"}:"+kind+":"+name, v, 0).Err(); err != nil {
			t.Fatal(err)
		}
		if err := e.client.Del(ctx, k).Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMigrate writes a store in the old key layout (users with emails,
// an inactive user with its activation code, a session as old gateways
// stored it, an API key), then migrates it: a dry run changes nothing, the
// migration keeps every user, session, key and code working, and a rerun
// does nothing. A name a newer gateway registered meanwhile and an index key
// naming no user are reported and left alone.
func TestMigrate(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	ann := e.register(t, backend.RegisterCommand{Realm: "r1", Username: "Ann", Email: "ann@example.com", Password: "pw"})
	bob := e.register(t, backend.RegisterCommand{Realm: "r1", Username: "bob:{x}", Password: "pw"})
	cy := e.register(t, backend.RegisterCommand{Realm: "r2", Username: "cy", Email: "cy@example.com", Password: "pw",
		Activation: &backend.Activation{TTL: time.Hour}})
	sess, err := e.store.OpenSession(ctx, "r1", ann.UUID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	key, err := e.store.CreateAPIKey(ctx, "r1", bob.UUID)
	if err != nil {
		t.Fatal(err)
	}
	toOldLayout(t, e)
	// As an old gateway wrote a session: the UUID alone.
	old, err := e.store.OpenSession(ctx, "r2", cy.UUID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range e.keys(t) {
		if strings.Contains(k, "{r2}:session:") {
			if err := e.client.Set(ctx, k, cy.UUID, time.Hour).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Before the migration the old users are invisible to this gateway.
	if _, err := e.store.FindByName(ctx, "r1", "ann"); !errors.Is(err, redisstore.ErrNotFound) {
		t.Fatalf("before: FindByName = %v, want not found", err)
	}
	// A newer gateway registered "dan" meanwhile, and an old key names
	// a user that does not exist.
	dan := e.register(t, backend.RegisterCommand{Realm: "r1", Username: "dan", Password: "pw"})
	if err := e.client.Set(ctx, e.prefix+"{r1}:name:DAN", "0f8fad5b-d9cb-469f-a165-70867728950e", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Set(ctx, e.prefix+"{r1}:name:GHOST", "7c9e6679-7425-40de-944b-e07fc1f90ae7", 0).Err(); err != nil {
		t.Fatal(err)
	}
	// The old "DAN" names a user hash so that it is a conflict, not dangling.
	if err := e.client.HSet(ctx, e.prefix+"{r1}:user:0f8fad5b-d9cb-469f-a165-70867728950e", "id", "99").Err(); err != nil {
		t.Fatal(err)
	}

	before := e.snapshot(t)
	dry, err := e.store.Migrate(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if after := e.snapshot(t); !equalSnapshots(before, after) {
		t.Fatal("a dry run wrote")
	}
	r1, r2 := dry.Realms["r1"], dry.Realms["r2"]
	if r1 == nil || r2 == nil {
		t.Fatalf("realms %v", dry.Realms)
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"r1 old usernames", r1.Old[redisstore.IndexUsername], 4},
		{"r1 old emails", r1.Old[redisstore.IndexEmail], 1},
		{"r1 to move", r1.Moved[redisstore.IndexUsername] + r1.Moved[redisstore.IndexEmail], 3},
		{"r1 dangling", r1.Dangling[redisstore.IndexUsername], 1},
		{"r1 users", r1.Users, 4},
		{"r1 sessions", r1.Sessions, 2},
		{"r1 api keys", r1.APIKeys, 1},
		{"r2 to move", r2.Moved[redisstore.IndexUsername] + r2.Moved[redisstore.IndexEmail], 2},
		{"r2 codes", r2.ActivationCodes, 1},
		{"r2 sessions", r2.Sessions, 2},
		{"conflicts", len(dry.Conflicts), 1},
		{"pending", dry.Pending(), 7},
	} {
		if c.got != c.want {
			t.Errorf("dry run: %s = %d, want %d", c.name, c.got, c.want)
		}
	}

	rep, err := e.store.Migrate(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts) != 1 || rep.Conflicts[0].Name != "DAN" || rep.Conflicts[0].New != dan.UUID || rep.Pending() != 2 {
		t.Fatalf("conflicts %+v, pending %d", rep.Conflicts, rep.Pending())
	}
	for _, c := range []struct{ realm, name, uuid string }{
		{"r1", "ANN", ann.UUID}, {"r1", "bob:{X}", bob.UUID}, {"r2", "cy", cy.UUID}, {"r1", "dan", dan.UUID},
	} {
		u, err := e.store.FindByName(ctx, c.realm, c.name)
		if err != nil || u.UUID != c.uuid {
			t.Errorf("FindByName(%s, %s) = %+v, %v", c.realm, c.name, u, err)
		}
	}
	if _, err := e.store.Authenticate(ctx, "r1", "ann", "pw"); err != nil {
		t.Errorf("sign-in after the migration: %v", err)
	}
	if free, err := e.store.IsAvailable(ctx, "r1", "ANN"); err != nil || free {
		t.Errorf("IsAvailable(ANN) = %v, %v", free, err)
	}
	if _, err := e.store.Register(ctx, backend.RegisterCommand{Realm: "r1", Username: "x", Email: "ANN@example.com", Password: "pw"}); !isConflict(err, backend.FieldEmail) {
		t.Errorf("taken email after the migration: %v", err)
	}
	if u, err := e.store.SessionUser(ctx, "r1", sess.PermID); err != nil || u.UUID != ann.UUID {
		t.Errorf("session after the migration: %+v, %v", u, err)
	}
	if u, err := e.store.SessionUser(ctx, "r2", old.ID); err != nil || u.UUID != cy.UUID {
		t.Errorf("old-style session after the migration: %+v, %v", u, err)
	}
	if u, err := e.store.APIKeyUser(ctx, "r1", key); err != nil || u.UUID != bob.UUID {
		t.Errorf("api key after the migration: %+v, %v", u, err)
	}
	if u, err := e.store.Activate(ctx, "r2", cy.ActivationCode); err != nil || u.UUID != cy.UUID || !u.Active {
		t.Errorf("activation after the migration: %+v, %v", u, err)
	}
	for _, k := range []string{e.prefix + "{r1}:name:DAN", e.prefix + "{r1}:name:GHOST"} {
		if n := e.client.Exists(ctx, k).Val(); n != 1 {
			t.Errorf("%s removed; conflicts and dangling keys stay", k)
		}
	}

	again, err := e.store.Migrate(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for _, c := range again.Realms {
		moved += c.Moved[redisstore.IndexUsername] + c.Moved[redisstore.IndexEmail] + c.Done[redisstore.IndexUsername] + c.Done[redisstore.IndexEmail]
	}
	if moved != 0 || again.Pending() != 2 || len(again.Conflicts) != 1 {
		t.Fatalf("rerun: moved %d, pending %d, conflicts %d", moved, again.Pending(), len(again.Conflicts))
	}
}

// TestMigrateInterrupted: a run stopped after copying a key (the new key
// written, the old one not yet removed) is finished by the next run.
func TestMigrateInterrupted(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u := e.register(t, backend.RegisterCommand{Realm: "r", Username: "ann", Password: "pw"})
	newKey := e.prefix + "name:{r:ANN}"
	toOldLayout(t, e)
	if err := e.client.Set(ctx, newKey, u.UUID, 0).Err(); err != nil {
		t.Fatal(err)
	}
	rep, err := e.store.Migrate(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Realms["r"]; c.Done[redisstore.IndexUsername] != 1 || rep.Pending() != 0 {
		t.Fatalf("report %+v, pending %d", c, rep.Pending())
	}
	if n := e.client.Exists(ctx, e.prefix+"{r}:name:ANN").Val(); n != 0 {
		t.Fatal("old key left")
	}
	if got, err := e.store.FindByName(ctx, "r", "ann"); err != nil || got.UUID != u.UUID {
		t.Fatalf("FindByName = %+v, %v", got, err)
	}
}

func isConflict(err error, f backend.Field) bool {
	var ce *backend.ConflictError
	return errors.As(err, &ce) && ce.Field == f
}

func equalSnapshots(a, b map[string]any) bool { return reflect.DeepEqual(a, b) }
