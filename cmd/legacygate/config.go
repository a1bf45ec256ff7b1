package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/internal/settings"
	"legacygate/routes/shadow"
)

// Config is config.yaml. docs/configuration.md is generated from these
// declarations and their comments (go generate ./cmd/legacygate): every key
// needs a comment, written for operators.
type Config struct {
	// Listen is the main listener's address (host:port).
	Listen string       `yaml:"listen"`
	Redis  RedisConfig  `yaml:"redis"`
	Limits LimitsConfig `yaml:"limits"`
	// Timeouts are the HTTP server's timeouts and the shutdown's.
	Timeouts TimeoutConfig  `yaml:"timeouts"`
	Password PasswordConfig `yaml:"password"`
	Log      LogConfig      `yaml:"log"`
	// DebugHeaders adds X-Legacygate-Negotiation (the reason for the
	// response format) to every response.
	DebugHeaders bool `yaml:"debug_headers"`
	// TimeZone is the legacy server's IANA zone, for DateTime.Now-style
	// values.
	TimeZone string `yaml:"time_zone"`
	// PublicURL is the gateway's external base URL, for the links in
	// activation emails; empty means http://<listen> (https:// with tls),
	// with a warning at start.
	PublicURL  string           `yaml:"public_url"`
	Activation ActivationConfig `yaml:"activation"`
	Mailer     MailerConfig     `yaml:"mailer"`
	SMTP       SMTPConfig       `yaml:"smtp"`
	// Hosts lists which legacy hosts are mounted, where and in which
	// realm; empty mounts every host contract at its own paths on the main
	// listener. As an environment variable: YAML flow text such as
	// [{name: hub, listen: ":8081"}].
	Hosts []HostConfig `yaml:"hosts"`
	// ContractsDir is a folder of host bundles read at start-up
	// (docs/contracts.md): each <name>/contract.yaml, with its mail/
	// templates, or a plain <name>.yaml. A bundle whose host has the name
	// of a shipped one replaces it; others are added. Empty serves only
	// the shipped hosts.
	ContractsDir string `yaml:"contracts_dir"`
	// FallbackHost names the host whose style answers paths no host owns
	// (404s outside every host's prefix and routes); empty means the
	// listener's first host when all its hosts share a style, else a
	// neutral text 404. "none" always gives the neutral 404.
	FallbackHost string `yaml:"fallback_host"`
	// TLS serves the main listener over HTTPS (HTTP/1.1 and HTTP/2).
	TLS TLSConfig `yaml:"tls"`
	// H2C also serves HTTP/2 without TLS (prior knowledge) on listeners
	// without a certificate, for service meshes whose sidecar terminates
	// TLS.
	H2C bool `yaml:"h2c"`
	// Shadow also sends a sample of live requests to the legacy hosts and
	// compares their answers with the gateway's, off the request path
	// (docs/replay.md); off by default.
	Shadow shadow.Config `yaml:"shadow"`

	// AllowedOrigins are the origins that URLs taken from requests may
	// point to in emails and Location headers, for hosts without a list of
	// their own; empty means the origin of public_url.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// TrustedProxies are the CIDR ranges of proxies whose X-Forwarded-For
	// and X-Real-IP name the client; none by default (the peer is the
	// client).
	TrustedProxies []string `yaml:"trusted_proxies"`
	// Lockout locks an account after repeated failed sign-ins.
	Lockout LockoutConfig `yaml:"lockout"`
	// Throttle limits sign-ins and registrations per client address.
	Throttle ThrottleConfig `yaml:"throttle"`
	// Metrics places the Prometheus endpoint.
	Metrics MetricsConfig `yaml:"metrics"`
	// Debug holds diagnostics for operators, all off by default.
	Debug DebugConfig `yaml:"debug"`
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
	// TTL is the lifetime of an activation code.
	TTL time.Duration `yaml:"ttl"`
}

