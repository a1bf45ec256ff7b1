package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"legacygate/backend/passhash"
)

// Config is config.yaml. Every key is documented in docs/configuration.md.
type Config struct {
	Listen       string         `yaml:"listen"`
	Redis        RedisConfig    `yaml:"redis"`
	Limits       LimitsConfig   `yaml:"limits"`
	Timeouts     TimeoutConfig  `yaml:"timeouts"`
	Password     PasswordConfig `yaml:"password"`
	Log          LogConfig      `yaml:"log"`
	DebugHeaders bool           `yaml:"debug_headers"`
	TimeZone     string         `yaml:"time_zone"`
	// PublicURL is the gateway's external base URL, for the links in
	// activation emails; empty means http://<listen>.
	PublicURL  string           `yaml:"public_url"`
	Activation ActivationConfig `yaml:"activation"`
	Mailer     MailerConfig     `yaml:"mailer"`
	SMTP       SMTPConfig       `yaml:"smtp"`
	Hosts      []HostConfig     `yaml:"hosts"`
	Metrics    MetricsConfig    `yaml:"metrics"`
}

// ActivationConfig sets activation codes.
type ActivationConfig struct {
	TTL time.Duration `yaml:"ttl"`
}

// MailerConfig sets the outbox mailer.
type MailerConfig struct {
	// Enabled runs the mailer inside the gateway (it also runs alone as
	// `legacygate mailer`); it sends only when smtp.host is set.
	Enabled      bool          `yaml:"enabled"`
	MaxAttempts  int           `yaml:"max_attempts"`
	BackoffBase  time.Duration `yaml:"backoff_base"`
	BackoffMax   time.Duration `yaml:"backoff_max"`
	MaxAge       time.Duration `yaml:"max_age"`
	TemplatesDir string        `yaml:"templates_dir"`
}

// SMTPConfig is the mail server. The password is best given as
// LEGACYGATE_SMTP_PASSWORD.
type SMTPConfig struct {
	Host     string        `yaml:"host"`
	Port     int           `yaml:"port"`
	Username string        `yaml:"username"`
	Password string        `yaml:"password"`
	From     string        `yaml:"from"`
	Security string        `yaml:"security"` // none, starttls, tls
	Timeout  time.Duration `yaml:"timeout"`
	CAFile   string        `yaml:"ca_file"`
}

// RedisConfig selects the backend store.
type RedisConfig struct {
	// URL is any form package redisurl parses (redis://, rediss://,
	// unix://, redis+cluster://, redis+sentinel://, cluster seeds), or
	// empty for the embedded in-memory server.
	URL    string `yaml:"url"`
	Prefix string `yaml:"prefix"`
	// ReservationTTL is the lifetime of a username or email reservation of
	// the Cluster registration protocol; 0 means the store's default.
	ReservationTTL time.Duration `yaml:"reservation_ttl"`
	// WaitReplicas and WaitTimeout: how many replicas must hold a
	// registration before it is acknowledged (0: one on a Cluster or
	// Sentinel, none on a single node; -1: never wait), and for how long.
	WaitReplicas int           `yaml:"wait_replicas"`
	WaitTimeout  time.Duration `yaml:"wait_timeout"`
}

// LimitsConfig bounds request sizes.
type LimitsConfig struct {
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
}

// TimeoutConfig sets the HTTP server's timeouts.
type TimeoutConfig struct {
	ReadHeader time.Duration `yaml:"read_header"`
	Read       time.Duration `yaml:"read"`
	Write      time.Duration `yaml:"write"`
	Idle       time.Duration `yaml:"idle"`
	Shutdown   time.Duration `yaml:"shutdown"`
}

// PasswordConfig sets argon2id parameters and the bounded hashing pool.
type PasswordConfig struct {
	MemoryKiB   uint32        `yaml:"memory_kib"`
	Iterations  uint32        `yaml:"iterations"`
	Parallelism uint8         `yaml:"parallelism"`
	Workers     int           `yaml:"workers"`
	Queue       int           `yaml:"queue"`
	RetryAfter  time.Duration `yaml:"retry_after"`
}

