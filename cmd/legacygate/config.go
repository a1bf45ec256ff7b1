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

	// Safety settings (config_safety.go). AllowedOrigins are the origins
	// URLs taken from requests may point to in emails and Location
	// headers, for hosts without a list of their own; empty means the
	// origin of public_url.
	AllowedOrigins []string       `yaml:"allowed_origins"`
	TrustedProxies []string       `yaml:"trusted_proxies"`
	Lockout        LockoutConfig  `yaml:"lockout"`
	Throttle       ThrottleConfig `yaml:"throttle"`
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
	// URL is redis://, rediss://, a comma-separated list of cluster seeds,
	// or empty for the embedded in-memory server.
	URL    string `yaml:"url"`
	Prefix string `yaml:"prefix"`
}

// LimitsConfig bounds request sizes.
type LimitsConfig struct {
	MaxBodyBytes int64 `yaml:"max_body_bytes"`

	// Decoded-request limits (codecs.Limits).
	MaxMembers     int `yaml:"max_members"`
	MaxItems       int `yaml:"max_items"`
	MaxDepth       int `yaml:"max_depth"`
	MaxStringChars int `yaml:"max_string_chars"`
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

	// WaitBudget is the longest expected wait for a hash worker a request
	// is admitted with; beyond it, 503 with Retry-After.
	WaitBudget time.Duration `yaml:"wait_budget"`
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
	// AllowedOrigins overrides the top-level allowed_origins for this host.
	AllowedOrigins []string `yaml:"allowed_origins"`
}

// defaults are used for every key the file leaves out.
func defaults() Config {
	p := passhash.DefaultParams()
	return Config{
		Listen:     "127.0.0.1:8080",
		Redis:      RedisConfig{Prefix: "lg:"},
		Limits:     defaultLimits,
		Timeouts:   TimeoutConfig{ReadHeader: 5 * time.Second, Read: 15 * time.Second, Write: 15 * time.Second, Idle: 120 * time.Second, Shutdown: 20 * time.Second},
		Password:   PasswordConfig{MemoryKiB: p.MemoryKiB, Iterations: p.Iterations, Parallelism: p.Parallelism, RetryAfter: time.Second, WaitBudget: 2 * time.Second},
		Log:        LogConfig{Level: "info", Format: "json"},
		TimeZone:   "UTC",
		Activation: ActivationConfig{TTL: 48 * time.Hour},
		Mailer:     MailerConfig{Enabled: true, MaxAttempts: 8, BackoffBase: time.Second, BackoffMax: 5 * time.Minute, MaxAge: 24 * time.Hour},
		SMTP:       SMTPConfig{Port: 587, From: "no-reply@localhost", Security: "starttls", Timeout: 30 * time.Second},
		Lockout:    defaultLockout,
		Throttle:   defaultThrottle,
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
