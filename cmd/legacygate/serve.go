package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/internal/certs"
	"legacygate/routes"
	"legacygate/routes/contract"
)

// serveFlags parses the serve flags and resolves the configuration.
func serveFlags(args []string, stderr io.Writer, lookupEnv func(string) (string, bool)) (Config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default ./config.yaml when present)")
	listen := fs.String("listen", "", "listen address, e.g. 127.0.0.1:8080 (env LEGACYGATE_LISTEN)")
	redisURL := fs.String("redis", "", "redis://…, rediss://…, redis+cluster://…, redis+sentinel://…, or comma-separated cluster seeds; empty = embedded (env LEGACYGATE_REDIS)")
	setUsage(fs, "serve [flags]", "Start the gateway: every host contract on its listeners, until SIGINT or SIGTERM.",
		"Every configuration key can also be set as LEGACYGATE_<PATH> (docs/configuration.md);",
		"flags beat the environment, which beats the file.")
	if err := parseFlags(fs, args); err != nil {
		return Config{}, err
	}
	path, required := *cfgPath, true
	if path == "" {
		path, required = "config.yaml", false
		if v, ok := lookupEnv("LEGACYGATE_CONFIG"); ok && v != "" {
			path, required = v, true
		}
	}
	cfg, err := loadConfig(path, required)
	if err != nil {
		return cfg, err
	}
	if err := cfg.applyEnv(lookupEnv); err != nil {
		return cfg, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["listen"] {
		cfg.Listen = *listen
	}
	if set["redis"] {
		cfg.Redis.URL = *redisURL
	}
	return cfg, cfg.validate()
}

// newLogger returns the logger on stderr and a function that flushes and
// stops its buffer (log.buffer_kib); call it last.
func newLogger(c LogConfig) (*zap.Logger, func() error, error) {
	ws, stop := logSink(c, os.Stderr)
	log, err := buildLogger(c, ws)
	if err != nil {
		_ = stop()
		return nil, nil, err
	}
	return log, stop, nil
}

// logSink is w for the logger: locked, and with log.buffer_kib buffered
// (zapcore.BufferedWriteSyncer: written when full, every
// log.flush_interval, on a panic or fatal line, and by stop).
func logSink(c LogConfig, w *os.File) (zapcore.WriteSyncer, func() error) {
	if c.BufferKiB <= 0 {
		return zapcore.Lock(w), func() error { return nil }
	}
	b := &zapcore.BufferedWriteSyncer{WS: zapcore.AddSync(w), Size: c.BufferKiB << 10, FlushInterval: c.FlushInterval}
	return b, b.Stop
}

// buildLogger writes to w. No level adds a stack trace by itself (a
// warning about a slow dial needs none); a recovered panic logs its own.
func buildLogger(c LogConfig, w zapcore.WriteSyncer) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(c.Level)
	if err != nil {
		return nil, fmt.Errorf("config: log.level: %q is not debug, info, warn or error", c.Level)
	}
	var enc zapcore.Encoder
	switch c.Format {
	case "json":
		ec := zap.NewProductionEncoderConfig()
		ec.TimeKey, ec.EncodeTime = "ts", zapcore.ISO8601TimeEncoder
		enc = zapcore.NewJSONEncoder(ec)
	case "console":
		ec := zap.NewDevelopmentEncoderConfig()
		ec.TimeKey, ec.EncodeTime = "ts", zapcore.ISO8601TimeEncoder
		enc = zapcore.NewConsoleEncoder(ec)
	default:
		return nil, fmt.Errorf("config: log.format: %q is not json or console", c.Format)
	}
	return zap.New(zapcore.NewCore(enc, w, lvl), zap.AddCaller(), zap.ErrorOutput(w)), nil
}

func serveCmd(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := serveFlags(args, stderr, os.LookupEnv)
	if err != nil {
		return err
	}
	log, stopLog, err := newLogger(cfg.Log)
	if err != nil {
		return err
	}
	defer func() { _ = stopLog() }()
	defer func() { _ = log.Sync() }()
	redis.SetLogger(redisLog{log}) // go-redis has one process-wide logger
	// The first SIGINT/SIGTERM (ctx) starts the drain; a second one ends
	// the shutdown delay at once.
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	hurry := make(chan struct{})
	go func() {
		n := 0
		for range sig {
			if n++; n == 2 {
				close(hurry)
				return
			}
		}
	}()
	return serve(withHurry(ctx, hurry), cfg, log, nil)
}