// LogConfig sets the logger.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // json or console
}

// HostConfig mounts one legacy host.
type HostConfig struct {
	Name   string `yaml:"name"`
	Prefix string `yaml:"prefix"`
	// Realm joins hosts into one uniqueness scope; the host name when empty.
	Realm string `yaml:"realm"`
	// Listen gives the host a listener of its own (a drop-in replacement on
	// its own port); empty shares the main listener.
	Listen string `yaml:"listen"`
}

// defaults are used for every key the file leaves out.
func defaults() Config {
	p := passhash.DefaultParams()
	return Config{
		Listen:     "127.0.0.1:8080",
		Redis:      RedisConfig{Prefix: "lg:"},
		Limits:     LimitsConfig{MaxBodyBytes: 1 << 20},
		Timeouts:   TimeoutConfig{ReadHeader: 5 * time.Second, Read: 15 * time.Second, Write: 15 * time.Second, Idle: 120 * time.Second, Shutdown: 20 * time.Second},
		Password:   PasswordConfig{MemoryKiB: p.MemoryKiB, Iterations: p.Iterations, Parallelism: p.Parallelism, RetryAfter: time.Second},
		Log:        LogConfig{Level: "info", Format: "json"},
		TimeZone:   "UTC",
		Activation: ActivationConfig{TTL: 48 * time.Hour},
		Mailer:     MailerConfig{Enabled: true, MaxAttempts: 8, BackoffBase: time.Second, BackoffMax: 5 * time.Minute, MaxAge: 24 * time.Hour},
		SMTP:       SMTPConfig{Port: 587, From: "no-reply@localhost", Security: "starttls", Timeout: 30 * time.Second},
		Metrics:    MetricsConfig{Enabled: true},
	}
}

// loadConfig reads path over the defaults. A missing file is an error only
// when required (the user named it).
func loadConfig(path string, required bool) (Config, error) {
	cfg := defaults()
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !required:
		return cfg, nil
	case err != nil:
		return cfg, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return cfg, fmt.Errorf("config: %s: %w", path, err)
	}
	return cfg, cfg.validate()
}

func (c *Config) validate() error {
	var errs []error
	if c.Listen == "" {
		errs = append(errs, errors.New("config: listen is empty"))
	}
	if c.Limits.MaxBodyBytes <= 0 {
		errs = append(errs, errors.New("config: limits.max_body_bytes must be positive"))
	}
	if c.Password.MemoryKiB < 8 || c.Password.Iterations < 1 || c.Password.Parallelism < 1 {
		errs = append(errs, errors.New("config: password: memory_kib >= 8, iterations >= 1, parallelism >= 1"))
	}
	if c.Activation.TTL <= 0 {
		errs = append(errs, errors.New("config: activation.ttl must be positive"))
	}
	switch c.SMTP.Security {
	case "none", "starttls", "tls":
	default:
		errs = append(errs, fmt.Errorf("config: smtp.security %q is not none, starttls or tls", c.SMTP.Security))
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("config: time_zone: %w", err))
	}
	seen := map[string]bool{}
	for _, h := range c.Hosts {
		key := h.Name + "\x00" + h.Prefix
		if seen[key] {
			errs = append(errs, fmt.Errorf("config: host %q mounted twice at %q", h.Name, h.Prefix))
		}
		seen[key] = true
	}
	return errors.Join(errs...)
}

// applyEnv overlays LEGACYGATE_* variables (the environment beats the
// file). LEGACYGATE_REDIS set to the empty string selects the embedded store.
func (c *Config) applyEnv(lookupEnv func(string) (string, bool)) {
	if v, ok := lookupEnv("LEGACYGATE_LISTEN"); ok && v != "" {
		c.Listen = v
	}
	if v, ok := lookupEnv("LEGACYGATE_REDIS"); ok {
		c.Redis.URL = v
	}
	if v, ok := lookupEnv("LEGACYGATE_SMTP_PASSWORD"); ok {
		c.SMTP.Password = v
	}
}
