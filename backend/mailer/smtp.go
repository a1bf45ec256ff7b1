package mailer

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTP security modes.
const (
	SecurityNone     = "none"     // plain text; no AUTH unless AllowInsecureAuth
	SecurityStartTLS = "starttls" // plain connection upgraded with STARTTLS (usually port 587)
	SecurityTLS      = "tls"      // implicit TLS from the first byte (usually port 465)
)

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	Host string
	Port int
	// Username and Password, when Username is set, authenticate with AUTH
	// PLAIN (or LOGIN when the server offers only that).
	Username, Password string
	// From is the sender, "addr@example.com" or "Name <addr@example.com>".
	From string
	// Security is SecurityNone, SecurityStartTLS (the default) or
	// SecurityTLS.
	Security string
	// TLSConfig, when set, is used for STARTTLS and implicit TLS (e.g.
	// RootCAs for a private CA); its ServerName defaults to Host.
	TLSConfig *tls.Config
	// AllowInsecureAuth permits AUTH over a connection without TLS.
	AllowInsecureAuth bool
	// HelloName is the name sent in EHLO; default the host name.
	HelloName string
	// Timeout bounds one whole delivery attempt: dial, TLS, every command
	// and the message. Default 30s.
	Timeout time.Duration
}

// String describes the configuration without the password.
func (c SMTPConfig) String() string {
	return fmt.Sprintf("smtp://%s (security %s, user %q)", net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), c.Security, c.Username)
}

// send delivers msg in one SMTP session. It returns nil only when the
// server answered the end of DATA with 250.
func (m *Mailer) send(ctx context.Context, msg *message) error {
	cfg := &m.cfg.SMTP
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	dialer := &net.Dialer{}
	var (
		conn net.Conn
		err  error
	)
	if cfg.Security == SecurityTLS {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: m.tlsConfig}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("dial %s: %w", addr, err)
	}
	// Cancellation or the attempt's deadline closes the connection, which
	// ends whatever command is waiting.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()

	var c *smtp.Client
	if cfg.Security == SecurityStartTLS {
		if c, err = smtp.NewClientStartTLS(conn, m.tlsConfig); err != nil {
			return ctxErr(ctx, fmt.Errorf("starttls: %w", err))
		}
	} else {
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout, c.SubmissionTimeout = cfg.Timeout, cfg.Timeout
	defer c.Close()
	if err := c.Hello(m.helloName); err != nil {
		return ctxErr(ctx, fmt.Errorf("hello: %w", err))
	}
	if cfg.Username != "" {
		var auth sasl.Client
		switch {
		case c.SupportsAuth(sasl.Plain):
			auth = sasl.NewPlainClient("", cfg.Username, cfg.Password)
		case c.SupportsAuth(sasl.Login):
			auth = sasl.NewLoginClient(cfg.Username, cfg.Password)
		default:
			return errors.New("server offers neither AUTH PLAIN nor AUTH LOGIN")
		}
		if err := c.Auth(auth); err != nil {
			return ctxErr(ctx, fmt.Errorf("auth: %w", err))
		}
	}
	if err := c.SendMail(msg.from, []string{msg.to}, bytes.NewReader(msg.data)); err != nil {
		return ctxErr(ctx, err)
	}
	// Accepted. QUIT is a courtesy; its failure changes nothing.
	_ = c.Quit()
	return nil
}

// ctxErr prefers the context's reason to the broken-connection error it
// caused.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}

// permanentSMTP reports a 5xx reply.
func permanentSMTP(err error) bool {
	var se *smtp.SMTPError
	return errors.As(err, &se) && se.Code >= 500 && se.Code < 600
}
