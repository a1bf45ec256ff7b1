package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

// TestUsersAndAPIKeys: an operator adds a Partner account and an API key
// with the CLI, into the host's realm of the configured Redis.
func TestUsersAndAPIKeys(t *testing.T) {
	client, prefix := redistest.Client(t)
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	body := "redis:\n  url: " + redistest.URL() + "\n  prefix: \"" + prefix + "\"\npassword:\n  memory_kib: 64\n  iterations: 1\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(string) (string, bool) { return "", false }
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
