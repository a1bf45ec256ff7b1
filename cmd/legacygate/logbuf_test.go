package main

import (
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

// BenchmarkLogLine is one access-log-shaped line through the gateway's
// JSON logger into a pipe (stderr under a supervisor is a pipe), drained
// by a reader: unbuffered, one write(2) per line, and with log.buffer_kib.
func BenchmarkLogLine(b *testing.B) {
	for _, kib := range []int{0, 64, 256} {
		b.Run("buffer_kib="+strconv.Itoa(kib), func(b *testing.B) {
			r, w, err := os.Pipe()
			if err != nil {
				b.Fatal(err)
			}
			drained := make(chan struct{})
			go func() { _, _ = io.Copy(io.Discard, r); close(drained) }()
			ws, stop := logSink(LogConfig{BufferKiB: kib, FlushInterval: time.Second}, w)
			log, err := buildLogger(LogConfig{Level: "info", Format: "json"}, ws)
			if err != nil {
				b.Fatal(err)
			}
			log = log.WithOptions(zap.WithCaller(false))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					log.Info("request",
						zap.String("request_id", "2d9062f59a678257"), zap.String("host", "hub"), zap.String("op", "Register"),
						zap.String("method", "POST"), zap.String("path", "/Account/Register"), zap.Int("status", 200),
						zap.String("format", "json"), zap.String("negotiation", `accept "application/json" (q=1) matched application/json by literal`),
						zap.Duration("latency", 1234*time.Microsecond), zap.Int64("bytes_out", 411), zap.String("remote", "127.0.0.1"),
						zap.Int64("user_id", 1), zap.String("user_uuid", "5f0c1f4e-7c55-4d6e-9f55-3c1c1a1e2b3c"), zap.String("realm", "hub"))
				}
			})
			b.StopTimer()
			_ = stop() // flushes; fsync of a pipe fails with EINVAL
			w.Close()
			<-drained
			r.Close()
		})
	}
}

// TestLogBuffer: with log.buffer_kib lines wait in memory and stop writes
// them; without, each line is written at once.
func TestLogBuffer(t *testing.T) {
	tests := []struct {
		kib        int
		wantAtOnce bool
	}{
		{kib: 0, wantAtOnce: true},
		{kib: 64, wantAtOnce: false},
	}
	for _, tt := range tests {
		t.Run("buffer_kib="+strconv.Itoa(tt.kib), func(t *testing.T) {
			f, err := os.CreateTemp(t.TempDir(), "log")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ws, stop := logSink(LogConfig{BufferKiB: tt.kib, FlushInterval: time.Hour}, f)
			log, err := buildLogger(LogConfig{Level: "info", Format: "json"}, ws)
			if err != nil {
				t.Fatal(err)
			}
			log.Info("request", zap.String("path", "/Account/Register"))
			read := func() string {
				b, err := os.ReadFile(f.Name())
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			if got := strings.Contains(read(), "/Account/Register"); got != tt.wantAtOnce {
				t.Errorf("line written at once: %v, want %v", got, tt.wantAtOnce)
			}
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(read(), "/Account/Register") {
				t.Error("line lost at stop")
			}
		})
	}
}
