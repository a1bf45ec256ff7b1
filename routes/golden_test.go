package routes_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/routes"
	"legacygate/routes/contract"
	"legacygate/routes/exchange"
	"legacygate/routes/hosts"
)

var update = flag.Bool("update", false, "rewrite the golden exchanges' responses from what the gateway answers")

func TestMain(m *testing.M) { redistest.Main(m) }

// cheap hashing keeps the suite fast; production parameters are covered in
// backend/passhash.
var testParams = passhash.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

type gateway struct {
	srv   *httptest.Server
	store *redisstore.Store
	logs  *observer.ObservedLogs
	pool  *passhash.Pool
}

// newGateway serves every embedded host contract over real loopback HTTP
// against the test Redis, each test in realms of its own.
func newGateway(t *testing.T, opts ...func(*routes.Options)) *gateway {
	t.Helper()
	return newGatewayWith(t, redisstore.Options{}, opts...)
}

// newGatewayWith is newGateway over a store with sopt (the prefix is
// filled in, and a cheap hasher unless sopt names one).
func newGatewayWith(t *testing.T, sopt redisstore.Options, opts ...func(*routes.Options)) *gateway {
	t.Helper()
	set, err := hosts.Open("")
	if err != nil {
		t.Fatal(err)
	}
	return newGatewayFrom(t, set, sopt, opts...)
}

// newGatewayFrom is newGatewayWith over the bundles of set: every host
// mounted at its own prefix, every bundle's fixture accounts created.
func newGatewayFrom(t *testing.T, set *hosts.Set, sopt redisstore.Options, opts ...func(*routes.Options)) *gateway {
	t.Helper()
	client, prefix := redistest.Client(t)
	pool := passhash.New(testParams, 2, 64)
	t.Cleanup(pool.Close)
	if sopt.Hasher == nil {
		sopt.Hasher = pool
	}
	sopt.Prefix = prefix
	store := redisstore.New(client, sopt)
	all := set.Hosts()
	core, logs := observer.New(zap.DebugLevel)
	o := routes.Options{Registrar: store, Sessions: store, APIKeys: store, Activator: store, PublicURL: "https://gw.example", Logger: zap.New(core), MaxBodyBytes: 1 << 20, RetryAfter: time.Second}
	seedUsers(t, store, set)
	for _, h := range all {
		if _, err := routes.StyleFor(h.Style); err == nil {
			o.Mounts = append(o.Mounts, routes.Mount{Host: h, AllowedOrigins: testOrigins})
		}
	}
	for _, f := range opts {
		f(&o)
	}
	e, err := routes.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &gateway{srv: srv, store: store, logs: logs, pool: pool}
}

// testOrigins are the origins the golden exchanges' links and callback
// URLs use.
var testOrigins = []string{"https://gw.example", "https://fls.example", "https://app.example"}

// seedUsers creates the accounts of every bundle's fixtures.yaml (in the
// bundle's host realm) that the golden exchanges sign in with.
func seedUsers(t *testing.T, store *redisstore.Store, set *hosts.Set) {
	t.Helper()
	for _, b := range set.Bundles {
		users, err := b.Fixtures()
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			cmd := backend.RegisterCommand{Realm: b.Host.Name, Username: u.Username, Email: u.Email, Password: backend.Password(u.Password), Roles: u.Roles}
			if _, err := store.Register(context.Background(), cmd); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// do sends a parsed request to the gateway, keeping its Host header.
func (g *gateway) do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	req.URL.Scheme, req.URL.Host = "http", strings.TrimPrefix(g.srv.URL, "http://")
	req = req.WithContext(context.Background())
	// A redirect is the answer under test, not something to follow.
	c := *g.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// TestGolden replays every exchange under testdata/golden against a fresh
// gateway (fresh realms) per file.
func TestGolden(t *testing.T) {
	replayCorpus(t, func(t *testing.T) *gateway { return newGateway(t) }, nil, nil, *update)
}

// goldenFiles lists the golden corpus.
func goldenFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../testdata/golden/*/*/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden exchanges found: %v", err)
	}
	return files
}

// replayCorpus replays every golden file (of the hosts include accepts,
// when set) on a gateway of its own from gw; rewrite, when set, edits each
// raw request and expected response first; write rewrites the files' responses from the answers
// instead of failing.
func replayCorpus(t *testing.T, gw func(*testing.T) *gateway, include func(host string) bool, rewrite func(host string, raw []byte, response bool) []byte, write bool) {
	for _, path := range goldenFiles(t) {
		name := strings.TrimSuffix(strings.TrimPrefix(path, "../testdata/golden/"), ".txtar")
		host, _, _ := strings.Cut(name, "/")
		if include != nil && !include(host) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := exchange.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			g := gw(t)
			const token = "r1go1den" // {{unique}}: each file has realms of its own here
			var actual [][]byte
			changed := false
			for i, p := range f.Pairs {
				raw := exchange.Expand(p.Request, token)
				if rewrite != nil {
					raw = rewrite(host, raw, false)
				}
				req, err := exchange.ReadRequest(raw)
				if err != nil {
					t.Fatal(err)
				}
				wantRaw := exchange.Expand(p.Response, token)
				if rewrite != nil {
					wantRaw = rewrite(host, wantRaw, true)
				}
				want, err := exchange.ReadExpected(wantRaw)
				if err != nil {
					t.Fatal(err)
				}
				res, body := g.do(t, req)
				diffs := want.Diff(res.StatusCode, res.Header, body)
				if len(diffs) == 0 {
					actual = append(actual, nil)
					continue
				}
				changed = true
				keys := []string{"Content-Type"}
				for k := range want.Header {
					if k != "Content-Type" {
						keys = append(keys, k)
					}
				}
				actual = append(actual, exchange.Unexpand(exchange.Dump(res.StatusCode, res.Header, keys, body), token))
				if !write {
					t.Errorf("exchange %d:\n%s", i+1, strings.Join(diffs, "\n"))
				}
			}
			if write && changed {
				if err := exchange.Update(path, f, actual); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestContractsLoad keeps the embedded contracts loadable.
func TestContractsLoad(t *testing.T) {
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no contracts")
	}
	for _, h := range all {
		if h.Style != contract.WebAPI && h.Style != contract.ServiceStack {
			t.Errorf("%s: style %q", h.Name, h.Style)
		}
	}
}

func post(t *testing.T, g *gateway, path, ct string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, g.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	return g.do(t, req)
}
