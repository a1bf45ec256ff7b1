package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"legacygate/internal/certs"
	"legacygate/routes/cors"
)

// setTLS takes hosts[n]'s certificate for the group's listener: a host on
// the main listener cannot name one (the top-level tls is that listener's),
// and hosts sharing a listener must not name different pairs.
func (g *mountGroup) setTLS(hc HostConfig, n int) error {
	t := hc.TLS
	switch {
	case t == (TLSConfig{}):
		return nil
	case hc.Listen == "":
		return fmt.Errorf("config: hosts[%d].tls: the host shares the main listener, whose certificate is the top-level tls; give the host a listen of its own", n)
	case (t.CertFile == "") != (t.KeyFile == ""):
		return fmt.Errorf("config: hosts[%d].tls: cert_file and key_file go together", n)
	case g.tls != (TLSConfig{}) && g.tls != t:
		return fmt.Errorf("config: hosts[%d].tls: listener %s already has another certificate", n, g.listen)
	}
	g.tls = t
	return nil
}

// validateTLS checks the top-level pair's shape (files are read at start).
func validateTLS(c TLSConfig) error {
	if (c.CertFile == "") != (c.KeyFile == "") {
		return errors.New("config: tls: cert_file and key_file go together (both PEM files, or neither for plain HTTP)")
	}
	return nil
}

// listenerTLS prepares a listener's server: HTTPS with HTTP/2 when the
// group has a certificate, else plain HTTP/1.1 plus, with h2c, HTTP/2
// with prior knowledge. It returns the reloader (nil for plain HTTP).
func listenerTLS(srv *http.Server, g mountGroup, h2c bool, log *zap.Logger) (*certs.Reloader, error) {
	var p http.Protocols
	p.SetHTTP1(true)
	if g.tls.CertFile == "" {
		p.SetUnencryptedHTTP2(h2c)
		srv.Protocols = &p
		return nil, nil
	}
	r, err := certs.New(g.tls.CertFile, g.tls.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	r.OnReload = func(err error) {
		if err != nil {
			log.Error("certificate reload failed; the previous certificate keeps serving", zap.String("listen", g.listen), zap.Error(err))
			return
		}
		log.Info("certificate reloaded", zap.String("listen", g.listen), zap.String("cert_file", g.tls.CertFile))
	}
	p.SetHTTP2(true)
	srv.Protocols = &p
	srv.TLSConfig = &tls.Config{GetCertificate: r.GetCertificate, MinVersion: tls.VersionTLS12}
	return r, nil
}

// serveListener runs srv on ln, over TLS when srv has a TLS config.
func serveListener(srv *http.Server, ln net.Listener) error {
	if srv.TLSConfig != nil {
		return srv.ServeTLS(ln, "", "")
	}
	return srv.Serve(ln)
}

// reloadOnHUP reloads every certificate on SIGHUP until stop is closed.
func reloadOnHUP(rs []*certs.Reloader, stop <-chan struct{}) {
	if len(rs) == 0 {
		return
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-hup:
				for _, r := range rs {
					_ = r.Reload() // OnReload logs the outcome
				}
			case <-stop:
				return
			}
		}
	}()
}

// corsPolicy turns hosts[n].cors into the routes' policy; nil when off.
func corsPolicy(c CORSConfig, n int) (*cors.Policy, error) {
	if len(c.AllowedOrigins) == 0 {
		if len(c.AllowedMethods)+len(c.AllowedHeaders)+len(c.ExposedHeaders) > 0 || c.AllowCredentials || c.MaxAge != 0 {
			return nil, fmt.Errorf("config: hosts[%d].cors: allowed_origins is empty, so CORS is off; list the origins", n)
		}
		return nil, nil
	}
	p := &cors.Policy{AllowedOrigins: c.AllowedOrigins, AllowedMethods: c.AllowedMethods, AllowedHeaders: c.AllowedHeaders,
		ExposedHeaders: c.ExposedHeaders, AllowCredentials: c.AllowCredentials, MaxAge: c.MaxAge}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("config: hosts[%d].cors: %w", n, err)
	}
	return p, nil
}
