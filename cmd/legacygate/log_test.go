package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// lockedBuffer is a log sink the gateway's goroutines share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) Sync() error    { return nil }
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// uniqueKeys parses one JSON log line and fails on a key that appears twice
// in an object (encoding/json would keep the last one silently).
func uniqueKeys(line string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(line))
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				if seen[k.(string)] {
					return fmt.Errorf("key %q twice", k)
				}
				seen[k.(string)] = true
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	if err := walk(); err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal([]byte(line), &m)
}

// TestLogLines: a registration writes one line (the access log) carrying
// the user's id, not their email; go-redis diagnostics and every other
// line have each key once; warnings carry no stack trace in either format.
func TestLogLines(t *testing.T) {
	var sink lockedBuffer
	log, err := buildLogger(LogConfig{Level: "debug", Format: "json"}, &sink)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	g := startServe(t, cfg, log)
	addr := g.addr(cfg.Listen)
	const email = "logged.once@example.com"
	res, err := http.Post("http://"+addr+"/Account/Register", "application/json",
		strings.NewReader(`{"Username":"`+email+`","Email":"`+email+`","Password":"pw-123456","ConfirmPassword":"pw-123456"}`))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	id := res.Header.Get("X-Request-Id")
	redisLog{log}.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts", 5)
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}

	var reqLines []map[string]any
	started := false
	for _, line := range strings.Split(strings.TrimSpace(sink.String()), "\n") {
		m, err := uniqueKeys(line)
		if err != nil {
			t.Errorf("%v: %s", err, line)
			continue
		}
		if strings.Contains(line, email) {
			t.Errorf("a log line holds the email: %s", line)
		}
		if _, ok := m["stacktrace"]; ok {
			t.Errorf("a %v line carries a stack trace: %s", m["level"], line)
		}
		if m["msg"] == "go-redis" && m["detail"] == nil {
			t.Errorf("go-redis line lost its text: %s", line)
		}
		if m["msg"] == "legacygate starting" && m["version"] != nil && m["commit"] != nil {
			started = true
		}
		if strings.Contains(line, id) {
			reqLines = append(reqLines, m)
		}
	}
	if !started {
		t.Error("no start line with the version")
	}
	if len(reqLines) != 1 {
		t.Fatalf("want one line for request %s, got %d: %v", id, len(reqLines), reqLines)
	}
	if l := reqLines[0]; l["user_id"] != 1.0 || l["user_event"] != "registered" || l["user_uuid"] == nil || l["status"] != 200.0 {
		t.Errorf("request line %v", l)
	}

	// The console format prints a warning on one line, without a trace.
	var console lockedBuffer
	clog, err := buildLogger(LogConfig{Level: "info", Format: "console"}, &console)
	if err != nil {
		t.Fatal(err)
	}
	clog.Warn("careful", zap.String("k", "v"))
	clog.Error("broken")
	if n := strings.Count(console.String(), "\n"); n != 2 {
		t.Errorf("want two lines, got %d:\n%s", n, console.String())
	}
	for _, bad := range []LogConfig{{Level: "loud", Format: "json"}, {Level: "info", Format: "xml"}} {
		if _, err := buildLogger(bad, zapcore.AddSync(io.Discard)); err == nil || !strings.Contains(err.Error(), "log.") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	_ = time.Second
}
