package routes_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"legacygate/backend"
	"legacygate/routes"
	"legacygate/routes/routestest"
)

// refusing is a Registrar whose hash workers are over their wait budget:
// Admit refuses, and nothing may reach Register.
type refusing struct {
	backend.Registrar
	t        testing.TB
	retry    time.Duration
	admitted chan struct{} // told each time Admit is asked
}

func (r *refusing) Admit() error {
	select {
	case r.admitted <- struct{}{}:
	default:
	}
	return &backend.OverloadedError{RetryAfter: r.retry}
}

func (r *refusing) Register(context.Context, backend.RegisterCommand) (backend.User, error) {
	r.t.Error("Register called although Admit refused")
	return backend.User{}, backend.ErrOverloaded
}

// countingBody counts the bytes the server reads of a request body.
type countingBody struct {
	r io.Reader
	n atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func shedServer(t testing.TB, reg backend.Registrar, shedDelay time.Duration) http.Handler {
	t.Helper()
	o := routestest.Options(routestest.Hosts(t), nil)
	o.Registrar = reg
	o.ShedDelay = shedDelay
	h, err := routes.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// serve runs one request on h in the background; the answer arrives on the
// returned channel once the handler returns.
func serve(h http.Handler, req *http.Request) <-chan *httptest.ResponseRecorder {
	done := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		done <- rec
	}()
	return done
}

func wait(t *testing.T, done <-chan *httptest.ResponseRecorder, what string) *httptest.ResponseRecorder {
	t.Helper()
	select {
	case rec := <-done:
		return rec
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: no answer", what)
		return nil
	}
}

// TestShedBeforeReading: when the hash workers cannot admit one more
// registration, the gateway refuses it before reading the body: a body
// that is not even JSON gets the 503 in the host's shape, not a 400, and
// not one byte of it is read.
func TestShedBeforeReading(t *testing.T) {
	for _, c := range []struct {
		name, path, ct, retryAfter, body string
	}{
		{"webapi", "/Account/Register", "application/json", "3", `{"Message":"The service is temporarily overloaded. Retry after 3 seconds."}`},
		{"servicestack", "/service/RegisterUser/Customer", "application/json", "3", `"errorCode":"ServiceUnavailable"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			reg := &refusing{Registrar: &memRegistrar{}, t: t, retry: 3 * time.Second, admitted: make(chan struct{}, 1)}
			h := shedServer(t, reg, 0)
			body := &countingBody{r: strings.NewReader("not json at all")}
			req := httptest.NewRequest(http.MethodPost, c.path, body)
			req.Header.Set("Content-Type", c.ct)
			rec := wait(t, serve(h, req), "refused registration")
			if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != c.retryAfter || !strings.Contains(rec.Body.String(), c.body) {
				t.Fatalf("got %d Retry-After %q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
			}
			if n := body.n.Load(); n != 0 {
				t.Errorf("the refused request's body was read (%d bytes)", n)
			}
		})
	}
}

// TestShedOnlyWhenHashing: a registration that maps no password (FLS
// mails a link instead) hashes nothing, so hash overload does not refuse
// it: its body is read and validated as usual.
func TestShedOnlyWhenHashing(t *testing.T) {
	reg := &refusing{Registrar: &memRegistrar{}, t: t, retry: 3 * time.Second, admitted: make(chan struct{}, 1)}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/users", strings.NewReader(`{"FriendlyName":"A"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := wait(t, serve(shedServer(t, reg, time.Hour), req), "passwordless registration")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "The UserName field is required.") {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
}

// TestShedDelay: a refusal for hash overload is held for the shed delay
// (here an hour) and answered when the client leaves; it is never
// answered before.
func TestShedDelay(t *testing.T) {
	reg := &refusing{Registrar: &memRegistrar{}, t: t, retry: 2 * time.Hour, admitted: make(chan struct{}, 1)}
	h := shedServer(t, reg, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptest.NewRequest(http.MethodPost, "/Account/Register", strings.NewReader(string(register("held@example.com", "password")))).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	done := serve(h, req)
	select {
	case <-reg.admitted:
	case rec := <-done:
		t.Fatalf("answered %d without asking for admission", rec.Code)
	case <-time.After(10 * time.Second):
		t.Fatal("admission never asked")
	}
	select {
	case rec := <-done:
		t.Fatalf("answered %d before the shed delay ended or the client left", rec.Code)
	case <-time.After(100 * time.Millisecond):
	}
	cancel()
	if rec := wait(t, done, "held refusal after the client left"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
}

// TestShedDelayBounds: the delay never exceeds the refusal's own
// Retry-After, and it holds only refusals for hash overload: a validation
// error and a store that is down answer at once under an hour's delay.
func TestShedDelayBounds(t *testing.T) {
	t.Run("retry-after", func(t *testing.T) {
		reg := &refusing{Registrar: &memRegistrar{}, t: t, retry: time.Millisecond, admitted: make(chan struct{}, 1)}
		req := httptest.NewRequest(http.MethodPost, "/Account/Register", strings.NewReader(string(register("a@example.com", "password"))))
		req.Header.Set("Content-Type", "application/json")
		rec := wait(t, serve(shedServer(t, reg, time.Hour), req), "refusal with a 1 ms Retry-After")
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
			t.Fatalf("got %d %q", rec.Code, rec.Header().Get("Retry-After"))
		}
	})
	t.Run("invalid", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/Account/Register", strings.NewReader(`{"Username":""}`))
		req.Header.Set("Content-Type", "application/json")
		if rec := wait(t, serve(shedServer(t, &memRegistrar{}, time.Hour), req), "validation error"); rec.Code != http.StatusBadRequest {
			t.Fatalf("got %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("unavailable", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/Account/Register", strings.NewReader(string(register("b@example.com", "password"))))
		req.Header.Set("Content-Type", "application/json")
		if rec := wait(t, serve(shedServer(t, unavailable{&memRegistrar{}}, time.Hour), req), "store down"); rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("got %d %s", rec.Code, rec.Body)
		}
	})
}

type unavailable struct{ backend.Registrar }

func (unavailable) Register(context.Context, backend.RegisterCommand) (backend.User, error) {
	return backend.User{}, backend.ErrUnavailable
}

// BenchmarkShed is one refused registration (Hub, JSON) next to one served
// (BenchmarkPipeline/hub-json): the refusal reads nothing past the
// headers, so it costs a fraction of serving.
func BenchmarkShed(b *testing.B) {
	reg := &refusing{Registrar: &memRegistrar{}, t: b, retry: 3 * time.Second, admitted: make(chan struct{}, 1)}
	h := shedServer(b, reg, 0)
	body := string(register("shed@example.com", "password"))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/Account/Register", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusServiceUnavailable {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}
