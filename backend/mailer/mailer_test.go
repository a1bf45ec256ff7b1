package mailer_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"legacygate/backend"
	"legacygate/backend/mailer"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/backend/redisstore/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

const (
	realm    = "shop"
	password = "Secret007-never-anywhere"
	smtpPass = "smtp-pass-never-logged"
)

// env is a store and its Redis, on a fresh key prefix.
type env struct {
	t      *testing.T
	client redis.UniversalClient
	prefix string
	store  *redisstore.Store
	logs   *observer.ObservedLogs
	log    *zap.Logger
}

func newEnv(t *testing.T) *env {
	t.Helper()
	client, prefix := redistest.Client(t)
	pool := passhash.New(passhash.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 2, 256)
	t.Cleanup(pool.Close)
	core, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(core)
	return &env{t: t, client: client, prefix: prefix, logs: logs, log: log,
		store: redisstore.New(client, redisstore.Options{Prefix: prefix, Hasher: pool, Logger: log})}
}

// register creates a user with an activation, as the routes will.
func (e *env) register(name string) backend.User {
	e.t.Helper()
	u, err := e.store.Register(context.Background(), backend.RegisterCommand{
		Realm: realm, Username: name, Email: name + "@example.com", Password: password,
		FirstName: "Ann", LastName: "Lee " + name,
		Attributes: []backend.Attribute{{Name: "ConfirmationCallbackUrl", Value: "https://app.example/done"}},
		Activation: &backend.Activation{TTL: time.Hour, Event: []backend.Attribute{
			{Name: "template", Value: "no-such-set"},
			{Name: "language", Value: "en-us"},
			{Name: "link", Value: "https://gw.example/api/v1/Account/Activate?code={code}"},
		}},
	})
	if err != nil {
		e.t.Fatalf("Register(%s): %v", name, err)
	}
	return u
}

func (e *env) config(consumer string, srv *smtpServer) mailer.Config {
	return mailer.Config{
		Prefix:   e.prefix,
		Realms:   []string{realm},
		Consumer: consumer,
		SMTP: mailer.SMTPConfig{
			Host: "127.0.0.1", Port: srv.port(), From: "Gateway <noreply@gw.example>",
			Security: mailer.SecurityNone, Timeout: 20 * time.Second,
		},
		MaxAttempts: 3,
		BackoffBase: 20 * time.Millisecond,
		BackoffMax:  200 * time.Millisecond,
		// Short blocks keep Run's return on cancel quick.
		BlockTimeout: 100 * time.Millisecond,
	}
}

// run starts m and returns a function that stops it and waits for Run to
// return.
func (e *env) run(m *mailer.Mailer) (stop func()) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				e.t.Errorf("Run = %v", err)
			}
		case <-time.After(60 * time.Second):
			e.t.Error("Run did not return after cancel")
		}
	}
	e.t.Cleanup(stop)
	return stop
}

