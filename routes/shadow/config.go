package shadow

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"legacygate/routes/exchange/diff"
)

// Config is the `shadow` section of the gateway's configuration.
type Config struct {
	// Enabled turns shadow mode on (off by default).
	Enabled bool `yaml:"enabled"`
	Queue   int  `yaml:"queue"` // waiting comparisons; more are dropped (256)
	// Workers compare concurrently (1). One worker sends shadowed requests
	// to the legacy host in the order the gateway answered them; more may
	// reorder them, which matters for operations with side effects (a
	// registration and its duplicate).
	Workers      int           `yaml:"workers"`
	Timeout      time.Duration `yaml:"timeout"`        // per legacy request (10s)
	MaxBodyBytes int64         `yaml:"max_body_bytes"` // larger requests or answers are not compared (1 MiB)
	// Redact names members whose values never reach the log, besides the
	// contracts' secret members (default PasswordHash, Salt, DigestHa1Hash).
	Redact []string `yaml:"redact"`
	// Hosts maps a contract's host name to its legacy host: target,
	// sample, ignore rules and per-operation settings.
	Hosts map[string]HostConfig `yaml:"hosts"`
}

// HostConfig shadows one legacy host.
type HostConfig struct {
	// Target is the legacy host's base URL; the request's path and query
	// are appended as received.
	Target string `yaml:"target"`
	// Sample is the fraction (0..1) of requests shadowed, for operations
	// that do not set their own.
	Sample float64 `yaml:"sample"`
	// Ignore drops volatile differences for every operation (diff.Rule).
	Ignore     diff.Rules          `yaml:"ignore"`
	Operations map[string]OpConfig `yaml:"operations"`
}

// OpConfig tunes one operation.
type OpConfig struct {
	Sample *float64 `yaml:"sample"`
	// SideEffects allows shadowing requests the legacy host acts on
	// (POST, PUT, DELETE…): it will register, activate or sign in too.
	SideEffects bool       `yaml:"side_effects"`
	Ignore      diff.Rules `yaml:"ignore"`
}

// Defaults fills zero values.
func (c *Config) Defaults() {
	if c.Queue == 0 {
		c.Queue = 256
	}
	if c.Workers == 0 {
		c.Workers = 1
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.Redact == nil {
		c.Redact = []string{"PasswordHash", "Salt", "DigestHa1Hash"}
	}
}

// Validate fills the defaults of an enabled configuration and checks it.
func (c *Config) Validate() error {
	if !c.Enabled {
		return nil
	}
	c.Defaults()
	var errs []error
	if c.Queue < 1 || c.Workers < 1 || c.Timeout <= 0 || c.MaxBodyBytes < 1 {
		errs = append(errs, errors.New("config: shadow: queue, workers, timeout and max_body_bytes must be positive"))
	}
	if len(c.Hosts) == 0 {
		errs = append(errs, errors.New("config: shadow: enabled but no hosts"))
	}
	for name, h := range c.Hosts {
		u, err := url.Parse(h.Target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("config: shadow.hosts.%s.target %q is not an http(s) URL", name, h.Target))
		}
		if h.Sample < 0 || h.Sample > 1 {
			errs = append(errs, fmt.Errorf("config: shadow.hosts.%s.sample must be within 0..1", name))
		}
		if err := h.Ignore.Compile(); err != nil {
			errs = append(errs, fmt.Errorf("config: shadow.hosts.%s: %w", name, err))
		}
		for op, o := range h.Operations {
			if o.Sample != nil && (*o.Sample < 0 || *o.Sample > 1) {
				errs = append(errs, fmt.Errorf("config: shadow.hosts.%s.operations.%s.sample must be within 0..1", name, op))
			}
			if err := o.Ignore.Compile(); err != nil {
				errs = append(errs, fmt.Errorf("config: shadow.hosts.%s.operations.%s: %w", name, op, err))
			}
		}
	}
	return errors.Join(errs...)
}
