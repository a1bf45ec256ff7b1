package dotnet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"legacygate/backend/redisstore/redistest"
	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
)

var workDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "legacygate-dotnet-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workDir = dir
	_, stop, err := redistest.Addr()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

// hostModel is one host's contract and its generated C# assembly.
type hostModel struct {
	host  *contract.Host
	model *Model
	dll   string
	// synthetic marks testdata/synthetic.yaml: a contract for the codec
	// tests only, never served.
	synthetic bool
}

// objectTypes are the host's object types (not enums), by name.
func (h *hostModel) objectTypes() []*contract.Type {
	var names []string
	for n, t := range h.host.Types {
		if t.Enum == nil && !t.Primitive && t.Schema() != nil && t.Schema().Shape == codecs.ObjectShape {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []*contract.Type
	for _, n := range names {
		out = append(out, h.host.Types[n])
	}
	return out
}

// clrName is "host|Full.Name", the helper's type reference.
func (h *hostModel) clrName(t *contract.Type) string {
	return h.host.Name + "|" + h.model.ClassName(t.Schema())
}

var (
	buildOnce sync.Once
	built     struct {
		mono   *Mono
		hosts  []*hostModel
		helper string // Serializers.exe
		err    error
	}
)

// build generates and compiles every host's model assembly and the
// serializer helper, once per test binary.
func build(t *testing.T) ([]*hostModel, string, *Mono) {
	t.Helper()
	m := Require(t)
	buildOnce.Do(func() {
		built.mono = m
		all, err := hosts.Load()
		if err != nil {
			built.err = err
			return
		}
		data, err := os.ReadFile(filepath.Join("testdata", "synthetic.yaml"))
		if err != nil {
			built.err = err
			return
		}
		synthetic, err := contract.Load("synthetic.yaml", data)
		if err != nil {
			built.err = err
			return
		}
		for _, h := range append(all, synthetic) {
			hm := &hostModel{host: h, synthetic: h == synthetic}
			var roots []*codecs.Type
			for _, ct := range hm.objectTypes() {
				roots = append(roots, ct.Schema())
			}
			if hm.model, err = CSharp(roots); err != nil {
				built.err = err
				return
			}
			src := filepath.Join(workDir, "models_"+h.Name+".cs")
			if err = os.WriteFile(src, hm.model.Source, 0o644); err != nil {
				built.err = err
				return
			}
			hm.dll = filepath.Join(workDir, "models_"+h.Name+".dll")
			if err = m.Compile(hm.dll, "library", []string{"System.Runtime.Serialization"}, src); err != nil {
				built.err = err
				return
			}
			built.hosts = append(built.hosts, hm)
		}
		built.helper = filepath.Join(workDir, "Serializers.exe")
		built.err = m.Compile(built.helper, "exe", []string{"System.Runtime.Serialization", "System.Xml", m.Newtonsoft},
			filepath.Join(SourceDir(), "Neutral.cs"), filepath.Join(SourceDir(), "Serializers.cs"))
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.hosts, built.helper, built.mono
}

// startSerializers runs one Serializers.exe for the test.
func startSerializers(t *testing.T) (*Helper, []*hostModel) {
	hs, exe, m := build(t)
	return startHelper(t, m, exe, hs), hs
}

// startHelper runs exe with every host's model assembly, ended when the
// test ends.
func startHelper(t *testing.T, m *Mono, exe string, hs []*hostModel) *Helper {
	t.Helper()
	var args []string
	for _, h := range hs {
		args = append(args, h.host.Name+"="+h.dll)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p, err := m.Start(ctx, exe, args...)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("%s: %v", filepath.Base(exe), err)
		}
		cancel()
	})
	return p
}
