// Package routestest starts in-process gateways for tests: the hosts, a
// store on the test Redis with cheap password hashing, and the gateway
// served over loopback HTTP. It is imported by tests only; the packages
// using Store need redistest.Main in their TestMain.
package routestest

import (
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/zap"

	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/routes"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
)

// CheapHash keeps tests fast; production parameters are covered in
// backend/passhash.
var CheapHash = passhash.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// Hosts are the embedded hosts.
func Hosts(t testing.TB) []*contract.Host {
	t.Helper()
	set, err := hosts.Open("")
	if err != nil {
		t.Fatal(err)
	}
	return set.Hosts()
}

// Pool is a cheap password hasher, closed when the test ends.
func Pool(t testing.TB) *passhash.Pool {
	pool := passhash.New(CheapHash, 2, 64)
	t.Cleanup(pool.Close)
	return pool
}

// Store is a store on the test Redis under a key prefix of the test's own,
// hashing with a cheap pool unless opt names a hasher.
func Store(t testing.TB, opt redisstore.Options) *redisstore.Store {
	t.Helper()
	client, prefix := redistest.Client(t)
	if opt.Hasher == nil {
		opt.Hasher = Pool(t)
	}
	opt.Prefix = prefix
	return redisstore.New(client, opt)
}

// Options are the server options the tests share: every host of hs that a
// style serves, each at its own prefix; a silent logger; a 1 MiB body
// limit; Retry-After one second. s, when not nil, is every backend.
func Options(hs []*contract.Host, s *redisstore.Store) routes.Options {
	o := routes.Options{Logger: zap.NewNop(), MaxBodyBytes: 1 << 20, RetryAfter: time.Second}
	if s != nil {
		o.Registrar, o.Sessions, o.APIKeys, o.Activator = s, s, s, s
	}
	for _, h := range hs {
		if _, err := routes.StyleFor(h.Style); err == nil {
			o.Mounts = append(o.Mounts, routes.Mount{Host: h})
		}
	}
	return o
}

// Serve builds the gateway of o and serves it over loopback HTTP until
// the test ends.
func Serve(t testing.TB, o routes.Options) *httptest.Server {
	t.Helper()
	e, err := routes.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}
