package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"legacygate/routes/exchange/replay"
)

// server is a small registration service: POST /users registers the
// name in the JSON body once (409 after), answering a fresh id and a
// session id; GET /echo answers the request as seen.
func server(t *testing.T) *httptest.Server {
	var mu sync.Mutex
	users := map[string]bool{}
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/users":
			var body struct{ Name string }
			_ = json.NewDecoder(r.Body).Decode(&body)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			if users[strings.ToLower(body.Name)] {
				w.WriteHeader(http.StatusConflict)
				fmt.Fprintf(w, `{"Message":"Name %s is already taken."}`, body.Name)
				return
			}
			users[strings.ToLower(body.Name)] = true
			n++
			fmt.Fprintf(w, `{"Id":%d,"Name":%q,"Session":"s%d"}`, n, body.Name, n*7919)
		case "/echo":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprintf(w, "%s %s host=%s ua=%q", r.Method, r.URL.RequestURI(), r.Host, r.UserAgent())
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

const registerCase = `register twice
-- ignore --
- path: $.Session
-- request --
POST /users HTTP/1.1
Host: legacy.example
Content-Type: application/json

{"Name":"Ann{{unique}}"}
-- response --
HTTP/1.1 200 OK
Content-Type: application/json; charset=utf-8

{"Id":{{int}},"Name":"Ann{{unique}}","Session":"x"}
-- request --
POST /users HTTP/1.1
Host: legacy.example
Content-Type: application/json

{"Name":"ANN{{unique}}"}
-- response --
HTTP/1.1 409 Conflict
Content-Type: application/json; charset=utf-8

{"Message":"Name ANN{{unique}} is already taken."}
`

func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func target(t *testing.T, srv *httptest.Server) *url.URL {
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func runAll(t *testing.T, cases []*replay.Case, opt replay.Options) []*replay.Result {
	var rs []*replay.Result
	for _, c := range cases {
		rs = append(rs, replay.Run(context.Background(), c, opt))
	}
	return rs
}

// TestRunTwice: {{unique}} makes a registering case pass again and again
// against one live store; the case's ignore section drops the session id.
func TestRunTwice(t *testing.T) {
	srv := server(t)
	dir := t.TempDir()
	write(t, dir, "svc/Register/twice.txtar", registerCase)
	cases, err := replay.Load([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 1 || cases[0].Name != "svc/Register/twice" {
		t.Fatalf("cases %v", cases)
	}
	for run := 1; run <= 2; run++ {
		r := replay.Run(context.Background(), cases[0], replay.Options{Target: target(t, srv)})
		if !r.Passed() {
			var b bytes.Buffer
			replay.WriteText(&b, []*replay.Result{r}, replay.Summarize([]*replay.Result{r}, 0), false, true)
			t.Fatalf("run %d:\n%s", run, b.String())
		}
	}
}

// TestReports: one failing case in text, JSON and JUnit.
func TestReports(t *testing.T) {
	srv := server(t)
	dir := t.TempDir()
	write(t, dir, "a/ok.txtar", registerCase)
	write(t, dir, "a/bad.txtar", strings.Replace(registerCase, `"Ann{{unique}}","Session"`, `"Bob","Session"`, 1))
	cases, err := replay.Load([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := runAll(t, cases, replay.Options{Target: target(t, srv)})
	sum := replay.Summarize(rs, 0)
	if sum.Passed != 1 || sum.Failed != 1 || sum.Differences != 1 {
		t.Fatalf("summary %+v", sum)
	}
	var text bytes.Buffer
	replay.WriteText(&text, rs, sum, true, false)
	for _, want := range []string{"FAIL\x1b[0m a/bad", "$.Name", `expected: "Bob"`, `actual:   "Ann` + rs[0].Token + `"`, "2 cases: 1 passed, 1 failed (1 difference)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	var js bytes.Buffer
	if err := replay.WriteJSON(&js, srv.URL, rs, sum); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct {
			Name, Status string
			Exchanges    []struct {
				Differences []struct{ Kind, Path, Expected, Actual string }
			}
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Cases[0].Name != "a/bad" || doc.Cases[0].Status != "fail" || doc.Cases[0].Exchanges[0].Differences[0].Path != "$.Name" || doc.Cases[1].Status != "pass" {
		t.Errorf("json report %s", js.String())
	}
	var ju bytes.Buffer
	if err := replay.WriteJUnit(&ju, srv.URL, rs, sum); err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Suite struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(ju.Bytes(), &suites); err != nil {
		t.Fatal(err)
	}
	s := suites.Suite
	if s.Tests != 2 || s.Failures != 1 || s.Cases[0].Classname != "a" || s.Cases[0].Name != "bad" || s.Cases[0].Failure == nil || !strings.Contains(s.Cases[0].Failure.Text, "$.Name") || strings.Contains(s.Cases[0].Failure.Text, "\x1b") {
		t.Errorf("junit %s", ju.String())
	}
}

// TestRecordAndUpdate: --record writes the answers as a new case that
// then replays green; --update rewrites only the expectation that
// differed, keeping the other's placeholders.
func TestRecordAndUpdate(t *testing.T) {
	srv := server(t)
	dir, out := t.TempDir(), t.TempDir()
	path := write(t, dir, "echo.txtar", "-- request --\nGET /echo?q=1 HTTP/1.1\nHost: legacy.example\nUser-Agent: probe\n\n-- response --\nHTTP/1.1 200 OK\nContent-Type: text/plain\n\nstale\n")
	write(t, dir, "reg.txtar", registerCase)
	cases, err := replay.Load([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := replay.Options{Target: target(t, srv)}
	for _, r := range runAll(t, cases, opt) {
		if _, err := replay.Record(out, srv.URL, r); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := os.ReadFile(filepath.Join(out, "echo.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rec), "GET /echo?q=1 host=legacy.example ua=\"probe\"") {
		t.Fatalf("recorded (the recorded Host and User-Agent are sent):\n%s", rec)
	}
	reg, err := os.ReadFile(filepath.Join(out, "reg.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(reg), `"Name":"Ann{{unique}}"`) || !strings.Contains(string(reg), "-- ignore --\n- path: $.Session") {
		t.Fatalf("recorded register case keeps {{unique}} and its rules:\n%s", reg)
	}

	// update: the stale echo expectation is rewritten
	rs := runAll(t, cases[:1], opt)
	if rs[0].Passed() {
		t.Fatal("stale case passed")
	}
	if changed, err := replay.Update(rs[0]); err != nil || !changed {
		t.Fatalf("update: %v %v", changed, err)
	}
	again, err := replay.Load([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := replay.Run(context.Background(), again[0], opt); !r.Passed() {
		t.Fatalf("updated case still fails: %+v", r.Exchanges)
	}
}

// TestLearnNoise: the id and the session id change between two runs of a
// case; nothing else does.
func TestLearnNoise(t *testing.T) {
	srv := server(t)
	dir := t.TempDir()
	write(t, dir, "reg.txtar", strings.Replace(registerCase, "-- ignore --\n- path: $.Session\n", "", 1))
	cases, err := replay.Load([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := replay.LearnNoise(context.Background(), cases[0], replay.Options{Target: target(t, srv)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rules {
		got = append(got, r.Path+" "+r.Value)
	}
	if strings.Join(got, "|") != "$.Id {{int}}|$.Session " {
		t.Fatalf("learned %q", got)
	}
	file := filepath.Join(dir, "learned.yaml")
	if err := replay.WriteLearned(file, "review me", &replay.Learned{Cases: map[string]replay.CaseRules{"reg": {Ignore: rules}}}); err != nil {
		t.Fatal(err)
	}
	l, err := replay.LoadRules(file)
	if err != nil {
		t.Fatal(err)
	}
	l.Apply(cases)
	if r := replay.Run(context.Background(), cases[0], replay.Options{Target: target(t, srv)}); !r.Passed() {
		t.Fatalf("with learned rules: %+v", r.Exchanges)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, file, data, want string }{
		{"bad txtar", "a.txtar", "-- response --\nx\n", "request/response pairs"},
		{"bad ignore", "b.txtar", "-- ignore --\n- {}\n-- request --\nGET / HTTP/1.1\n\n-- response --\nHTTP/1.1 200 OK\n\n", "names no path"},
		{"bad har", "c.har", "{}", "no log object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, dir, tt.file, tt.data)
			_, err := replay.Load([]string{p}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := replay.LoadRules(write(t, dir, "r.yaml", "ignroe: []\n")); err == nil {
		t.Error("a misspelt rules key was accepted")
	}
}

// TestLoadRefusesBadFresh: a --fresh value must be non-empty UTF-8 text; a
// stray byte made the pattern built from it panic.
func TestLoadRefusesBadFresh(t *testing.T) {
	for _, f := range []string{"", "caf\xe9"} {
		if _, err := replay.Load([]string{t.TempDir()}, []string{f}); err == nil || !strings.Contains(err.Error(), "fresh value") {
			t.Errorf("fresh %q: err = %v, want a refusal", f, err)
		}
	}
	if _, err := replay.Load([]string{t.TempDir()}, []string{"alice@example.com"}); err != nil {
		t.Errorf("a plain fresh value: %v", err)
	}
}
