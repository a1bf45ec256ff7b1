// Package acceptance drives a running gateway with the real ServiceStack
// JavaScript client (npm @servicestack/client, pinned in package.json):
// the test starts legacygate over loopback HTTP on the test Redis, seeds a
// Partner account and runs client.test.mjs with node.
//
// It needs node and `npm ci` in this directory (scripts/test.sh does both
// when npm is available); it is skipped otherwise, unless
// LEGACYGATE_ACCEPTANCE=1 demands it (CI sets it).
package acceptance

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"go.uber.org/zap"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/routes"
	"legacygate/routes/hosts"
)

func TestMain(m *testing.M) { redistest.Main(m) }

func TestServiceStackClient(t *testing.T) {
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join("node_modules", "@servicestack", "client", "package.json"))
	if err != nil || modErr != nil {
		if os.Getenv("LEGACYGATE_ACCEPTANCE") == "1" {
			t.Fatalf("acceptance test required but node (%v) or node_modules (%v) is missing: run npm ci in acceptance/", err, modErr)
		}
		t.Skip("node or acceptance/node_modules missing; run `npm ci` in acceptance/ (scripts/test.sh does)")
	}
	client, prefix := redistest.Client(t)
	pool := passhash.New(passhash.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 2, 64)
	t.Cleanup(pool.Close)
	store := redisstore.New(client, redisstore.Options{Prefix: prefix, Hasher: pool})
	ctx := context.Background()
	for _, cmd := range []backend.RegisterCommand{
		{Realm: "digitaluapi", Username: "partner@example.com", Password: "partner-pass", Roles: []string{"Partner"}},
		{Realm: "digitaluapi", Username: "plain@example.com", Password: "plain-pass"},
	} {
		if _, err := store.Register(ctx, cmd); err != nil {
			t.Fatal(err)
		}
	}
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	o := routes.Options{Registrar: store, Sessions: store, APIKeys: store, Logger: zap.NewNop(), MaxBodyBytes: 1 << 20, RetryAfter: time.Second}
	for _, h := range all {
		o.Mounts = append(o.Mounts, routes.Mount{Host: h})
	}
	e, err := routes.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)

	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, node, "--test", "--test-reporter=spec", "client.test.mjs")
	cmd.Env = append(os.Environ(),
		"GATEWAY_URL="+srv.URL,
		"PARTNER_USER=partner@example.com", "PARTNER_PASS=partner-pass",
		"PLAIN_USER=plain@example.com", "PLAIN_PASS=plain-pass",
		"RUN_ID="+strconv.FormatInt(time.Now().UnixNano(), 36))
	out, err := cmd.CombinedOutput()
	t.Logf("node --test client.test.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("the ServiceStack client's expectations failed: %v", err)
	}
}
