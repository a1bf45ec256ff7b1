package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.uber.org/zap"

	"legacygate/routes"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
)

// openBundles reads the shipped host bundles overlaid by contracts_dir.
func openBundles(cfg Config) (*hosts.Set, error) {
	return hosts.Open(cfg.ContractsDir)
}

// logBundles says which hosts come from contracts_dir (added, or
// replacing a shipped one), so an operator sees what is in force.
func logBundles(log *zap.Logger, s *hosts.Set) {
	for _, b := range s.Bundles {
		if b.Source != "embedded" {
			log.Info("host bundle from contracts_dir", zap.String("host", b.Host.Name), zap.String("path", filepath.Join(b.Source, b.Dir)),
				zap.Bool("replaces_shipped", hosts.Shipped(b.Host.Name)))
		}
	}
}

// loadHosts is the contracts of openBundles.
func loadHosts(cfg Config) ([]*contract.Host, error) {
	s, err := openBundles(cfg)
	if err != nil {
		return nil, err
	}
	return s.Hosts(), nil
}

// fallbackFor names the host that answers a listener's unmatched paths
// (routes.Options.Fallback): fallback_host when it is mounted there, else
// the first mount when every mount shares its style, else none.
func fallbackFor(cfg Config, mounts []routes.Mount) string {
	if cfg.FallbackHost == "none" || len(mounts) == 0 {
		return ""
	}
	for _, m := range mounts {
		if m.Host.Name == cfg.FallbackHost {
			return m.Host.Name
		}
	}
	for _, m := range mounts[1:] {
		if m.Host.Style != mounts[0].Host.Style {
			return ""
		}
	}
	return mounts[0].Host.Name
}

// checkFallback refuses a fallback_host that no listener mounts.
func checkFallback(cfg Config, groups []mountGroup) error {
	if cfg.FallbackHost == "" || cfg.FallbackHost == "none" {
		return nil
	}
	for _, g := range groups {
		for _, m := range g.mounts {
			if m.Host.Name == cfg.FallbackHost {
				return nil
			}
		}
	}
	return fmt.Errorf("config: fallback_host %q is not a mounted host", cfg.FallbackHost)
}

// contractCmd dispatches `legacygate contract import|check …`.
func contractCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "check" {
		return contractCheckCmd(args, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "import" {
		return contractImportCmd(args, stdout, stderr)
	}
	return usagef("usage: legacygate contract import [--host NAME] [--out FILE] PAGE | contract check DIR|FILE...")
}

// contractCheckCmd: legacygate contract check PATH… validates host bundles.
func contractCheckCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("contract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, "contract check DIR|FILE...",
		"Validate host bundles: a contracts_dir (a folder of bundles), one bundle folder, or one contract file.\nEvery error is printed with its file, line and YAML path; the status is 1 when any is found.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 2 || fs.Arg(0) != "check" {
		return usagef("usage: contract check DIR|FILE...")
	}
	var errs []error
	for _, p := range fs.Args()[1:] {
		n, err := checkPath(p)
		if err != nil {
			for _, e := range flatten(err) {
				fmt.Fprintln(stdout, e)
			}
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok (%d host%s)\n", p, n, map[bool]string{true: "", false: "s"}[n == 1])
	}
	if len(errs) > 0 {
		return errors.New("the contract check found errors")
	}
	return nil
}

// checkPath loads what p names and returns how many hosts it holds.
func checkPath(p string) (int, error) {
	st, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	parent, name := filepath.Dir(p), filepath.Base(p)
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(p, "contract.yaml")); err != nil {
			bs, err := hosts.ReadLayer(os.DirFS(p), p)
			return len(bs), err
		}
	}
	if _, err := hosts.ReadBundle(os.DirFS(parent), name, parent); err != nil {
		return 0, err
	}
	return 1, nil
}

// flatten lists the errors joined in err, one per line.
func flatten(err error) []string {
	var out []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
