package routes_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"legacygate/backend"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
	"legacygate/routes"
	"legacygate/routes/routestest"
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

func benchServer(b testing.TB, reg backend.Registrar) http.Handler {
	b.Helper()
	o := routestest.Options(routestest.Hosts(b), nil)
	o.Registrar = reg
	e, err := routes.New(o)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkPipeline is one Register end to end inside the process
// (routing, negotiation, decode, bind, validate, map, encode, access log)
// per host and wire format, with a backend that costs nothing.
func BenchmarkPipeline(b *testing.B) {
	h := benchServer(b, &memRegistrar{})
	cases := []struct {
		name, path, ct, accept, body string
	}{
		{"hub-json", "/Account/Register", "application/json", "", `{"Username":"sample string 1","Email":"sample string 2","PhoneNumber":"sample string 3","Password":"sample string 4","ConfirmPassword":"sample string 4","Name":"sample string 6","Surname":"sample string 7","PartnerID":8}`},
		{"hub-xml", "/Account/Register", "application/xml", "application/xml", `<RegisterBindingModel xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"><ConfirmPassword>sample string 4</ConfirmPassword><Email>sample string 2</Email><Name>sample string 6</Name><PartnerID>8</PartnerID><Password>sample string 4</Password><PhoneNumber>sample string 3</PhoneNumber><Surname>sample string 7</Surname><Username>sample string 1</Username></RegisterBindingModel>`},
		{"hub-form", "/Account/Register", "application/x-www-form-urlencoded", "", `Username=sample+string+1&Email=sample+string+2&PhoneNumber=sample+string+3&Password=sample+string+4&ConfirmPassword=sample+string+4&Name=sample+string+6&Surname=sample+string+7&PartnerID=8`},
		{"emun1-jsv", "/service/RegisterUser/Customer", "text/jsv", "text/jsv", `{userName:sample,email:a@b.c,password:p,firstName:Ann,lastName:Lee,city:Zurich,roles:[a,b],salesRep:{id:1,name:Sam}}`},
		{"emun1-json", "/service/RegisterUser/Customer", "application/json", "", `{"userName":"sample","email":"a@b.c","password":"p","firstName":"Ann","lastName":"Lee","city":"Zurich","roles":["a","b"],"salesRep":{"id":"1","name":"Sam"}}`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest(http.MethodPost, c.path, strings.NewReader(c.body))
				req.Header.Set("Content-Type", c.ct)
				if c.accept != "" {
					req.Header.Set("Accept", c.accept)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
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
			_, _ = io.Copy(io.Discard, res.Body) // drained, so the connection is reused
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}