// MailerConfig sets the outbox mailer.
type MailerConfig struct {
	// Enabled runs the mailer inside the gateway (it also runs alone as
	// `legacygate mailer`); it sends only when smtp.host is set.
	Enabled bool `yaml:"enabled"`
	// MaxAttempts is how many permanent (5xx) refusals an email gets
	// before it moves to the dead-letter stream.
	MaxAttempts int `yaml:"max_attempts"`
	// BackoffBase is the first retry delay; each retry doubles it.
	BackoffBase time.Duration `yaml:"backoff_base"`
	// BackoffMax caps the retry delay.
	BackoffMax time.Duration `yaml:"backoff_max"`
	// MaxAge dead-letters an email still undelivered after this long.
	MaxAge time.Duration `yaml:"max_age"`
	// TemplatesDir is a directory overlaying the embedded mail templates
	// (<template>/<lang>.txt); empty uses the embedded ones.
	TemplatesDir string `yaml:"templates_dir"`
}

// SMTPConfig is the mail server. The password is best given as
// LEGACYGATE_SMTP_PASSWORD.
type SMTPConfig struct {
	// Host is the mail server; empty: emails wait in the outbox.
	Host string `yaml:"host"`
	// Port is the mail server's port (587 for STARTTLS, 465 for tls).
	Port int `yaml:"port"`
	// Username signs in to the mail server; empty: no authentication.
	Username string `yaml:"username"`
	// Password is the mail server password; prefer the environment
	// variable to the file.
	Password string `yaml:"password"`
	// From is the sender address of activation emails.
	From string `yaml:"from"`
	// Security is none, starttls or tls (implicit TLS, usually port 465).
	Security string `yaml:"security"`
	// Timeout bounds one SMTP conversation.
	Timeout time.Duration `yaml:"timeout"`
	// CAFile is a PEM bundle to trust instead of the system roots.
	CAFile string `yaml:"ca_file"`
}

// RedisConfig selects the backend store.
type RedisConfig struct {
	// URL is any form package redisurl parses (redis://, rediss://,
	// unix://, redis+cluster://, redis+sentinel://, cluster seeds), or
	// empty for the embedded in-memory server. The gateway speaks RESP2
	// unless the URL says protocol=3 (RESP3 costs a push-notification
	// check on every command and brings nothing the gateway uses).
	URL string `yaml:"url"`
	// Prefix starts every key the gateway writes.
	Prefix string `yaml:"prefix"`
	// ReservationTTL is the lifetime of a username or email reservation of
	// the Redis Cluster registration protocol (docs/redis-cluster.md).
	ReservationTTL time.Duration `yaml:"reservation_ttl"`
	// WaitReplicas is how many replicas must hold each write of a
	// registration before it is acknowledged (WAIT): 0 means one on a
	// Cluster or Sentinel and none on a single node; -1 never waits.
	WaitReplicas int `yaml:"wait_replicas"`
	// WaitTimeout bounds that wait; past it the registration is
	// acknowledged all the same and a warning logged.
	WaitTimeout time.Duration `yaml:"wait_timeout"`
}

// LimitsConfig bounds request sizes.
type LimitsConfig struct {
	// MaxBodyBytes is the largest request body; larger ones get 413 in
	// the host's error shape.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`

	// MaxMembers is the most members one decoded object may have;
	// beyond it the host's 400.
	MaxMembers int `yaml:"max_members"`
	// MaxItems is the most items (or keys) one decoded list or dictionary
	// may have; beyond it the host's 400.
	MaxItems int `yaml:"max_items"`
	// MaxDepth is the deepest nesting of objects and lists a request may
	// have; beyond it the host's 400.
	MaxDepth int `yaml:"max_depth"`
	// MaxStringChars is the longest string (in characters) one field may
	// hold; beyond it the host's 400.
	MaxStringChars int `yaml:"max_string_chars"`
}

// TimeoutConfig sets the HTTP server's timeouts.
type TimeoutConfig struct {
	// ReadHeader bounds reading a request's headers.
	ReadHeader time.Duration `yaml:"read_header"`
	// Read bounds reading a whole request.
	Read time.Duration `yaml:"read"`
	// Write bounds writing a response.
	Write time.Duration `yaml:"write"`
	// Idle closes keep-alive connections idle this long.
	Idle time.Duration `yaml:"idle"`
	// Shutdown is how long in-flight requests may take to finish once the
	// listeners close.
	Shutdown time.Duration `yaml:"shutdown"`
	// ShutdownDelay is how long the gateway keeps serving after SIGTERM
	// while /readyz answers 503, so load balancers stop sending before the
	// listeners close; a second signal ends it at once.
	ShutdownDelay time.Duration `yaml:"shutdown_delay"`
}

