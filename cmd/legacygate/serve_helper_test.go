package main

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
)

// testConfig is the default configuration for a gateway a test runs in
// process: the main listener on a free loopback port, argon2id cheap
// enough for tests, and no shutdown delay (no load balancer to wait for).
func testConfig() Config {
	cfg := defaults()
	cfg.Listen = "127.0.0.1:0"
	cfg.Timeouts.ShutdownDelay = 0
	cfg.Password.MemoryKiB, cfg.Password.Iterations = 64, 1
	return cfg
}

// inProcess is `legacygate serve` running inside a test.
type inProcess struct {
	// addrs are the bound addresses by the listen address configured.
	addrs  map[string]string
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// startServe runs serve with cfg and log until Stop or the end of the
// test (which fails if serve then returns an error), and fails the test if
// the gateway does not start within 10 s.
func startServe(t *testing.T, cfg Config, log *zap.Logger) *inProcess {
	t.Helper()
	if log == nil {
		log = zap.NewNop()
	}
	ctx, cancel := context.WithCancel(context.Background())
	g := &inProcess{cancel: cancel, done: make(chan error, 1)}
	addrs := make(chan map[string]string, 1)
	go func() { g.done <- serve(ctx, cfg, log, func(a map[string]string) { addrs <- a }) }()
	t.Cleanup(func() {
		if err := g.Stop(); err != nil {
			t.Error(err)
		}
	})
	select {
	case g.addrs = <-addrs:
	case err := <-g.done:
		g.done <- err // for Stop
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("gateway did not start")
	}
	return g
}

// addr is the bound address of the listener configured as listen.
func (g *inProcess) addr(listen string) string { return g.addrs[listen] }

// url is the base URL of the listener configured as listen.
func (g *inProcess) url(listen string) string { return "http://" + g.addrs[listen] }

// Stop does what SIGTERM does and returns serve's error once it has
// returned (an error of its own if that takes over 30 s); later calls
// return the same.
func (g *inProcess) Stop() error {
	g.once.Do(func() {
		g.cancel()
		select {
		case g.err = <-g.done:
		case <-time.After(30 * time.Second):
			g.err = errors.New("gateway did not stop within 30 s")
		}
	})
	return g.err
}
