package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"legacygate/backend"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
)

func TestMain(m *testing.M) {
	if os.Getenv(envGateway) != "" {
		// A gateway process of the fault tests: this binary re-executed.
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	redistest.Main(m)
}

// adminConfig gives an administrative command a config file naming the
// test Redis under a fresh key prefix (cheapest argon2id parameters), and
// an empty environment.
func adminConfig(t *testing.T) (redis.UniversalClient, string, string, func(string) (string, bool)) {
	t.Helper()
	client, prefix := redistest.Client(t)
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	body := "redis:\n  url: " + redistest.URL() + "\n  prefix: \"" + prefix + "\"\npassword:\n  memory_kib: 64\n  iterations: 1\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return client, prefix, cfg, func(string) (string, bool) { return "", false }
}

// TestUsersAndAPIKeys: an operator adds a Partner account and an API key
// with the CLI, into the host's realm of the configured Redis.
func TestUsersAndAPIKeys(t *testing.T) {
	client, prefix, cfg, env := adminConfig(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	err := usersCmd(ctx, []string{"add", "--config", cfg, "--host", "digitaluapi", "--username", "partner1", "--password-stdin", "--role", "Partner"},
		strings.NewReader("s3cret pass\n"), &out, &errOut, env)
	if err != nil {
		t.Fatalf("users add: %v (%s)", err, errOut.String())
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Fatalf("password echoed: %s", out.String())
	}
	store := redisstore.New(client, redisstore.Options{Prefix: prefix, Hasher: cheapHasher{}})
	out.Reset()
	if err := apikeysCmd(ctx, []string{"add", "--config", cfg, "--host", "digitaluapi", "--username", "partner1"}, &out, &errOut, env); err != nil {
		t.Fatalf("apikeys add: %v", err)
	}
	key := strings.TrimSpace(out.String())
	u, err := store.APIKeyUser(ctx, "digitaluapi", key)
	if err != nil || u.Username != "partner1" || len(u.Roles) != 1 || u.Roles[0] != "Partner" {
		t.Fatalf("key resolves to %+v, %v", u, err)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown host", []string{"add", "--config", cfg, "--host", "nope", "--username", "x", "--password", "p"}, "no host contract"},
		{"duplicate", []string{"add", "--config", cfg, "--host", "digitaluapi", "--username", "PARTNER1", "--password", "p"}, "already exists"},
		{"no password", []string{"add", "--config", cfg, "--host", "digitaluapi", "--username", "y"}, "password is required"},
		{"embedded store", []string{"add", "--host", "digitaluapi", "--username", "y", "--password", "p"}, "no Redis URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := usersCmd(ctx, tt.args, strings.NewReader(""), &out, &errOut, env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// cheapHasher only reads users here.
type cheapHasher struct{}

func (cheapHasher) Hash(context.Context, backend.Password) (string, error)         { return "", nil }
func (cheapHasher) Verify(context.Context, backend.Password, string) (bool, error) { return false, nil }

// TestStoreMigrate: `store migrate` counts without writing, then with
// --apply moves an older gateway's index keys so that its users sign in,
// and a rerun finds nothing left.
func TestStoreMigrate(t *testing.T) {
	client, prefix, cfg, env := adminConfig(t)
	ctx := context.Background()
	// A user as a gateway before issue 16 stored it: the index keys under
	// the realm's tag.
	const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
	if err := client.HSet(ctx, prefix+"{digitaluapi}:user:"+id, "id", "1", "uuid", id, "realm", "digitaluapi", "username", "ann",
		"email", "ann@example.com", "password", "", "roles", "[]", "attrs", "[]", "created", "2020-01-02T03:04:05Z", "active", "1").Err(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"{digitaluapi}:name:ANN", "{digitaluapi}:email:ANN@EXAMPLE.COM"} {
		if err := client.Set(ctx, prefix+k, id, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	store := redisstore.New(client, redisstore.Options{Prefix: prefix, Hasher: cheapHasher{}})
	var out, errOut bytes.Buffer
	if err := storeCmd(ctx, []string{"migrate", "--config", cfg}, &out, &errOut, env); err != nil {
		t.Fatalf("dry run: %v (%s)", err, errOut.String())
	}
	if !strings.Contains(out.String(), "realm digitaluapi: 1 users") || !strings.Contains(out.String(), "dry run: nothing written; 2 old-layout index keys, 2 to move") {
		t.Fatalf("dry run printed:\n%s", out.String())
	}
	if _, err := store.FindByName(ctx, "digitaluapi", "ann"); err == nil {
		t.Fatal("the dry run migrated")
	}
	out.Reset()
	if err := storeCmd(ctx, []string{"migrate", "--config", cfg, "--apply"}, &out, &errOut, env); err != nil {
		t.Fatalf("apply: %v (%s)", err, errOut.String())
	}
	if !strings.Contains(out.String(), "migrated: 2 moved, 0 already in place; 0 old-layout keys left.") {
		t.Fatalf("apply printed:\n%s", out.String())
	}
	if u, err := store.FindByName(ctx, "digitaluapi", "ANN"); err != nil || u.UUID != id {
		t.Fatalf("after: %+v, %v", u, err)
	}
	out.Reset()
	if err := storeCmd(ctx, []string{"migrate", "--config", cfg, "--apply"}, &out, &errOut, env); err != nil || !strings.Contains(out.String(), "migrated: 0 moved") {
		t.Fatalf("rerun: %v\n%s", err, out.String())
	}
	// A key naming no user is left, and --apply then fails.
	if err := client.Set(ctx, prefix+"{digitaluapi}:name:GHOST", "7c9e6679-7425-40de-944b-e07fc1f90ae7", 0).Err(); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := storeCmd(ctx, []string{"migrate", "--config", cfg, "--apply"}, &out, &errOut, env); err == nil || !strings.Contains(out.String(), "1 naming no user") {
		t.Fatalf("dangling: %v\n%s", err, out.String())
	}
}