// serve runs the gateway until ctx ends, then drains in-flight requests.
// ready, when non-nil, receives the bound addresses (tests use it).
func serve(ctx context.Context, cfg Config, log *zap.Logger, ready func(map[string]string)) error {
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return err
	}
	bundles, err := openBundles(cfg)
	if err != nil {
		return err
	}
	all := bundles.Hosts()
	logBundles(log, bundles)
	groups, err := mountGroups(cfg, all)
	if err != nil {
		return err
	}
	if err := checkFallback(cfg, groups); err != nil {
		return err
	}

	pool := passhash.New(passhash.Params{MemoryKiB: cfg.Password.MemoryKiB, Iterations: cfg.Password.Iterations,
		Parallelism: cfg.Password.Parallelism, SaltLen: 16, KeyLen: 32}, cfg.Password.Workers, cfg.Password.Queue)
	defer pool.Close()
	pool.SetWaitBudget(cfg.Password.WaitBudget)
	safety, err := cfg.safety()
	if err != nil {
		return err
	}
	gm := newGatewayMetrics(cfg.Metrics, pool)
	store, closeStore, err := redisstore.Open(ctx, safety.redisURL, gm.storeHooks(redisstore.Options{Prefix: cfg.Redis.Prefix, Hasher: pool, Logger: log,
		Lockout:        redisstore.Lockout{MaxFailures: cfg.Lockout.MaxFailures, Duration: cfg.Lockout.Duration},
		ReservationTTL: cfg.Redis.ReservationTTL, Realms: realmsOf(groups),
		WaitReplicas: cfg.Redis.WaitReplicas, WaitTimeout: cfg.Redis.WaitTimeout}))
	if err != nil {
		return err
	}
	defer func() { _ = closeStore() }()
	gm.outbox(store, activationRealms(groups))
	if err := gm.serve(ctx, log); err != nil {
		return fmt.Errorf("metrics.listen: %w", err)
	}
	pprofAddr, err := servePprof(ctx, cfg.Debug, log)
	if err != nil {
		return fmt.Errorf("debug.pprof_listen: %w", err)
	}

	type listener struct {
		srv *http.Server
		ln  net.Listener
	}
	var lns []listener
	addrs := map[string]string{}
	closeAll := func() {
		for _, l := range lns {
			_ = l.ln.Close()
		}
	}
	// Listen first: the public URL in activation links defaults to the
	// main listener's bound address.
	for _, g := range groups {
		ln, err := net.Listen("tcp", g.listen)
		if err != nil {
			closeAll()
			return fmt.Errorf("listen %s: %w", g.listen, err)
		}
		lns = append(lns, listener{ln: ln})
		addrs[g.listen] = ln.Addr().String()
	}
	if pprofAddr != "" {
		addrs[pprofKey] = pprofAddr
	}
	pub := publicURL(cfg, addrs)
	sh, middleware, err := newShadow(cfg, all, log, gm.shadowCounter())
	if err != nil {
		closeAll()
		return err
	}
	if sh != nil {
		defer sh.Close()
	}
	logStart(log, riskyWarnings(cfg, groups, pub, os.Environ()))
	var draining atomic.Bool // set when shutdown starts: /readyz answers 503
	var reloaders []*certs.Reloader
	for i, g := range groups {
		e, err := routes.New(routes.Options{Mounts: g.mounts, Registrar: store, Sessions: store, APIKeys: store,
			Activator: store, ActivationTTL: cfg.Activation.TTL, PublicURL: pub, Logger: log, MaxBodyBytes: cfg.Limits.MaxBodyBytes,
			RetryAfter: cfg.Password.RetryAfter, ShedDelay: cfg.Password.ShedDelay, DebugHeaders: cfg.DebugHeaders, Location: loc, Draining: draining.Load, Middleware: middleware,
			Throttle: safety.throttle(store), TrustedProxies: safety.proxies, Limits: safety.limits, RequestTimeout: cfg.Timeouts.Write, Metrics: gm.m,
			Fallback: fallbackFor(cfg, g.mounts), Pages: gm.pages(i == 0)})
		if err != nil {
			closeAll()
			return err
		}
		lns[i].srv = &http.Server{Handler: e, ReadHeaderTimeout: cfg.Timeouts.ReadHeader, ReadTimeout: cfg.Timeouts.Read,
			WriteTimeout: cfg.Timeouts.Write, IdleTimeout: cfg.Timeouts.Idle, ErrorLog: zap.NewStdLog(log),
			MaxHeaderBytes: 64 << 10}
		r, err := listenerTLS(lns[i].srv, g, cfg.H2C, log)
		if err != nil {
			closeAll()
			return err
		}
		if r != nil {
			reloaders = append(reloaders, r)
		}
		names := make([]string, 0, len(g.mounts))
		for _, m := range g.mounts {
			names = append(names, m.Host.Name+"@"+m.Prefix+"/")
		}
		log.Info("listening", zap.String("addr", lns[i].ln.Addr().String()), zap.Strings("hosts", names),
			zap.Bool("tls", r != nil), zap.String("protocols", lns[i].srv.Protocols.String()))
	}
	stopHUP := make(chan struct{})
	defer close(stopHUP)
	reloadOnHUP(reloaders, stopHUP)
	mctx, stopMailer := context.WithCancel(context.Background())
	mailerDone := make(chan struct{})
	close(mailerDone)
	if realms := activationRealms(groups); len(realms) > 0 {
		switch {
		case !cfg.Mailer.Enabled:
			log.Info("mailer disabled here: activation emails wait in the outbox for `legacygate mailer`")
		case cfg.SMTP.Host == "":
			log.Warn("smtp.host is not set: activation emails wait in the outbox until a mailer with SMTP runs", zap.Strings("realms", realms))
		default:
			m, err := newMailer(cfg, store, realms, bundles.Mail(), log, gm.m)
			if err != nil {
				closeAll()
				stopMailer()
				return err
			}
			mailerDone = make(chan struct{})
			go func() {
				defer close(mailerDone)
				if err := m.Run(mctx); err != nil {
					log.Error("mailer stopped", zap.Error(err))
				}
			}()
		}
	}
	defer func() {
		stopMailer()
		<-mailerDone
	}()
	errc := make(chan error, len(lns))
	for _, l := range lns {
		go func() {
			if err := serveListener(l.srv, l.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	if ready != nil {
		ready(addrs)
	}
	var serveErr error
	select {
	case <-ctx.Done():
		draining.Store(true)
		if d := cfg.Timeouts.ShutdownDelay; d > 0 {
			log.Info("shutting down: /readyz answers 503; serving on until load balancers notice", zap.Duration("delay", d))
			for _, l := range lns {
				l.srv.SetKeepAlivesEnabled(false) // clients reconnect, elsewhere
			}
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-hurryFrom(ctx):
				t.Stop()
				log.Info("second signal: ending the shutdown delay")
			}
		}
		log.Info("shutting down: listeners closed, draining in-flight requests", zap.Duration("timeout", cfg.Timeouts.Shutdown))
	case serveErr = <-errc:
		log.Error("server failed", zap.Error(serveErr))
	}
	sctx, cancel := context.WithTimeout(context.Background(), cfg.Timeouts.Shutdown)
	defer cancel()
	for _, l := range lns {
		if err := l.srv.Shutdown(sctx); err != nil {
			log.Warn("shutdown", zap.Error(err))
		}
	}
	log.Info("stopped")
	return serveErr
}

type hurryKey struct{}

// withHurry attaches a channel whose closing ends the shutdown delay.
func withHurry(ctx context.Context, hurry <-chan struct{}) context.Context {
	return context.WithValue(ctx, hurryKey{}, hurry)
}

func hurryFrom(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(hurryKey{}).(<-chan struct{})
	return ch // nil: never
}

type mountGroup struct {
	listen string
	tls    TLSConfig
	mounts []routes.Mount
}

// mountGroups places the configured hosts (all embedded contracts when the
// config lists none) on their listeners, the main one first.
func mountGroups(cfg Config, all []*contract.Host) ([]mountGroup, error) {
	byName := map[string]*contract.Host{}
	for _, h := range all {
		byName[h.Name] = h
	}
	hcs := cfg.Hosts
	if len(hcs) == 0 {
		for _, h := range all {
			if _, err := routes.StyleFor(h.Style); err == nil {
				hcs = append(hcs, HostConfig{Name: h.Name})
			}
		}
	}
	groups := []mountGroup{{listen: cfg.Listen, tls: cfg.TLS}}
	index := map[string]int{cfg.Listen: 0}
	for n, hc := range hcs {
		h, ok := byName[hc.Name]
		if !ok {
			return nil, fmt.Errorf("config: hosts: no contract named %q", hc.Name)
		}
		addr := hc.Listen
		if addr == "" {
			addr = cfg.Listen
		}
		i, ok := index[addr]
		if !ok {
			i = len(groups)
			index[addr] = i
			groups = append(groups, mountGroup{listen: addr})
		}
		if err := groups[i].setTLS(hc, n); err != nil {
			return nil, err
		}
		prefix := hc.Prefix
		if prefix == "" {
			prefix = h.Prefix
		}
		policy, err := corsPolicy(hc.CORS, n)
		if err != nil {
			return nil, err
		}
		origins := hc.AllowedOrigins
		if len(origins) == 0 {
			origins = cfg.AllowedOrigins
		}
		groups[i].mounts = append(groups[i].mounts, routes.Mount{Host: h, Prefix: prefix, Realm: hc.Realm, CORS: policy, AllowedOrigins: origins})
	}
	return groups, nil
}

// redisLog sends go-redis's own diagnostics (pool dial failures and the
// like) to zap instead of the standard logger.
type redisLog struct{ log *zap.Logger }

func (l redisLog) Printf(_ context.Context, format string, v ...any) {
	// "detail", not "msg": the JSON encoder's message key is "msg" and a
	// second one would make the line ambiguous.
	l.log.Warn("go-redis", zap.String("detail", fmt.Sprintf(format, v...)))
}
