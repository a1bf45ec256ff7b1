package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"legacygate/backend/redisstore/redistest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// legacygateBinary builds the command once per test run: the replay tests
// run the binary users run.
func legacygateBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "legacygate-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "legacygate")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// runBinary runs the command and returns its exit status and output.
func runBinary(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, legacygateBinary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.String(), stderr.String()
}

// fixtureAccounts are the accounts the golden corpus signs in with
// (routes/golden_test.go seeds the same ones).
var fixtureAccounts = []struct{ host, user, pass, role string }{
	{"digitaluapi", "partner@example.com", "partner-pass", "Partner"},
	{"digitaluapi", "plain@example.com", "plain-pass", ""},
	{"emun1", "member@example.com", "member-pass", "Customer"},
}

// startGateway runs `legacygate serve` from the built binary on a free
// loopback port against the test Redis under a fresh prefix, with the
// fixture accounts, and returns its base URL and config file.
func startGateway(t *testing.T, extraConfig string, fixtures bool) (string, string) {
	t.Helper()
	_, prefix := redistest.Client(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	cfg := fmt.Sprintf("listen: %s\nredis:\n  url: %s\n  prefix: %q\npassword:\n  memory_kib: 64\n  iterations: 1\nmailer:\n  enabled: false\nlog:\n  level: warn\n%s",
		addr, redistest.URL(), prefix, extraConfig)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, a := range fixtureAccounts {
		if !fixtures {
			break
		}
		args := []string{"users", "add", "--config", cfgPath, "--host", a.host, "--username", a.user, "--password-stdin"}
		if a.role != "" {
			args = append(args, "--role", a.role)
		}
		if code, out, errOut := runBinary(t, a.pass+"\n", args...); code != 0 {
			t.Fatalf("users add: %d\n%s%s", code, out, errOut)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, legacygateBinary(t), "serve", "--config", cfgPath)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("gateway log:\n%s", logs.String())
		}
	})
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			_ = c.Close()
			break
		}
		if i == 500 {
			t.Fatalf("gateway did not listen on %s:\n%s", addr, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "http://" + addr, cfgPath
}

// TestReplayCorpus replays the golden corpus through the CLI against a
// running gateway, twice (the {{unique}} values keep the second run from
// colliding with the first), with the JUnit and JSON reports.
func TestReplayCorpus(t *testing.T) {
	// The corpus's links point at these origins (routes.TestGolden allows
	// the same), and one client sends all of it: no per-client throttle.
	target, _ := startGateway(t, "allowed_origins: [https://gw.example, https://fls.example, https://app.example]\nthrottle: {sign_in: 0, register: 0}\n", true)
	junit := filepath.Join(t.TempDir(), "replay.xml")
	code, out, errOut := runBinary(t, "", "replay", "--target", target, "--junit", junit, "../../testdata/golden")
	if code != 0 {
		t.Fatalf("replay exit %d:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "passed, 0 failed") {
		t.Fatalf("no summary line:\n%s", out)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &suites); err != nil || len(suites.Suites) != 1 || suites.Suites[0].Tests == 0 || suites.Suites[0].Failures != 0 {
		t.Fatalf("junit %v %+v:\n%s", err, suites, data)
	}
	code, out, errOut = runBinary(t, "", "replay", "--json", "--target", target, "../../testdata/golden")
	var doc struct {
		Summary struct{ Cases, Passed, Failed int }
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || doc.Summary.Passed != suites.Suites[0].Tests {
		t.Fatalf("second run exit %d, summary %+v:\n%s%s", code, doc.Summary, out, errOut)
	}
}

// TestReplayBrokenCase: a case whose expectation is wrong prints the
// member, the expected and the actual value, and exits 1.
func TestReplayBrokenCase(t *testing.T) {
	target, _ := startGateway(t, "", true)
	src, err := os.ReadFile("../../testdata/golden/hub/Register/ok.txtar")
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(src, []byte(`"Surname":"sample string 7","Description"`), []byte(`"Surname":"Smith","Description"`), 1)
	if bytes.Equal(broken, src) {
		t.Fatal("the case to break changed; update this test")
	}
	path := filepath.Join(t.TempDir(), "broken.txtar")
	if err := os.WriteFile(path, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runBinary(t, "", "replay", "--target", target, path)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{"FAIL broken", "exchange 1: POST /Account/Register → 200", "$.Surname value", `expected: "Smith"`, `actual:   "sample string 7"`, "1 cases: 0 passed, 1 failed (1 difference)"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colour codes on a pipe:\n%q", out)
	}
}

// TestReplayHAR replays a HAR file exported from a headless Chromium
// session against another gateway (testdata/har/record-chromium.mjs made
// it): with the reviewed noise rules it passes; without them the session
// id, which is fresh per sign-in, is the one difference.
func TestReplayHAR(t *testing.T) {
	target, _ := startGateway(t, "", false)
	code, out, errOut := runBinary(t, "", "replay", "--target", target, "../../testdata/har/session.har")
	if code != 1 || !strings.Contains(out, "$.sessionId value") || !strings.Contains(out, "1 cases: 0 passed, 1 failed (1 difference)") {
		t.Fatalf("without rules: exit %d, want 1 with one difference at $.sessionId:\n%s%s", code, out, errOut)
	}
	code, out, errOut = runBinary(t, "", "replay", "--fresh", "har-", "--rules", "../../testdata/har/session.rules.yaml", "--target", target, "../../testdata/har/session.har")
	if code != 0 {
		t.Fatalf("with rules: exit %d:\n%s%s", code, out, errOut)
	}
}

// TestLearnNoise: sending the HAR session twice to one gateway learns the
// ids and the session id as volatile, and nothing else.
func TestLearnNoise(t *testing.T) {
	target, _ := startGateway(t, "", false)
	rules := filepath.Join(t.TempDir(), "learned.yaml")
	code, out, errOut := runBinary(t, "", "replay", "--learn-noise", rules, "--fresh", "har-", "--target", target, "../../testdata/har/session.har")
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(rules)
	if err != nil {
		t.Fatal(err)
	}
	var learned struct {
		Cases map[string]struct {
			Ignore []struct{ Path, Value string }
		}
	}
	if err := yaml.Unmarshal(data, &learned); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range learned.Cases["session"].Ignore {
		got = append(got, r.Path+" "+r.Value)
	}
	want := []string{"$.ID {{int}}", "/UserDetail/ID {{int}}", "$.userId {{int}}", "$.sessionId "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("learned %q, want %q:\n%s", got, want, data)
	}
	code, out, errOut = runBinary(t, "", "replay", "--fresh", "har-", "--rules", rules, "--target", target, "../../testdata/har/session.har")
	if code != 0 {
		t.Fatalf("replay with the learned rules: exit %d:\n%s%s", code, out, errOut)
	}
}