func (e *env) newMailer(cfg mailer.Config) *mailer.Mailer {
	e.t.Helper()
	m, err := mailer.New(e.client, cfg, e.log.With(zap.String("consumer", cfg.Consumer)))
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// waitFor polls cond with a generous deadline: the machine may be slow.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (e *env) outboxKey() string { return redisstore.OutboxKey(e.prefix, realm) }

// pending returns the number of delivered but unacknowledged entries.
func (e *env) pending() int64 {
	p, err := e.client.XPending(context.Background(), e.outboxKey(), "mailer").Result()
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Count
}

// settled waits until the group has read every entry and acknowledged
// every one: from then on nothing can be sent again.
func (e *env) settled() {
	e.t.Helper()
	ctx := context.Background()
	waitFor(e.t, "every outbox entry read and acknowledged", func() bool {
		groups, err := e.client.XInfoGroups(ctx, e.outboxKey()).Result()
		if err != nil || len(groups) != 1 {
			return false
		}
		last, err := e.client.XRevRangeN(ctx, e.outboxKey(), "+", "-", 1).Result()
		if err != nil || len(last) != 1 {
			return false
		}
		return groups[0].LastDeliveredID == last[0].ID && groups[0].Pending == 0
	})
}

func (e *env) dead() []redis.XMessage {
	msgs, err := e.client.XRange(context.Background(), e.outboxKey()+":dead", "-", "+").Result()
	if err != nil {
		e.t.Fatal(err)
	}
	return msgs
}

// email is a received message, decoded.
type email struct {
	header  mail.Header
	subject string
	body    string
	raw     []byte
}

func decode(t *testing.T, r received) email {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(r.data, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatalf("bare LF in the message as received:\n%q", r.data)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(r.data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return email{header: msg.Header, subject: subject, body: string(body), raw: r.data}
}

var linkRE = regexp.MustCompile(`https://gw\.example/api/v1/Account/Activate\?code=[A-Za-z0-9_-]+`)

// recipients counts the received messages per envelope recipient.
func recipients(msgs []received) map[string]int {
	n := map[string]int{}
	for _, m := range msgs {
		for _, to := range m.to {
			n[to]++
		}
	}
	return n
}

func checkOncePerUser(t *testing.T, msgs []received, users []backend.User) {
	t.Helper()
	got := recipients(msgs)
	for _, u := range users {
		if got[u.Email] != 1 {
			t.Errorf("%s received %d emails, want 1", u.Email, got[u.Email])
		}
	}
	if len(msgs) != len(users) {
		t.Errorf("%d emails sent, want %d", len(msgs), len(users))
	}
}

// checkNoSecrets fails if any log line carries a password or a code.
func (e *env) checkNoSecrets(secrets ...string) {
	e.t.Helper()
	for _, entry := range e.logs.All() {
		s := fmt.Sprintf("%s %v", entry.Message, entry.ContextMap())
		for _, secret := range append(secrets, password, smtpPass) {
			if strings.Contains(s, secret) {
				e.t.Errorf("log line carries a secret: %s", s)
			}
		}
	}
}

// The whole path: Register appends the event, the mailer sends the email,
// and the link in it activates the account once.
func TestActivationEmailEndToEnd(t *testing.T) {
	e := newEnv(t)
	srv := newSMTPServer(t)
	srv.start("127.0.0.1:0")
	u := e.register("ann")
	e.run(e.newMailer(e.config("a", srv)))

	waitFor(t, "the email", func() bool { return len(srv.messages()) == 1 })
	e.settled()
	r := srv.messages()[0]
	if r.from != "noreply@gw.example" || len(r.to) != 1 || r.to[0] != "ann@example.com" {
		t.Fatalf("envelope %s → %v", r.from, r.to)
	}
	m := decode(t, r)
	if m.subject != "Please activate your account" {
		t.Errorf("subject = %q", m.subject)
	}
	for k, want := range map[string]string{
		"From": `"Gateway" <noreply@gw.example>`, "To": `"Ann Lee ann" <ann@example.com>`,
		"Mime-Version": "1.0", "Content-Type": "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
	} {
		if got := m.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if _, err := m.header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if id := m.header.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "."+u.UUID+"@gw.example>") {
		t.Errorf("Message-ID = %q", id)
	}
	if !strings.Contains(m.body, "Hello Ann Lee ann,") {
		t.Errorf("body lacks the greeting:\n%s", m.body)
	}

	// Follow the link: it activates the account, once.
	link := linkRE.FindString(m.body)
	if link == "" {
		t.Fatalf("no activation link in:\n%s", m.body)
	}
	parsed, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	code := parsed.Query().Get("code")
	if code != u.ActivationCode {
		t.Fatalf("link carries code %q, Register returned %q", code, u.ActivationCode)
	}
	got, err := e.store.Activate(context.Background(), realm, code)
	if err != nil || !got.Active || got.UUID != u.UUID {
		t.Fatalf("Activate = %+v, %v", got, err)
	}
	if cb, _ := got.Attr("ConfirmationCallbackUrl"); cb != "https://app.example/done" {
		t.Errorf("ConfirmationCallbackUrl = %q", cb)
	}
	if _, err := e.store.Activate(context.Background(), realm, code); err != backend.ErrInvalidActivation {
		t.Fatalf("second Activate = %v", err)
	}

	// The sent marker is there, with a TTL.
	ids, _ := e.client.XRange(context.Background(), e.outboxKey(), "-", "+").Result()
	ttl := e.client.TTL(context.Background(), e.outboxKey()+":sent:"+ids[0].ID).Val()
	if ttl <= 0 || ttl > 72*time.Hour {
		t.Errorf("sent marker TTL = %v", ttl)
	}
	if len(e.dead()) != 0 {
		t.Error("dead-letter stream is not empty")
	}
	e.checkNoSecrets(code)
}

func TestSTARTTLSAndImplicitTLSWithAuth(t *testing.T) {
	serverConf, pool := selfSigned(t)
	for _, tt := range []struct {
		name     string
		security string
		implicit bool
	}{
		{"starttls", mailer.SecurityStartTLS, false},
		{"implicit tls", mailer.SecurityTLS, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			srv := newSMTPServer(t, withTLS(serverConf, tt.implicit), withAuth("gw", smtpPass))
			srv.start("127.0.0.1:0")
			e.register("ann")
			cfg := e.config("a", srv)
			cfg.SMTP.Security = tt.security
			cfg.SMTP.TLSConfig = &tls.Config{RootCAs: pool}
			cfg.SMTP.Username, cfg.SMTP.Password = "gw", smtpPass
			e.run(e.newMailer(cfg))
			waitFor(t, "the email", func() bool { return len(srv.messages()) == 1 })
			e.settled()
			r := srv.messages()[0]
			if !r.tls || r.user != "gw" {
				t.Fatalf("message received with tls=%v user=%q, want TLS and AUTH", r.tls, r.user)
			}
			if link := linkRE.FindString(decode(t, r).body); link == "" {
				t.Fatal("no link in the email")
			}
			e.checkNoSecrets()
		})
	}
}

// A certificate the mailer does not trust is a transient failure: the email
// waits, it is not sent in clear nor dropped.
func TestUntrustedCertificateKeepsEntryPending(t *testing.T) {
	serverConf, _ := selfSigned(t)
	e := newEnv(t)
	srv := newSMTPServer(t, withTLS(serverConf, false))
	srv.start("127.0.0.1:0")
	e.register("ann")
	cfg := e.config("a", srv)
	cfg.SMTP.Security = mailer.SecurityStartTLS
	cfg.SMTP.TLSConfig = &tls.Config{RootCAs: x509.NewCertPool()}
	e.run(e.newMailer(cfg))
	waitFor(t, "a few failed attempts", func() bool { return e.retries() >= int64(cfg.MaxAttempts)+1 })
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("%d emails sent over an untrusted connection", n)
	}
	if len(e.dead()) != 0 {
		t.Fatal("a transient failure was dead-lettered")
	}
}

// retries returns the delivery count of the first pending entry, 0 if none.
func (e *env) retries() int64 {
	p, err := e.client.XPendingExt(context.Background(), &redis.XPendingExtArgs{
		Stream: e.outboxKey(), Group: "mailer", Start: "-", End: "+", Count: 1,
	}).Result()
	if err != nil || len(p) == 0 {
		return 0
	}
	return p[0].RetryCount
}

// A mail server that is down, then refuses with 4xx, delays delivery past
// MaxAttempts but loses nothing: once it accepts, each email arrives once.
func TestServerDownDelaysButLosesNothing(t *testing.T) {
	e := newEnv(t)
	srv := newSMTPServer(t)
	// Reserve a port and close it: nobody listens there yet.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	srv.addr = addr

	users := []backend.User{e.register("ann"), e.register("bob")}
	cfg := e.config("a", srv)
	e.run(e.newMailer(cfg))

	// Down: connection refused, past MaxAttempts.
	waitFor(t, "attempts while the server is down", func() bool { return e.retries() > int64(cfg.MaxAttempts) })
	// Up, but answering 451 after DATA.
	srv.mode.Store(tempFail)
	srv.start(addr)
	waitFor(t, "4xx answers", func() bool { return srv.datas.Load() >= 3 })
	if len(srv.messages()) != 0 || len(e.dead()) != 0 {
		t.Fatal("message accepted or dead-lettered while the server refused")
	}
	// Accepting.
	srv.mode.Store(accept)
	waitFor(t, "both emails", func() bool { return len(srv.messages()) >= 2 })
	e.settled()
	checkOncePerUser(t, srv.messages(), users)
	if len(e.dead()) != 0 {
		t.Fatal("dead-letter stream is not empty")
	}
}

// A server refusing permanently: after MaxAttempts deliveries the entry is
// in the dead-letter stream, with the error, and acknowledged.
func TestDeadLetterAfterMaxAttempts(t *testing.T) {
	e := newEnv(t)
	srv := newSMTPServer(t)
	srv.mode.Store(permFail)
	srv.start("127.0.0.1:0")
	u := e.register("ann")
	cfg := e.config("a", srv)
	e.run(e.newMailer(cfg))

	waitFor(t, "the dead letter", func() bool { return len(e.dead()) == 1 })
	e.settled()
	if n := srv.rcpts.Load(); n != int32(cfg.MaxAttempts) {
		t.Errorf("%d attempts, want MaxAttempts = %d", n, cfg.MaxAttempts)
	}
	d := e.dead()[0].Values
	orig, _ := e.client.XRange(context.Background(), e.outboxKey(), "-", "+").Result()
	for k, want := range map[string]string{
		"user": u.UUID, "email": "ann@example.com", "event": "user.registered",
		"dead_outbox_id": orig[0].ID, "dead_deliveries": "3", "dead_consumer": "a",
	} {
		if d[k] != want {
			t.Errorf("dead entry %s = %v, want %q", k, d[k], want)
		}
	}
	if s, _ := d["dead_error"].(string); !strings.Contains(s, "550") {
		t.Errorf("dead_error = %q, want the 550 reply", s)
	}
	if len(srv.messages()) != 0 {
		t.Error("a refused email counted as sent")
	}
	e.checkNoSecrets(u.ActivationCode)
}

// Two mailers on one outbox: each email is sent once.
func TestTwoMailersSendEachEmailOnce(t *testing.T) {
	e := newEnv(t)
	srv := newSMTPServer(t)
	srv.start("127.0.0.1:0")
	var users []backend.User
	for i := range 10 {
		users = append(users, e.register(fmt.Sprintf("user%02d", i)))
	}
	e.run(e.newMailer(e.config("a", srv)))
	e.run(e.newMailer(e.config("b", srv)))
	for i := 10; i < 20; i++ { // more while both run
		users = append(users, e.register(fmt.Sprintf("user%02d", i)))
	}
	waitFor(t, "all emails", func() bool { return len(srv.messages()) >= len(users) })
	e.settled()
	checkOncePerUser(t, srv.messages(), users)
}

// A gateway that dies between the user write and the send: users are
// registered while no mailer runs; a first mailer dies while the server
// holds its DATA; a second one, another consumer, delivers every email,
// the interrupted one included, exactly once in total.
func TestCrashBetweenWriteAndSend(t *testing.T) {
	e := newEnv(t)
	srv := newSMTPServer(t)
	srv.mode.Store(block)
	srv.start("127.0.0.1:0")
	var users []backend.User
	for i := range 5 {
		users = append(users, e.register(fmt.Sprintf("user%d", i)))
	}

	cfg := e.config("gateway-1", srv)
	cfg.SMTP.Timeout = 2 * time.Second
	cfg.StaleAfter = 3 * time.Second
	stop := e.run(e.newMailer(cfg))
	select {
	case <-srv.entered:
	case <-time.After(60 * time.Second):
		t.Fatal("the first mailer never reached DATA")
	}
	stop() // dies mid-send
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("%d emails accepted before the crash", n)
	}
	if p := e.pending(); p < 1 {
		t.Fatalf("%d entries pending with the dead mailer, want the interrupted one", p)
	}

	srv.mode.Store(accept)
	srv.unblock()
	cfg.Consumer = "gateway-2"
	e.run(e.newMailer(cfg))
	waitFor(t, "all emails", func() bool { return len(srv.messages()) >= len(users) })
	e.settled()
	checkOncePerUser(t, srv.messages(), users)
	if e.logs.FilterMessage("mailer: took over a stalled entry").Len() == 0 {
		t.Error("the second mailer did not take over the interrupted entry")
	}
}

