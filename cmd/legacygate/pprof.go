package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"go.uber.org/zap"
)

// DebugConfig holds diagnostics that are off by default.
type DebugConfig struct {
	// PprofListen serves Go's runtime profiles (CPU, heap, allocations,
	// goroutines, mutex, execution trace) under /debug/pprof/ on a listener
	// of its own, for profiling under load (go tool pprof
	// http://ADDR/debug/pprof/profile?seconds=10); empty serves none. A
	// profile shows the gateway's internals and costs CPU while it is
	// taken: give a loopback address such as 127.0.0.1:6060.
	PprofListen string `yaml:"pprof_listen"`
	// PprofAllowRemote permits a pprof_listen address beyond loopback
	// (behind a firewall that only operators pass); without it such an
	// address is refused at start.
	PprofAllowRemote bool `yaml:"pprof_allow_remote"`
}

// pprofKey names the pprof listener's bound address in the map serve
// hands its ready callback (whose other keys are listen addresses).
const pprofKey = "debug.pprof_listen"

// validate refuses a pprof listener beyond loopback unless allowed.
func (d DebugConfig) validate() error {
	if d.PprofListen == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(d.PprofListen); err != nil {
		return fmt.Errorf("config: debug.pprof_listen %q is not host:port", d.PprofListen)
	}
	if !loopback(d.PprofListen) && !d.PprofAllowRemote {
		return fmt.Errorf("config: debug.pprof_listen %q binds beyond loopback: profiles expose the gateway's internals; "+
			"use 127.0.0.1:PORT, or set debug.pprof_allow_remote: true on purpose", d.PprofListen)
	}
	return nil
}

// pprofMux serves net/http/pprof's handlers on a mux of their own (never
// http.DefaultServeMux, where the package also registers them).
func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

// servePprof runs the pprof listener, when configured, until ctx ends; it
// returns the bound address ("" when off).
func servePprof(ctx context.Context, cfg DebugConfig, log *zap.Logger) (string, error) {
	if cfg.PprofListen == "" {
		return "", nil
	}
	ln, err := net.Listen("tcp", cfg.PprofListen)
	if err != nil {
		return "", err
	}
	// No WriteTimeout: a CPU profile or a trace streams for as long as it
	// was asked to run.
	srv := &http.Server{Handler: pprofMux(), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Warn("pprof listening: runtime profiles are served to whoever reaches this address", zap.String("addr", ln.Addr().String()))
	go func() { _ = srv.Serve(ln) }()
	return ln.Addr().String(), nil
}
