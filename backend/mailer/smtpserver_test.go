package mailer_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Server behaviours.
const (
	accept   int32 = iota
	tempFail       // 451 after DATA
	permFail       // 550 at RCPT
	block          // DATA waits for release, then 451
)

// received is a message the test server accepted (answered 250).
type received struct {
	from string
	to   []string
	data []byte
	tls  bool
	user string // authenticated user
}

// smtpServer is a real SMTP server (go-smtp) on loopback that records what
// it accepts.
type smtpServer struct {
	t        *testing.T
	mode     atomic.Int32
	rcpts    atomic.Int32 // RCPT commands seen
	datas    atomic.Int32 // DATA bodies read
	entered  chan struct{}
	release  chan struct{}
	relOnce  sync.Once
	creds    *[2]string // required AUTH PLAIN username and password
	tlsConf  *tls.Config
	implicit bool

	mu   sync.Mutex
	msgs []received
	srv  *smtp.Server
	addr string
}

type serverOption func(*smtpServer)

func withTLS(conf *tls.Config, implicit bool) serverOption {
	return func(s *smtpServer) { s.tlsConf, s.implicit = conf, implicit }
}

func withAuth(user, pass string) serverOption {
	return func(s *smtpServer) { s.creds = &[2]string{user, pass} }
}

func newSMTPServer(t *testing.T, opts ...serverOption) *smtpServer {
	s := &smtpServer{t: t, entered: make(chan struct{}, 100), release: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	t.Cleanup(s.unblock)
	return s
}

// start listens on addr ("127.0.0.1:0" for any port) and serves.
func (s *smtpServer) start(addr string) {
	s.t.Helper()
	var (
		l   net.Listener
		err error
	)
	for try := 0; try < 50; try++ { // a port just freed may linger briefly
		if s.implicit {
			l, err = tls.Listen("tcp", addr, s.tlsConf)
		} else {
			l, err = net.Listen("tcp", addr)
		}
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{s: s, tls: isTLS}, nil
	}))
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	if !s.implicit {
		srv.TLSConfig = s.tlsConf // offers STARTTLS when set
	}
	s.mu.Lock()
	s.srv, s.addr = srv, l.Addr().String()
	s.mu.Unlock()
	go srv.Serve(l)
	s.t.Cleanup(func() { srv.Close() })
}

func (s *smtpServer) stop() {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	srv.Close()
}

func (s *smtpServer) port() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

func (s *smtpServer) unblock() { s.relOnce.Do(func() { close(s.release) }) }

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type session struct {
	s    *smtpServer
	tls  bool
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if ss.s.creds == nil || username != ss.s.creds[0] || password != ss.s.creds[1] {
			return errors.New("invalid credentials")
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.creds != nil && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.rcpts.Add(1)
	if ss.s.mode.Load() == permFail {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.datas.Add(1)
	switch ss.s.mode.Load() {
	case tempFail:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	case block:
		ss.s.entered <- struct{}{}
		<-ss.s.release
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "released"}
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, received{from: ss.from, to: ss.to, data: data, tls: ss.tls, user: ss.user})
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// selfSigned returns a server TLS config with a fresh self-signed
// certificate for 127.0.0.1 and localhost, and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "legacygate test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}
