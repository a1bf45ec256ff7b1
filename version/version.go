// Package version reports what build of legacygate is running: the module
// version, the VCS commit and its date, as the Go toolchain stamps them into
// the binary (runtime/debug.ReadBuildInfo). The start-up log line, the
// `legacygate version` command and the metrics' build label all read it.
package version

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
)

// Set at link time to override what the build info says, e.g.
//
//	go build -ldflags "-X legacygate/version.date=2026-12-02T10:00:00Z" ./cmd/legacygate
var (
	version string
	commit  string
	date    string
)

// Info describes the running build.
type Info struct {
	// Version is the main module's version: a tag, a pseudo-version
	// (v0.0.0-<time>-<commit>[+dirty]) or "(devel)" when the toolchain
	// stamped none (go run, go test).
	Version string
	// Commit is the VCS revision ("unknown" when not stamped); Modified
	// says the work tree had uncommitted changes.
	Commit   string
	Modified bool
	// Date is the build date when set at link time, else the commit's
	// time (RFC 3339), else "unknown".
	Date string
	// Go is the toolchain that built the binary.
	Go string
}

var (
	once   sync.Once
	cached Info
)

// Get returns the build's Info (computed once).
func Get() Info {
	once.Do(func() { cached = read(debug.ReadBuildInfo) })
	return cached
}

func read(readBuildInfo func() (*debug.BuildInfo, bool)) Info {
	in := Info{Version: "(devel)", Commit: "unknown", Date: "unknown", Go: "unknown"}
	if bi, ok := readBuildInfo(); ok {
		if bi.Main.Version != "" {
			in.Version = bi.Main.Version
		}
		in.Go = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				in.Commit = s.Value
			case "vcs.time":
				in.Date = s.Value
			case "vcs.modified":
				in.Modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		in.Version = version
	}
	if commit != "" {
		in.Commit = commit
	}
	if date != "" {
		in.Date = date
	}
	return in
}

// Labels are the build's identity as metric labels (a build_info gauge):
// version, commit, date and go.
func (in Info) Labels() map[string]string {
	c := in.Commit
	if in.Modified {
		c += "+dirty"
	}
	return map[string]string{"version": in.Version, "commit": c, "date": in.Date, "go": in.Go}
}

// String is the multi-line text `legacygate version` prints.
func (in Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "legacygate %s\n", in.Version)
	mod := ""
	if in.Modified {
		mod = " (modified work tree)"
	}
	fmt.Fprintf(&b, "commit  %s%s\n", in.Commit, mod)
	fmt.Fprintf(&b, "date    %s\n", in.Date)
	fmt.Fprintf(&b, "go      %s\n", in.Go)
	return b.String()
}