// PasswordConfig sets argon2id parameters and the bounded hashing pool.
type PasswordConfig struct {
	// MemoryKiB is argon2id's memory cost in KiB (OWASP's minimum is
	// 19456). Parameters are stored in each hash, so changing them keeps
	// old hashes valid.
	MemoryKiB uint32 `yaml:"memory_kib"`
	// Iterations is argon2id's time cost.
	Iterations uint32 `yaml:"iterations"`
	// Parallelism is argon2id's lanes.
	Parallelism uint8 `yaml:"parallelism"`
	// Workers is the number of hashing goroutines; 0 means one per CPU.
	Workers int `yaml:"workers"`
	// Queue is how many hash jobs may wait; beyond it requests get 503
	// with Retry-After in the host's shape. 0 means 64 per CPU.
	Queue int `yaml:"queue"`
	// RetryAfter is the Retry-After advertised with those 503s.
	RetryAfter time.Duration `yaml:"retry_after"`
	// WaitBudget is the longest expected wait for a hash worker (queue
	// length × measured hash time ÷ workers) a registration is admitted
	// with; beyond it, 503 with a Retry-After computed from that wait.
	WaitBudget time.Duration `yaml:"wait_budget"`
	// ShedDelay holds a request refused because the hash workers are over
	// their wait budget this long (at most its Retry-After) before the 503
	// goes out, so a client that retries at once without honouring
	// Retry-After cannot take the workers' CPU with refusals; 0 answers at
	// once.
	ShedDelay time.Duration `yaml:"shed_delay"`
}

// LogConfig sets the logger.
type LogConfig struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is json (one object per line) or console (for people).
	Format string `yaml:"format"`
	// BufferKiB is the size in KiB of an in-memory buffer for log lines;
	// 0 (the default) writes each line at once. Above 0, lines are
	// written when the buffer is full, every flush_interval, on a panic or
	// fatal line and at shutdown: one write(2) for many lines instead of
	// one per request, about 2.5 µs less per request. A crash (SIGKILL, an
	// OOM kill, power loss) loses up to flush_interval of lines.
	BufferKiB int `yaml:"buffer_kib"`
	// FlushInterval is the longest a buffered line waits (buffer_kib above 0).
	FlushInterval time.Duration `yaml:"flush_interval"`
}

// HostConfig mounts one legacy host.
type HostConfig struct {
	// Name is the host contract's name: a file name under routes/hosts,
	// without .yaml.
	Name string `yaml:"name"`
	// Prefix is the mount path (such as /service); empty uses the
	// contract's own.
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
	// AllowedOrigins overrides the top-level allowed_origins for this host.
	AllowedOrigins []string `yaml:"allowed_origins"`
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
	c := Config{
		Listen:     "127.0.0.1:8080",
		Redis:      RedisConfig{Prefix: "lg:", ReservationTTL: redisstore.DefaultReservationTTL, WaitTimeout: redisstore.DefaultWaitTimeout},
		Limits:     defaultLimits,
		Timeouts:   TimeoutConfig{ReadHeader: 5 * time.Second, Read: 15 * time.Second, Write: 15 * time.Second, Idle: 120 * time.Second, Shutdown: 20 * time.Second, ShutdownDelay: 5 * time.Second},
		Password:   PasswordConfig{MemoryKiB: p.MemoryKiB, Iterations: p.Iterations, Parallelism: p.Parallelism, RetryAfter: time.Second, WaitBudget: 2 * time.Second, ShedDelay: 250 * time.Millisecond},
		Log:        LogConfig{Level: "info", Format: "json", FlushInterval: time.Second},
		TimeZone:   "UTC",
		Activation: ActivationConfig{TTL: 48 * time.Hour},
		Mailer:     MailerConfig{Enabled: true, MaxAttempts: 8, BackoffBase: time.Second, BackoffMax: 5 * time.Minute, MaxAge: 24 * time.Hour},
		SMTP:       SMTPConfig{Port: 587, From: "no-reply@localhost", Security: "starttls", Timeout: 30 * time.Second},
		Metrics:    MetricsConfig{Enabled: true},
		Lockout:    defaultLockout,
		Throttle:   defaultThrottle,
	}
	c.Shadow.Defaults()
	return c
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
