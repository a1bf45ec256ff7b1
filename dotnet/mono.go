package dotnet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Packages are the Debian packages that provide what the tests need
// (scripts/test.sh installs them).
const Packages = "mono-runtime mono-mcs libmono-system-runtime-serialization4.0-cil libmono-system-xml-linq4.0-cil " +
	"libmono-system-net-http4.0-cil libmono-system-net-http-formatting4.0-cil libmono-system-web-http4.0-cil libnewtonsoft-json5.0-cil"

// Mono is a found toolchain.
type Mono struct {
	Mono, Mcs string
	// Newtonsoft is Newtonsoft.Json 6 (Debian's libnewtonsoft-json5.0-cil).
	Newtonsoft string
}

// newtonsoftPaths are where Debian installs Newtonsoft.Json 6.0.8.
var newtonsoftPaths = []string{
	"/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll",
	"/usr/lib/mono/gac/Newtonsoft.Json/6.0.0.0__b9a188c8922137c6/Newtonsoft.Json.dll",
}

// Find locates mono, mcs and Newtonsoft.Json.
func Find() (*Mono, error) {
	m := &Mono{}
	var err error
	if m.Mono, err = exec.LookPath("mono"); err != nil {
		return nil, err
	}
	if m.Mcs, err = exec.LookPath("mcs"); err != nil {
		return nil, err
	}
	for _, p := range newtonsoftPaths {
		if _, err := os.Stat(p); err == nil {
			m.Newtonsoft = p
			return m, nil
		}
	}
	return nil, fmt.Errorf("Newtonsoft.Json.dll not found in %s", strings.Join(newtonsoftPaths, ", "))
}

// Required reports whether the .NET tests must run: in CI (CI=true) or
// when LEGACYGATE_ACCEPTANCE=1, as for the ServiceStack client test.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("LEGACYGATE_ACCEPTANCE") == "1"
}

// Require returns the toolchain, or skips tb with a notice when it is
// missing, or fails tb when [Required].
func Require(tb testing.TB) *Mono {
	tb.Helper()
	m, err := Find()
	if err == nil {
		return m
	}
	if Required() {
		tb.Fatalf("the .NET tests are required here but Mono is missing (%v); install: apt-get install %s (scripts/test.sh does)", err, Packages)
	}
	tb.Skipf("Mono is missing (%v); skipping the .NET ground-truth test (scripts/test.sh installs: %s)", err, Packages)
	return nil
}

// SourceDir is the directory of the C# sources (cs/ beside this file).
func SourceDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "cs")
}

// Compile runs mcs: target is "exe" or "library", refs are assembly names
// or paths, sources file paths. It returns the output path.
func (m *Mono) Compile(out, target string, refs []string, sources ...string) error {
	args := []string{"-nologo", "-warn:0", "-optimize+", "-target:" + target, "-out:" + out}
	for _, r := range refs {
		args = append(args, "-r:"+r)
	}
	args = append(args, sources...)
	cmd := exec.Command(m.Mcs, args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("mcs %s: %v\n%s", filepath.Base(out), err, b)
	}
	return nil
}

// Env is the environment the C# programs run in: a UTC zone, so that a
// Local DateTime is the UTC wall clock and prints "+00:00" as on the
// legacy servers, and the invariant culture.
func Env() []string {
	return append(os.Environ(), "TZ=UTC", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "MONO_ENV_OPTIONS=")
}

// Helper is one long-lived C# process speaking one JSON line per request.
type Helper struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr bytes.Buffer
	mu     sync.Mutex
}

// Start runs exe under mono with args.
func (m *Mono) Start(ctx context.Context, exe string, args ...string) (*Helper, error) {
	h := &Helper{}
	h.cmd = exec.CommandContext(ctx, m.Mono, append([]string{exe}, args...)...)
	h.cmd.Env = Env()
	h.cmd.Stderr = &h.stderr
	var err error
	if h.in, err = h.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := h.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	h.out = bufio.NewReaderSize(out, 1<<20)
	if err := h.cmd.Start(); err != nil {
		return nil, err
	}
	return h, nil
}

// Close ends the process (closing its stdin) and waits for it.
func (h *Helper) Close() error {
	h.in.Close()
	err := h.cmd.Wait()
	if err != nil {
		return fmt.Errorf("%v: %s", err, h.stderr.String())
	}
	return nil
}

// Response is one answer of the helper.
type Response struct {
	OK    bool            `json:"ok"`
	Value json.RawMessage `json:"value"`
	Data  []byte          `json:"data"` // base64 on the wire
	Error string          `json:"error"`
}

// Batch sends every request (each marshalled to one JSON line) while
// reading the answers, and returns them in order.
func (h *Helper) Batch(reqs []any) ([]Response, error) {
	lines, err := h.BatchRaw(reqs)
	if err != nil {
		return nil, err
	}
	out := make([]Response, len(lines))
	for i, line := range lines {
		if err := json.Unmarshal(line, &out[i]); err != nil {
			return nil, fmt.Errorf("helper answer %d: %v: %.200s", i, err, line)
		}
	}
	return out, nil
}

// BatchRaw is Batch returning each answer's JSON line.
func (h *Helper) BatchRaw(reqs []any) ([][]byte, error) {
	out := make([][]byte, len(reqs))
	err := h.Stream(reqs, func(i int, line []byte) { out[i] = line })
	return out, err
}

// Stream sends every request (each marshalled to one JSON line) from
// another goroutine and calls each with every answer line as it arrives,
// in order, so that checking answers overlaps with the helper's work. The
// line is only valid during the call.
func (h *Helper) Stream(reqs []any, each func(i int, line []byte)) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(h.in, 1<<20)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, r := range reqs {
			if err := enc.Encode(r); err != nil {
				werr <- err
				return
			}
		}
		werr <- w.Flush()
	}()
	for i := range reqs {
		line, err := h.out.ReadBytes('\n')
		if err != nil {
			return fmt.Errorf("helper answer %d: %v; stderr: %s", i, err, h.stderr.String())
		}
		each(i, line)
	}
	return <-werr
}
