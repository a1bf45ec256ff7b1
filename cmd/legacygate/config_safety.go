package main

import (
	"fmt"
	"net"
	"time"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/pipeline"
)

// LockoutConfig is the per-account lockout after failed sign-ins (ASP.NET
// Identity's defaults). max_failures 0 turns it off.
type LockoutConfig struct {
	// MaxFailures is how many failed sign-ins in a row lock an account;
	// 0 turns lockout off.
	MaxFailures int `yaml:"max_failures"`
	// Duration is how long a locked account stays locked.
	Duration time.Duration `yaml:"duration"`
}

// ThrottleConfig limits sign-in and registration requests per client
// address in a fixed window; 0 turns a limit off.
type ThrottleConfig struct {
	// Window is the fixed window the limits count in.
	Window time.Duration `yaml:"window"`
	// SignIn is the most sign-ins one client address may try per window
	// (beyond it 429 with Retry-After); 0 means no limit.
	SignIn int `yaml:"sign_in"`
	// Register is the most registrations one client address may send per
	// window; 0 means no limit.
	Register int `yaml:"register"`
}

var (
	defaultLockout  = LockoutConfig{MaxFailures: 5, Duration: 5 * time.Minute}
	defaultThrottle = ThrottleConfig{Window: time.Minute, SignIn: 30, Register: 30}
	defaultLimits   = LimitsConfig{MaxBodyBytes: 1 << 20, MaxMembers: 256, MaxItems: 1000, MaxDepth: 32, MaxStringChars: 4096}
)

// trustedProxies parses trusted_proxies: CIDR ranges, or single addresses.
func (c *Config) trustedProxies() ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, s := range c.TrustedProxies {
		if ip := net.ParseIP(s); ip != nil {
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("config: trusted_proxies: %q is not an address or CIDR range", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// safetySettings are the resolved safety settings serve wires in.
type safetySettings struct {
	redisURL string // "" for the embedded store
	proxies  []*net.IPNet
	limits   codecs.Limits
	cfg      ThrottleConfig
}

func (c *Config) safety() (safetySettings, error) {
	proxies, err := c.trustedProxies()
	if err != nil {
		return safetySettings{}, err
	}
	url := c.Redis.URL
	if url == embeddedURL {
		url = ""
	}
	l := c.Limits
	return safetySettings{redisURL: url, proxies: proxies, cfg: c.Throttle,
		limits: codecs.Limits{MaxMembers: l.MaxMembers, MaxItems: l.MaxItems, MaxDepth: l.MaxDepth, MaxStringChars: l.MaxStringChars}}, nil
}

// throttle is the per-client limit over the store (nil when off).
func (s safetySettings) throttle(rl backend.RateLimiter) *pipeline.Throttle {
	if s.cfg.SignIn <= 0 && s.cfg.Register <= 0 {
		return nil
	}
	return &pipeline.Throttle{Limiter: rl, SignIn: pipeline.Rate{Limit: s.cfg.SignIn, Window: s.cfg.Window},
		Register: pipeline.Rate{Limit: s.cfg.Register, Window: s.cfg.Window}}
}
