// Package hosts embeds one contract file per legacy host. Adding a host is
// adding a YAML file here (and its golden exchanges under testdata/golden).
package hosts

import (
	"embed"

	"legacygate/routes/contract"
)

//go:embed *.yaml
var files embed.FS

// Load compiles every embedded contract.
func Load() ([]*contract.Host, error) {
	return contract.LoadFS(files, ".")
}
