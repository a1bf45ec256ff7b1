package main

import (
	"reflect"

	"go.uber.org/zap"

	"legacygate/internal/settings"
	"legacygate/version"
)

// warning is a risky but valid setting, logged at start.
type warning struct {
	msg    string
	fields []zap.Field
}

// riskyWarnings lists what an operator should know before traffic
// arrives. The embedded store warns by itself when it opens (redisstore).
func riskyWarnings(cfg Config, groups []mountGroup, publicURL string, environ []string) []warning {
	var ws []warning
	if realms := activationRealms(groups); len(realms) > 0 && cfg.PublicURL == "" {
		ws = append(ws, warning{"public_url is not set: activation emails link to the listener's own address, which clients outside this machine may not reach",
			[]zap.Field{zap.String("links_to", publicURL), zap.Strings("realms", realms)}})
	}
	if cfg.DebugHeaders {
		ws = append(ws, warning{"debug_headers is on: every response carries X-Legacygate-Negotiation, which the legacy hosts never sent", nil})
	}
	if cfg.SMTP.Host != "" && cfg.SMTP.Security == "none" && cfg.SMTP.Username != "" && !loopbackHost(cfg.SMTP.Host) {
		ws = append(ws, warning{"smtp.security is none while smtp.username is set: the SMTP password crosses the network in clear",
			[]zap.Field{zap.String("smtp_host", cfg.SMTP.Host)}})
	}
	if unknown := settings.Unknown(environ, envPrefix, reflect.TypeFor[Config](), envExtraNames()...); len(unknown) > 0 {
		ws = append(ws, warning{"environment variables that set no configuration key (a typo?); docs/configuration.md lists the names",
			[]zap.Field{zap.Strings("variables", unknown)}})
	}
	return ws
}

func envExtraNames() []string {
	names := append([]string(nil), envExtra...)
	for n := range envAliases {
		names = append(names, n)
	}
	return names
}

// logStart logs the build and the risky settings.
func logStart(log *zap.Logger, ws []warning) {
	v := version.Get()
	log.Info("legacygate starting", zap.String("version", v.Version), zap.String("commit", v.Commit),
		zap.Bool("modified", v.Modified), zap.String("date", v.Date), zap.String("go", v.Go))
	for _, w := range ws {
		log.Warn(w.msg, w.fields...)
	}
}
