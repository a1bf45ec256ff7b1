package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
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

// memRegistrar answers instantly, to measure the gateway's own work.
type memRegistrar struct{ n atomic.Int64 }

func (m *memRegistrar) Register(_ context.Context, c backend.RegisterCommand) (backend.User, error) {
	return backend.User{ID: m.n.Add(1), Username: c.Username, Email: c.Email, Attributes: c.Attributes, Created: time.Now()}, nil
}
func (m *memRegistrar) Authenticate(context.Context, string, string, backend.Password) (backend.User, error) {
	return backend.User{}, backend.ErrInvalidCredentials
}
func (m *memRegistrar) IsAvailable(context.Context, string, string) (bool, error) { return true, nil }
func (m *memRegistrar) Ping(context.Context) error                                { return nil }

func benchServer(b *testing.B, reg backend.Registrar) http.Handler {
	b.Helper()
	all, err := hosts.Load()
	if err != nil {
		b.Fatal(err)
	}
	o := routes.Options{Registrar: reg, Logger: zap.NewNop(), MaxBodyBytes: 1 << 20}
	for _, h := range all {
		if _, err := routes.StyleFor(h.Style); err == nil {
			o.Mounts = append(o.Mounts, routes.Mount{Host: h})
		}
	}
	e, err := routes.New(o)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkPipeline is Hub's Register end to end inside the process
// (routing, negotiation, decode, bind, validate, map, encode, access log)
// with a backend that costs nothing.
func BenchmarkPipeline(b *testing.B) {
	h := benchServer(b, &memRegistrar{})
	body := `{"Username":"sample string 1","Email":"sample string 2","PhoneNumber":"sample string 3","Password":"sample string 4","ConfirmPassword":"sample string 4","Name":"sample string 6","Surname":"sample string 7","PartnerID":8}`
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodPost, "/Account/Register", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkRegisterHTTP is the same over loopback HTTP into real Redis,
// with cheap argon2 parameters so the figure is the gateway and Redis, not
// the hash.
func BenchmarkRegisterHTTP(b *testing.B) {
	client, prefix := redistest.Client(b)
	pool := passhash.New(testParams, 0, 256)
	b.Cleanup(pool.Close)
	store := redisstore.New(client, redisstore.Options{Prefix: prefix, Hasher: pool})
	srv := httptest.NewServer(benchServer(b, store))
	b.Cleanup(srv.Close)
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := srv.Client()
		for pb.Next() {
			name := fmt.Sprintf("u%d@example.com", n.Add(1))
			body := fmt.Sprintf(`{"Username":%q,"Email":%q,"Password":"pass1234","ConfirmPassword":"pass1234","PartnerID":8}`, name, name)
			res, err := c.Post(srv.URL+"/Account/Register", "application/json", strings.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}
