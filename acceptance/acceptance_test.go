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
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"legacygate/backend"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/routes/routestest"
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
	store := routestest.Store(t, redisstore.Options{})
	ctx := context.Background()
	for _, cmd := range []backend.RegisterCommand{
		{Realm: "digitaluapi", Username: "partner@example.com", Password: "partner-pass", Roles: []string{"Partner"}},
		{Realm: "digitaluapi", Username: "plain@example.com", Password: "plain-pass"},
	} {
		if _, err := store.Register(ctx, cmd); err != nil {
			t.Fatal(err)
		}
	}
	srv := routestest.Serve(t, routestest.Options(routestest.Hosts(t), store))

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
