package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"legacygate/backend/passhash"
	"legacygate/internal/settings"
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
	// TLS serves the main listener over HTTPS (HTTP/1.1 and HTTP/2).
	TLS TLSConfig `yaml:"tls"`
	// H2C also serves HTTP/2 without TLS (prior knowledge) on listeners
	// without a certificate, for service meshes whose sidecar terminates
	// TLS.
	H2C bool `yaml:"h2c"`
}

// TLSConfig is a listener's certificate. Both files are PEM; the
// certificate file may hold the chain. They are read again on SIGHUP and
// when they change (checked at most every 5 seconds); a pair that fails to
// load is logged and the previous one keeps serving.
type TLSConfig struct {
	// CertFile is the certificate (chain) file; empty serves plain HTTP.
	CertFile string `yaml:"cert_file"`
	// KeyFile is the private key file.
	KeyFile string `yaml:"key_file"`
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
}

// TimeoutConfig sets the HTTP server's timeouts.
type TimeoutConfig struct {
	ReadHeader time.Duration `yaml:"read_header"`
	Read       time.Duration `yaml:"read"`
	Write      time.Duration `yaml:"write"`
	Idle       time.Duration `yaml:"idle"`
	Shutdown   time.Duration `yaml:"shutdown"`
	// ShutdownDelay is how long the gateway keeps serving after SIGTERM
	// while /readyz answers 503, so load balancers stop sending before the
	// listeners close; a second signal ends it at once.
	ShutdownDelay time.Duration `yaml:"shutdown_delay"`
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
	// TLS is the certificate of the host's own listener (hosts sharing a
	// listener give the same pair, or one gives it); the main listener's
	// is the top-level tls.
	TLS TLSConfig `yaml:"tls"`
	// CORS lets browser pages on other origins call the host; off unless
	// allowed_origins is set.
	CORS CORSConfig `yaml:"cors"`
}

// CORSConfig is a host's cross-origin policy; the gateway answers the
// browsers' preflight requests itself.
type CORSConfig struct {
	// AllowedOrigins are exact origins (https://app.example.com, with the
	// port when not the scheme's), or "*" for any; empty turns CORS off.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// AllowedMethods limits the methods a preflight allows; empty allows
	// the methods of the requested route.
	AllowedMethods []string `yaml:"allowed_methods"`
	// AllowedHeaders are the request headers a preflight allows; empty
	// means Accept, Authorization, Content-Type and X-Request-Id; "*" any.
	AllowedHeaders []string `yaml:"allowed_headers"`
	// ExposedHeaders are response headers scripts may read, besides the
	// safelisted ones and X-Request-Id.
	ExposedHeaders []string `yaml:"exposed_headers"`
	// AllowCredentials lets pages send cookies (ss-id) and Authorization;
	// it needs exact origins.
	AllowCredentials bool `yaml:"allow_credentials"`
	// MaxAge is how long browsers may cache a preflight answer; 0 sends
	// no Access-Control-Max-Age.
	MaxAge time.Duration `yaml:"max_age"`
}

// defaults are used for every key the file leaves out.
func defaults() Config {
	p := passhash.DefaultParams()
	return Config{
		Listen:     "127.0.0.1:8080",
		Redis:      RedisConfig{Prefix: "lg:"},
		Limits:     LimitsConfig{MaxBodyBytes: 1 << 20},
		Timeouts:   TimeoutConfig{ReadHeader: 5 * time.Second, Read: 15 * time.Second, Write: 15 * time.Second, Idle: 120 * time.Second, Shutdown: 20 * time.Second, ShutdownDelay: 5 * time.Second},
		Password:   PasswordConfig{MemoryKiB: p.MemoryKiB, Iterations: p.Iterations, Parallelism: p.Parallelism, RetryAfter: time.Second},
		Log:        LogConfig{Level: "info", Format: "json"},
		TimeZone:   "UTC",
		Activation: ActivationConfig{TTL: 48 * time.Hour},
		Mailer:     MailerConfig{Enabled: true, MaxAttempts: 8, BackoffBase: time.Second, BackoffMax: 5 * time.Minute, MaxAge: 24 * time.Hour},
		SMTP:       SMTPConfig{Port: 587, From: "no-reply@localhost", Security: "starttls", Timeout: 30 * time.Second},
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
	if err := settings.Decode(data, path, &cfg); err != nil {
		return cfg, fmt.Errorf("config: %w", err)
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
	if err := validateTLS(c.TLS); err != nil {
		errs = append(errs, err)
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

// envPrefix starts the variable of every key: LEGACYGATE_<PATH>, the YAML
// path upper-cased with dots as underscores (LEGACYGATE_LIMITS_MAX_BODY_BYTES).
const envPrefix = "LEGACYGATE_"

// envAliases are variables older than the derived names.
var envAliases = map[string]string{"LEGACYGATE_REDIS": "redis.url"}

// envExtra are LEGACYGATE_ variables that are not configuration keys.
var envExtra = []string{"LEGACYGATE_CONFIG", "LEGACYGATE_TEST_REDIS", "LEGACYGATE_ACCEPTANCE"}

// applyEnv overlays LEGACYGATE_* variables (the environment beats the
// file); see settings.ApplyEnv. LEGACYGATE_REDIS (or LEGACYGATE_REDIS_URL)
// set to the empty string selects the embedded store.
func (c *Config) applyEnv(lookupEnv func(string) (string, bool)) error {
	if err := settings.ApplyEnv(c, envPrefix, lookupEnv, envAliases); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}
