package main

import (
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
	"legacygate/routes/shadow"
)

// newShadow starts shadow mode when the configuration enables it; the
// returned middleware list is empty otherwise. Close the Shadow (when
// non-nil) after the listeners have drained.
func newShadow(cfg Config, all []*contract.Host, log *zap.Logger, counter shadow.Counter) (*shadow.Shadow, []func(http.Handler) http.Handler, error) {
	if !cfg.Shadow.Enabled {
		return nil, nil, nil
	}
	secrets := map[string][]string{}
	for _, h := range all {
		secrets[h.Name] = h.SecretMembers()
	}
	for name, h := range cfg.Shadow.Hosts {
		if _, ok := secrets[name]; !ok {
			return nil, nil, fmt.Errorf("config: shadow.hosts.%s: no such host contract", name)
		}
		log.Warn("shadow mode: a sample of requests is also sent to the legacy host", zap.String("host", name), zap.String("target", h.Target), zap.Float64("sample", h.Sample))
		for op, o := range h.Operations {
			if o.SideEffects {
				log.Warn("shadow mode: the legacy host will act on shadowed requests (side_effects: true)", zap.String("host", name), zap.String("op", op))
			}
		}
	}
	sh := shadow.New(cfg.Shadow, shadow.Options{
		Served: func(r *http.Request) (string, string, bool) {
			info := pipeline.InfoFrom(r.Context())
			return info.Host, info.Op, info.Op != ""
		},
		Secrets: func(host string) []string { return secrets[host] },
		Log:     log.Named("shadow"),
		Counter: counter,
	})
	return sh, []func(http.Handler) http.Handler{sh.Middleware}, nil
}
