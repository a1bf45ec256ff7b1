package main

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"legacygate/backend/metrics"
	"legacygate/backend/passhash"
	"legacygate/backend/redisstore"
	"legacygate/routes/shadow"
	"legacygate/version"
)

// MetricsConfig places the Prometheus endpoint.
type MetricsConfig struct {
	// Enabled serves /metrics (default true).
	Enabled bool `yaml:"enabled"`
	// Listen serves /metrics on a listener of its own (for example a
	// private interface) instead of the main listener.
	Listen string `yaml:"listen"`
}

// gatewayMetrics is one gateway's registry and its wiring; its zero value
// (metrics disabled) records nothing and mounts nothing.
type gatewayMetrics struct {
	reg *prometheus.Registry
	m   *metrics.Metrics // nil when disabled: every method is a no-op
	cfg MetricsConfig
}

func newGatewayMetrics(cfg MetricsConfig, pool *passhash.Pool) *gatewayMetrics {
	if !cfg.Enabled {
		return &gatewayMetrics{}
	}
	reg := prometheus.NewRegistry()
	m := metrics.New(reg)
	pool.ObserveWait(m.HashWait)
	metrics.Gauges(reg, pool.QueueLen, nil)
	metrics.BuildInfo(reg, version.Get().Labels())
	return &gatewayMetrics{reg: reg, m: m, cfg: cfg}
}

// storeHooks returns store options that feed the metrics.
func (g *gatewayMetrics) storeHooks(opt redisstore.Options) redisstore.Options {
	if g.m != nil {
		opt.OnUnavailable, opt.OnSwept = g.m.BackendError, g.m.Swept
	}
	return opt
}

// outbox adds the outbox depth of realms, read from store at scrape time:
// the mailer group's pending entries plus those it has not read yet (the
// whole stream when the group does not exist yet).
func (g *gatewayMetrics) outbox(store *redisstore.Store, realms []string) {
	if g.m == nil || len(realms) == 0 {
		return
	}
	metrics.Gauges(g.reg, nil, func(ctx context.Context) map[string]int64 {
		out := make(map[string]int64, len(realms))
		for _, realm := range realms {
			key := redisstore.OutboxKey(store.Prefix(), realm)
			groups, err := store.Client().XInfoGroups(ctx, key).Result()
			if redis.HasErrorPrefix(err, "no such key") {
				out[realm] = 0 // nothing registered yet
				continue
			}
			if err != nil {
				continue // no sample rather than a wrong one
			}
			depth, found := int64(0), false
			for _, gr := range groups {
				if gr.Name == "mailer" {
					depth, found = gr.Pending+max(gr.Lag, 0), true
				}
			}
			if !found {
				depth = store.Client().XLen(ctx, key).Val()
			}
			out[realm] = depth
		}
		return out
	})
}

// shadowCounter feeds shadow mode's outcomes to the metrics; nil when
// metrics are off.
func (g *gatewayMetrics) shadowCounter() shadow.Counter {
	if g.m == nil {
		return nil
	}
	return shadowCounter{g.m}
}

type shadowCounter struct{ m *metrics.Metrics }

func (c shadowCounter) Count(host, op string, o shadow.Outcome) { c.m.Shadow(host, op, string(o)) }

func (g *gatewayMetrics) handler() http.Handler {
	return promhttp.HandlerFor(g.reg, promhttp.HandlerOpts{Registry: g.reg})
}

// pages serves /metrics on the main listener unless metrics have a
// listener of their own.
func (g *gatewayMetrics) pages(main bool) map[string]http.Handler {
	if g.m != nil && g.cfg.Listen == "" && main {
		return map[string]http.Handler{"/metrics": g.handler()}
	}
	return nil
}

// serve runs the metrics listener, when configured, until ctx ends.
func (g *gatewayMetrics) serve(ctx context.Context, log *zap.Logger) error {
	if g.m == nil || g.cfg.Listen == "" {
		return nil
	}
	ln, err := net.Listen("tcp", g.cfg.Listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", g.handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("metrics listening", zap.String("addr", ln.Addr().String()))
	go func() { _ = srv.Serve(ln) }()
	return nil
}
