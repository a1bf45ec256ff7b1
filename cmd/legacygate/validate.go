package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"legacygate/routes/pipeline"
)

// Upper bounds of values whose excess would exhaust the machine rather than
// configure it: an argon2id hash holds memory_kib for each running worker.
const (
	maxMemoryKiB    = 1 << 20 // 1 GiB per hash
	maxIterations   = 64
	maxParallelism  = 16
	maxWorkers      = 256
	maxQueue        = 1 << 16
	maxBodyBytes    = 64 << 20
	maxLogBufferKiB = 64 << 10 // 64 MiB of log lines in memory
)

// embeddedURL is the redis.url that asks for the embedded store on
// purpose (needed when listening beyond loopback).
const embeddedURL = "embedded"

// validate refuses values that make no sense, naming the YAML key.
func (c *Config) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("config: "+format, args...)) }
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			bad("%s must be a positive duration, got %v", key, d)
		}
	}
	within := func(key string, v, lo, hi int64) {
		if v < lo || v > hi {
			bad("%s is %d; it must be between %d and %d", key, v, lo, hi)
		}
	}

	if c.Listen == "" {
		bad("listen is empty")
	}
	within("limits.max_body_bytes", c.Limits.MaxBodyBytes, 1, maxBodyBytes)
	within("limits.max_members", int64(c.Limits.MaxMembers), 1, 1<<20)
	within("limits.max_items", int64(c.Limits.MaxItems), 1, 1<<20)
	within("limits.max_depth", int64(c.Limits.MaxDepth), 2, 256)
	within("limits.max_string_chars", int64(c.Limits.MaxStringChars), 1, maxBodyBytes)

	t := c.Timeouts
	positive("timeouts.read_header", t.ReadHeader)
	positive("timeouts.read", t.Read)
	positive("timeouts.write", t.Write)
	positive("timeouts.idle", t.Idle)
	positive("timeouts.shutdown", t.Shutdown)
	if t.ShutdownDelay < 0 {
		bad("timeouts.shutdown_delay must not be negative, got %v", t.ShutdownDelay)
	}

	within("log.buffer_kib", int64(c.Log.BufferKiB), 0, maxLogBufferKiB)
	if c.Log.BufferKiB > 0 {
		positive("log.flush_interval", c.Log.FlushInterval)
	}

	p := c.Password
	within("password.parallelism", int64(p.Parallelism), 1, maxParallelism)
	within("password.memory_kib", int64(p.MemoryKiB), 8*int64(max(p.Parallelism, 1)), maxMemoryKiB)
	within("password.iterations", int64(p.Iterations), 1, maxIterations)
	within("password.workers", int64(p.Workers), 0, maxWorkers)
	within("password.queue", int64(p.Queue), 0, maxQueue)
	positive("password.retry_after", p.RetryAfter)
	positive("password.wait_budget", p.WaitBudget)
	if p.ShedDelay < 0 {
		bad("password.shed_delay must not be negative, got %v", p.ShedDelay)
	}

	positive("activation.ttl", c.Activation.TTL)
	m := c.Mailer
	within("mailer.max_attempts", int64(m.MaxAttempts), 1, 1000)
	positive("mailer.backoff_base", m.BackoffBase)
	positive("mailer.backoff_max", m.BackoffMax)
	if m.BackoffMax < m.BackoffBase {
		bad("mailer.backoff_max (%v) is less than mailer.backoff_base (%v)", m.BackoffMax, m.BackoffBase)
	}
	positive("mailer.max_age", m.MaxAge)
	within("smtp.port", int64(c.SMTP.Port), 1, 65535)
	positive("smtp.timeout", c.SMTP.Timeout)
	switch c.SMTP.Security {
	case "none", "starttls", "tls":
	default:
		bad("smtp.security %q is not none, starttls or tls", c.SMTP.Security)
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		bad("time_zone: %v", err)
	}

	within("lockout.max_failures", int64(c.Lockout.MaxFailures), 0, 1000)
	if c.Lockout.MaxFailures > 0 {
		positive("lockout.duration", c.Lockout.Duration)
	}
	within("throttle.sign_in", int64(c.Throttle.SignIn), 0, 1<<30)
	within("throttle.register", int64(c.Throttle.Register), 0, 1<<30)
	if c.Throttle.SignIn > 0 || c.Throttle.Register > 0 {
		positive("throttle.window", c.Throttle.Window)
	}
	if _, err := c.trustedProxies(); err != nil {
		errs = append(errs, err)
	}
	if c.PublicURL != "" {
		if _, ok := pipeline.OriginOf(c.PublicURL); !ok {
			bad("public_url %q is not an absolute http(s) URL", c.PublicURL)
		}
	}
	if _, err := pipeline.ParseOrigins(c.AllowedOrigins); err != nil {
		bad("allowed_origins: %v", err)
	}
	seen := map[string]bool{}
	for i, h := range c.Hosts {
		key := h.Name + "\x00" + h.Prefix
		if seen[key] {
			bad("host %q mounted twice at %q", h.Name, h.Prefix)
		}
		seen[key] = true
		if _, err := pipeline.ParseOrigins(h.AllowedOrigins); err != nil {
			bad("hosts[%d].allowed_origins: %v", i, err)
		}
	}
	if err := c.Shadow.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Debug.validate(); err != nil {
		errs = append(errs, err)
	}
	if err := validateTLS(c.TLS); err != nil {
		errs = append(errs, err)
	}
	if c.Redis.URL == "" {
		for _, addr := range c.listenAddrs() {
			if !loopback(addr) {
				bad("redis.url is empty but the gateway listens on %s, beyond loopback: "+
					"name a Redis URL, or say redis.url: %s to serve from the in-memory store on purpose", addr, embeddedURL)
				break
			}
		}
	}
	return errors.Join(errs...)
}

// listenAddrs is the main listener and every host's own.
func (c *Config) listenAddrs() []string {
	out := []string{c.Listen}
	for _, h := range c.Hosts {
		if h.Listen != "" {
			out = append(out, h.Listen)
		}
	}
	return out
}

// loopback reports whether a listen address binds loopback only; an
// empty host (":8080") binds every interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && loopbackHost(host)
}

// loopbackHost reports whether a host name or address is loopback.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
