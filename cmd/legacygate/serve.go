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
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/routes"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
)

// serveFlags parses the serve flags and resolves the configuration.
func serveFlags(args []string, stderr io.Writer, lookupEnv func(string) (string, bool)) (Config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default ./config.yaml when present)")
	listen := fs.String("listen", "", "listen address, e.g. 127.0.0.1:8080 (env LEGACYGATE_LISTEN)")
	redisURL := fs.String("redis", "", "redis://…, rediss://…, or comma-separated cluster seeds; empty = embedded (env LEGACYGATE_REDIS)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected arguments: %v", fs.Args())
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
	cfg.applyEnv(lookupEnv)
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

func newLogger(c LogConfig) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(c.Level)
	if err != nil {
		return nil, fmt.Errorf("config: log.level: %w", err)
	}
	zc := zap.NewProductionConfig()
	if c.Format == "console" {
		zc = zap.NewDevelopmentConfig()
	} else if c.Format != "json" {
		return nil, fmt.Errorf("config: log.format %q is not json or console", c.Format)
	}
	zc.Level = zap.NewAtomicLevelAt(lvl)
	zc.EncoderConfig.TimeKey = "ts"
	zc.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	zc.Sampling = nil
	return zc.Build()
}

func serveCmd(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := serveFlags(args, stderr, os.LookupEnv)
	if err != nil {
		return err
	}
	log, err := newLogger(cfg.Log)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	redis.SetLogger(redisLog{log}) // go-redis has one process-wide logger
	return serve(ctx, cfg, log, nil)
}

// serve runs the gateway until ctx ends, then drains in-flight requests.
// ready, when non-nil, receives the bound addresses (tests use it).
func serve(ctx context.Context, cfg Config, log *zap.Logger, ready func(map[string]string)) error {
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return err
	}
	all, err := hosts.Load()
	if err != nil {
		return err
	}
	groups, err := mountGroups(cfg, all)
	if err != nil {
		return err
	}

	pool := passhash.New(passhash.Params{MemoryKiB: cfg.Password.MemoryKiB, Iterations: cfg.Password.Iterations,
		Parallelism: cfg.Password.Parallelism, SaltLen: 16, KeyLen: 32}, cfg.Password.Workers, cfg.Password.Queue)
	defer pool.Close()
	gm := newGatewayMetrics(cfg.Metrics, pool)
	store, closeStore, err := redisstore.Open(ctx, cfg.Redis.URL, gm.storeHooks(redisstore.Options{Prefix: cfg.Redis.Prefix, Hasher: pool, Logger: log,
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
	pub := publicURL(cfg, addrs)
	for i, g := range groups {
		e, err := routes.New(routes.Options{Mounts: g.mounts, Registrar: store, Sessions: store, APIKeys: store,
			Activator: store, ActivationTTL: cfg.Activation.TTL, PublicURL: pub, Logger: log, MaxBodyBytes: cfg.Limits.MaxBodyBytes,
			RetryAfter: cfg.Password.RetryAfter, DebugHeaders: cfg.DebugHeaders, Location: loc, Metrics: gm.m})
		if err != nil {
			closeAll()
			return err
		}
		if i == 0 {
			gm.mount(e) // the main listener
		}
		lns[i].srv = &http.Server{Handler: e, ReadHeaderTimeout: cfg.Timeouts.ReadHeader, ReadTimeout: cfg.Timeouts.Read,
			WriteTimeout: cfg.Timeouts.Write, IdleTimeout: cfg.Timeouts.Idle, ErrorLog: zap.NewStdLog(log),
			MaxHeaderBytes: 64 << 10}
		names := make([]string, 0, len(g.mounts))
		for _, m := range g.mounts {
			names = append(names, m.Host.Name+"@"+m.Prefix+"/")
		}
		log.Info("listening", zap.String("addr", lns[i].ln.Addr().String()), zap.Strings("hosts", names))
	}
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
			m, err := newMailer(cfg, store, realms, log, gm.m)
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
			if err := l.srv.Serve(l.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
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
		log.Info("shutting down: draining in-flight requests", zap.Duration("timeout", cfg.Timeouts.Shutdown))
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

type mountGroup struct {
	listen string
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
	groups := []mountGroup{{listen: cfg.Listen}}
	index := map[string]int{cfg.Listen: 0}
	for _, hc := range hcs {
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
		prefix := hc.Prefix
		if prefix == "" {
			prefix = h.Prefix
		}
		groups[i].mounts = append(groups[i].mounts, routes.Mount{Host: h, Prefix: prefix, Realm: hc.Realm})
	}
	return groups, nil
}

// redisLog sends go-redis's own diagnostics (pool dial failures and the
// like) to zap instead of the standard logger.
type redisLog struct{ log *zap.Logger }

func (l redisLog) Printf(_ context.Context, format string, v ...any) {
	l.log.Warn("go-redis", zap.String("msg", fmt.Sprintf(format, v...)))
}
