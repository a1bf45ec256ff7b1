package main

import (
	"context"
	"io"
	"log"
	"mime/quotedprintable"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
)

// mailbox is a real SMTP server (go-smtp) on loopback that keeps what it
// accepts.
type mailbox struct {
	mu   sync.Mutex
	msgs []string
	rcpt []string
	port int
}

func newMailbox(t *testing.T) *mailbox {
	t.Helper()
	mb := &mailbox{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.port = l.Addr().(*net.TCPAddr).Port
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return mb
}

func (mb *mailbox) wait(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		mb.mu.Lock()
		msgs := append([]string(nil), mb.msgs...)
		mb.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d emails arrived, want %d", len(msgs), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type mailSession struct {
	mb *mailbox
	to []string
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	s.mb.msgs = append(s.mb.msgs, string(b))
	s.mb.rcpt = append(s.mb.rcpt, s.to...)
	s.mb.mu.Unlock()
	return nil
}
func (s *mailSession) Reset()        { s.to = nil }
func (s *mailSession) Logout() error { return nil }

// TestRPostActivation is the exchange: register on the RPost route,
// read the delivered email from the SMTP server, follow its link (which
// activates once and redirects to ConfirmationCallbackUrl), follow it again.
func TestRPostActivation(t *testing.T) {
	client, prefix := redistest.Client(t)
	mb := newMailbox(t)
	cfg := testConfig()
	cfg.Redis.URL, cfg.Redis.Prefix = redistest.URL(), prefix
	cfg.SMTP = SMTPConfig{Host: "127.0.0.1", Port: mb.port, From: "no-reply@rpost.example", Security: "none", Timeout: 5 * time.Second}
	cfg.Mailer.BackoffBase, cfg.Mailer.BackoffMax = 50*time.Millisecond, 200*time.Millisecond
	cfg.AllowedOrigins = []string{"https://app.example"} // the callback URL below
	core, logs := observer.New(zap.InfoLevel)
	base := startServe(t, cfg, zap.New(core)).url(cfg.Listen)

	const password = "Secret007x"
	body := `{"Email":"ann@example.com","Password":"` + password + `","ConfirmPassword":"` + password + `","FirstName":"Ann","LastName":"Lee",` +
		`"RegistrationApp":"Portal","Language":"en-us","TimeZone":"Eastern Standard Time","ConfirmationCallbackUrl":"https://app.example/welcome"}`
	res, err := http.Post(base+"/api/v1/Account/Register", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	t.Logf("POST /api/v1/Account/Register -> %s %q (Content-Type %q)", res.Status, b, res.Header.Get("Content-Type"))
	if res.StatusCode != http.StatusOK || len(b) != 0 {
		t.Fatalf("register: %d %s", res.StatusCode, b)
	}

	msg := mb.wait(t, 1)[0]
	decoded, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(msg)))
	t.Logf("delivered email:\n%s", decoded)
	if mb.rcpt[0] != "ann@example.com" || !strings.Contains(msg, "Subject: Activate your RPost account") {
		t.Fatalf("email to %v:\n%s", mb.rcpt, msg)
	}
	link := regexp.MustCompile(`http://[^\s]+/api/v1/Account/Activate\?code=[A-Za-z0-9_-]+`).FindString(string(decoded))
	if link == "" {
		t.Fatalf("no activation link in:\n%s", decoded)
	}
	store := redisstore.New(client, redisstore.Options{Prefix: prefix, Hasher: noHasher{}})
	u, err := store.FindByName(context.Background(), "rpost", "ann@example.com")
	if err != nil || u.Active {
		t.Fatalf("before activation: %+v, %v", u, err)
	}

	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = noFollow.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	t.Logf("GET %s -> %s, Location %s", link, res.Status, res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "https://app.example/welcome" {
		t.Fatalf("activation: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if u, err = store.FindByName(context.Background(), "rpost", "ann@example.com"); err != nil || !u.Active {
		t.Fatalf("after activation: %+v, %v", u, err)
	}
	res, err = noFollow.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	t.Logf("GET (again) -> %s %s", res.Status, b)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "invalid, expired or already used") {
		t.Fatalf("second activation: %d %s", res.StatusCode, b)
	}
	// Neither the password nor the code reaches the log.
	code := link[strings.Index(link, "code=")+5:]
	for _, e := range logs.All() {
		for _, s := range []string{password, code} {
			if strings.Contains(e.Message, s) || strings.Contains(fieldsString(e.Context), s) {
				t.Fatalf("log line %q carries a secret", e.Message)
			}
		}
	}
	// The activation round trips gave the mailer time to repeat itself:
	// still exactly one email for the one registration.
	if got := len(mb.wait(t, 1)); got != 1 {
		t.Fatalf("%d emails for one registration", got)
	}
}

func fieldsString(fs []zap.Field) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Key + "=" + f.String + ";")
		if f.Interface != nil {
			if s, ok := f.Interface.(interface{ String() string }); ok {
				b.WriteString(s.String())
			}
		}
	}
	return b.String()
}
