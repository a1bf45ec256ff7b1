package routes_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// writeCounter counts the writes the server makes on its connections:
// each is one write(2) on a plain TCP socket.
type writeCounter struct {
	net.Listener
	writes atomic.Int64
}

func (l *writeCounter) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countedConn{Conn: c, n: &l.writes}, nil
}

type countedConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countedConn) Write(b []byte) (int, error) { c.n.Add(1); return c.Conn.Write(b) }

// TestOneWritePerResponse: every answer (headers and body, success or
// the host's error) leaves in one write on the connection, so a
// keep-alive registration costs one send syscall. The body is encoded
// into one buffer and sent with its Content-Length (pipeline.writeValue);
// net/http then flushes headers and body together.
func TestOneWritePerResponse(t *testing.T) {
	ts := httptest.NewUnstartedServer(benchServer(t, &memRegistrar{}))
	lc := &writeCounter{Listener: ts.Listener}
	ts.Listener = lc
	ts.Start()
	defer ts.Close()
	client := ts.Client()
	tests := []struct {
		name, path, ct, accept, body string
		status                       int
	}{
		{"hub json", "/Account/Register", "application/json", "", `{"Username":"a@b.c","Email":"a@b.c","Password":"pass1234","ConfirmPassword":"pass1234","PartnerID":8}`, 200},
		{"hub xml", "/Account/Register", "application/xml", "application/xml", `<RegisterBindingModel xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"><ConfirmPassword>pass1234</ConfirmPassword><Email>a@b.c</Email><Password>pass1234</Password><Username>a@b.c</Username></RegisterBindingModel>`, 200},
		{"hub form", "/Account/Register", "application/x-www-form-urlencoded", "", `Username=a%40b.c&Email=a%40b.c&Password=pass1234&ConfirmPassword=pass1234`, 200},
		{"emun1 jsv", "/service/RegisterUser/Customer", "text/jsv", "text/jsv", `{userName:a,email:a@b.c,password:pass1234,firstName:Ann,lastName:Lee}`, 200},
		{"hub invalid", "/Account/Register", "application/json", "", `{"Username":""}`, 400},
		{"emun1 invalid", "/service/RegisterUser/Customer", "application/json", "", `{"userName":""}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const n = 5
			before := lc.writes.Load()
			for range n {
				req, _ := http.NewRequest(http.MethodPost, ts.URL+tt.path, strings.NewReader(tt.body))
				req.Header.Set("Content-Type", tt.ct)
				if tt.accept != "" {
					req.Header.Set("Accept", tt.accept)
				}
				res, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != tt.status {
					t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, b)
				}
			}
			if got := lc.writes.Load() - before; got != n {
				t.Errorf("%d responses took %d writes, want %d", n, got, n)
			}
		})
	}
}