// An entry whose sent marker exists (accepted, then the acknowledgement was
// lost, or the group was recreated) is acknowledged without sending.
func TestSentMarkerSkipsEntry(t *testing.T) {
	e := newEnv(t)
	srv := newSMTPServer(t)
	srv.start("127.0.0.1:0")
	e.register("ann")
	bob := e.register("bob")
	ids, _ := e.client.XRange(context.Background(), e.outboxKey(), "-", "+").Result()
	e.client.Set(context.Background(), e.outboxKey()+":sent:"+ids[0].ID, "elsewhere", time.Hour)

	e.run(e.newMailer(e.config("a", srv)))
	waitFor(t, "bob's email", func() bool { return len(srv.messages()) >= 1 })
	e.settled()
	checkOncePerUser(t, srv.messages(), []backend.User{bob})
}

// Entries the mailer cannot send at all go to the dead-letter stream at
// once: unknown event, no recipient, older than MaxAge.
func TestUnsendableEntriesDeadLettered(t *testing.T) {
	e := newEnv(t)
	srv := newSMTPServer(t)
	srv.start("127.0.0.1:0")
	ctx := context.Background()
	add := func(id string, values ...any) {
		if err := e.client.XAdd(ctx, &redis.XAddArgs{Stream: e.outboxKey(), ID: id, Values: values}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	add("1-1", "event", "user.registered", "email", "old@example.com") // 1970: too old
	add("*", "event", "user.renamed", "email", "a@example.com")
	add("*", "event", "user.registered", "email", "")
	e.run(e.newMailer(e.config("a", srv)))
	waitFor(t, "three dead letters", func() bool { return len(e.dead()) == 3 })
	e.settled()
	if n := srv.rcpts.Load(); n != 0 {
		t.Fatalf("%d recipients tried", n)
	}
	errs := ""
	for _, d := range e.dead() {
		errs += d.Values["dead_error"].(string) + "\n"
	}
	for _, want := range []string{"expired", "unknown event", "no recipient"} {
		if !strings.Contains(errs, want) {
			t.Errorf("dead errors %q lack %q", errs, want)
		}
	}
}

// Run creates the group when the outbox does not exist yet, and delivers
// what is appended later.
func TestRunBeforeAnyRegistration(t *testing.T) {
	e := newEnv(t)
	srv := newSMTPServer(t)
	srv.start("127.0.0.1:0")
	m := e.newMailer(e.config("a", srv))
	e.run(m)
	waitFor(t, "the group", func() bool {
		g, err := e.client.XInfoGroups(context.Background(), e.outboxKey()).Result()
		return err == nil && len(g) == 1 && g[0].Name == "mailer"
	})
	if err := m.Run(context.Background()); err == nil {
		t.Error("a second concurrent Run was accepted")
	}
	u := e.register("late")
	waitFor(t, "the email", func() bool { return len(srv.messages()) == 1 })
	e.settled()
	checkOncePerUser(t, srv.messages(), []backend.User{u})
}
