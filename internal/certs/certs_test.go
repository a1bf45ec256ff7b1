package certs

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"legacygate/internal/certs/certstest"
)

func writePair(t testing.TB, dir string, serial int64) (string, string) {
	return certstest.Write(t, dir, serial)
}

func serial(t *testing.T, r *Reloader) int64 {
	t.Helper()
	c, err := r.GetCertificate(&tls.ClientHelloInfo{})
	if err != nil {
		t.Fatal(err)
	}
	x, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	return x.SerialNumber.Int64()
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	cf, kf := writePair(t, dir, 1)
	r, err := New(cf, kf)
	if err != nil {
		t.Fatal(err)
	}
	var reports []error
	r.OnReload = func(err error) { reports = append(reports, err) }
	if s := serial(t, r); s != 1 {
		t.Fatalf("serial %d", s)
	}

	// A renewed pair: not seen until a check is due, then served.
	writePair(t, dir, 2)
	r.CheckEvery = time.Hour
	if s := serial(t, r); s != 1 {
		t.Errorf("checked the files before CheckEvery: serial %d", s)
	}
	r.CheckEvery = 0
	if s := serial(t, r); s != 2 {
		t.Errorf("file change not picked up: serial %d", s)
	}

	// A broken pair keeps the old certificate and is reported once.
	if err := os.WriteFile(kf, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if s := serial(t, r); s != 2 {
			t.Errorf("broken pair replaced the certificate: serial %d", s)
		}
	}
	if len(reports) != 2 || reports[0] != nil || reports[1] == nil || !strings.Contains(reports[1].Error(), kf) {
		t.Errorf("reports %v", reports)
	}

	// Reload (SIGHUP) reads the files whatever their times say.
	r.CheckEvery = time.Hour
	writePair(t, dir, 3)
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if s := serial(t, r); s != 3 {
		t.Errorf("Reload: serial %d", s)
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := New(filepath.Join(dir, "none.pem"), filepath.Join(dir, "none.key")); err == nil || !strings.Contains(err.Error(), "cert_file") {
		t.Errorf("missing files: %v", err)
	}
}

func BenchmarkGetCertificate(b *testing.B) {
	dir := b.TempDir()
	cf, kf := writePair(b, dir, 1)
	r, err := New(cf, kf)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _ = r.GetCertificate(nil)
	}
}
