package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"go.uber.org/zap"

	"legacygate/backend"
	"legacygate/backend/mailer"
	"legacygate/backend/metrics"
	"legacygate/backend/redisstore"
	"legacygate/routes/contract"
)

// realmsOf returns the realm of every mounted host.
func realmsOf(groups []mountGroup) []string {
	var realms []string
	for _, g := range groups {
		for _, m := range g.mounts {
			realm := m.Realm
			if realm == "" {
				realm = m.Host.Name
			}
			if !slices.Contains(realms, realm) {
				realms = append(realms, realm)
			}
		}
	}
	return realms
}

// activationRealms lists the realms whose registrations mail activation
// links, under the mounts of cfg.
func activationRealms(groups []mountGroup) []string {
	var realms []string
	for _, g := range groups {
		for _, m := range g.mounts {
			if !hasActivation(m.Host) {
				continue
			}
			realm := m.Realm
			if realm == "" {
				realm = m.Host.Name
			}
			realms = append(realms, realm)
		}
	}
	return realms
}

func hasActivation(h *contract.Host) bool {
	for _, op := range h.Operations {
		if op.Activation != nil {
			return true
		}
	}
	return false
}

// newMailer builds the outbox mailer for cfg over the store's Redis.
func newMailer(cfg Config, store *redisstore.Store, realms []string, hostMail fs.FS, log *zap.Logger, m *metrics.Metrics) (*mailer.Mailer, error) {
	sc := mailer.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username, Password: cfg.SMTP.Password,
		From: cfg.SMTP.From, Security: cfg.SMTP.Security, Timeout: cfg.SMTP.Timeout}
	if cfg.SMTP.CAFile != "" {
		pem, err := os.ReadFile(cfg.SMTP.CAFile)
		if err != nil {
			return nil, fmt.Errorf("config: smtp.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("config: smtp.ca_file %s holds no PEM certificate", cfg.SMTP.CAFile)
		}
		sc.TLSConfig = &tls.Config{RootCAs: pool, ServerName: cfg.SMTP.Host, MinVersion: tls.VersionTLS12}
	}
	mc := mailer.Config{Prefix: store.Prefix(), Realms: realms, SMTP: sc, MaxAttempts: cfg.Mailer.MaxAttempts,
		BackoffBase: cfg.Mailer.BackoffBase, BackoffMax: cfg.Mailer.BackoffMax, MaxAge: cfg.Mailer.MaxAge, Hosts: hostMail}
	if m != nil {
		mc.OnResult = m.MailResult
	}
	if cfg.Mailer.TemplatesDir != "" {
		mc.Templates = os.DirFS(cfg.Mailer.TemplatesDir)
	}
	return mailer.New(store.Client(), mc, log.Named("mailer"))
}

// publicURL is cfg.PublicURL, or the main listener's address.
func publicURL(cfg Config, addrs map[string]string) string {
	if cfg.PublicURL != "" {
		return strings.TrimRight(cfg.PublicURL, "/")
	}
	scheme := "http://"
	if cfg.TLS.CertFile != "" {
		scheme = "https://"
	}
	if a, ok := addrs[cfg.Listen]; ok {
		return scheme + a
	}
	return scheme + cfg.Listen
}

// mailerCmd: legacygate mailer [--config F] [--redis URL] runs the outbox
// mailer alone, beside gateways started with mailer.enabled: false (or
// with it: the consumer group sends each email once either way).
func mailerCmd(ctx context.Context, args []string, stderr io.Writer, lookupEnv func(string) (string, bool)) error {
	fs := flag.NewFlagSet("mailer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, "mailer [--config FILE] [--redis URL]",
		"Send the outbox's activation emails without serving HTTP (beside gateways with mailer.enabled: false).")
	cfg, err := parseConfigFlags(fs, args, stderr, lookupEnv)
	if err != nil {
		return err
	}
	if cfg.Redis.URL == "" {
		return errors.New("no Redis URL: a mailer of its own reads the outbox of a shared Redis; pass --redis or set redis.url")
	}
	if cfg.SMTP.Host == "" {
		return errors.New("smtp.host is not set: there is nowhere to send mail")
	}
	log, stopLog, err := newLogger(cfg.Log)
	if err != nil {
		return err
	}
	defer func() { _ = stopLog() }()
	defer func() { _ = log.Sync() }()
	bundles, err := openBundles(cfg)
	if err != nil {
		return err
	}
	groups, err := mountGroups(cfg, bundles.Hosts())
	if err != nil {
		return err
	}
	realms := activationRealms(groups)
	if len(realms) == 0 {
		return errors.New("no mounted host mails activation links")
	}
	store, closeStore, err := redisstore.Open(ctx, cfg.Redis.URL, redisstore.Options{Prefix: cfg.Redis.Prefix, Hasher: noHasher{}, Logger: log})
	if err != nil {
		return err
	}
	defer func() { _ = closeStore() }()
	m, err := newMailer(cfg, store, realms, bundles.Mail(), log, nil)
	if err != nil {
		return err
	}
	return m.Run(ctx)
}

// noHasher: the mailer never hashes passwords.
type noHasher struct{}

func (noHasher) Hash(context.Context, backend.Password) (string, error) {
	return "", errors.New("mailer: no password hashing here")
}

func (noHasher) Verify(context.Context, backend.Password, string) (bool, error) {
	return false, errors.New("mailer: no password hashing here")
}
