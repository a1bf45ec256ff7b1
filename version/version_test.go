package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	stamped := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "legacygate", Version: "v1.2.3"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-12-02T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}, true
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	tests := []struct {
		name string
		read func() (*debug.BuildInfo, bool)
		want Info
	}{
		{"stamped", stamped, Info{Version: "v1.2.3", Commit: "abc123", Modified: true, Date: "2026-12-02T10:00:00Z", Go: "go1.26.8"}},
		{"no build info", none, Info{Version: "(devel)", Commit: "unknown", Date: "unknown", Go: "unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := read(tt.read); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if l := read(stamped).Labels(); l["commit"] != "abc123+dirty" || l["version"] != "v1.2.3" {
		t.Errorf("labels %v", l)
	}
}

func TestLinkTimeOverride(t *testing.T) {
	version, date = "v9.9.9", "2027-01-01T00:00:00Z"
	defer func() { version, date = "", "" }()
	in := read(func() (*debug.BuildInfo, bool) { return nil, false })
	if in.Version != "v9.9.9" || in.Date != "2027-01-01T00:00:00Z" || !strings.Contains(in.String(), "legacygate v9.9.9\n") {
		t.Errorf("got %+v", in)
	}
}

func TestGetInTest(t *testing.T) {
	// A test binary carries build info; Get must not fail or invent a commit.
	in := Get()
	if in.Version == "" || in.Go == "" {
		t.Errorf("got %+v", in)
	}
}
