package routes

import (
	"fmt"

	"legacygate/routes/pipeline"
)

// mountOrigins resolves a mount's allowed origins: its own list, else the
// origin of the public URL.
func mountOrigins(m Mount, publicURL string) (pipeline.Origins, error) {
	list := m.AllowedOrigins
	if len(list) == 0 {
		if publicURL == "" {
			return nil, nil
		}
		o, ok := pipeline.OriginOf(publicURL)
		if !ok {
			return nil, fmt.Errorf("routes: public URL %q is not an absolute http(s) URL", publicURL)
		}
		list = []string{o}
	}
	o, err := pipeline.ParseOrigins(list)
	if err != nil {
		return nil, fmt.Errorf("routes: host %s: allowed_origins: %w", m.Host.Name, err)
	}
	return o, nil
}
