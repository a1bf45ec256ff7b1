// Package certs serves a TLS certificate from a PEM certificate file and
// key file and reloads them when they change: on Reload (the gateway calls
// it on SIGHUP) and, at most every CheckEvery, when a handshake finds the
// files' size or modification time changed (a renewed certificate written
// by cert-manager or certbot). A pair that fails to load is reported and
// the previous certificate keeps serving.
package certs

import (
	"crypto/tls"
	"fmt"
	"os"
	"sync"
	"time"
)

// DefaultCheckEvery is how often handshakes look at the files.
const DefaultCheckEvery = 5 * time.Second

// Reloader holds the current certificate of one listener.
type Reloader struct {
	CertFile, KeyFile string
	// CheckEvery bounds how often a handshake stats the files; 0 checks on
	// every handshake.
	CheckEvery time.Duration
	// OnReload, when set, hears of every reload attempt after the first
	// load (err nil: the new pair is serving).
	OnReload func(err error)

	mu        sync.Mutex
	cert      *tls.Certificate
	stamp     [2]fileStamp
	lastCheck time.Time
}

type fileStamp struct {
	size int64
	mod  time.Time
}

// New loads the pair once; an error names the files.
func New(certFile, keyFile string) (*Reloader, error) {
	r := &Reloader{CertFile: certFile, KeyFile: keyFile, CheckEvery: DefaultCheckEvery}
	if err := r.load(); err != nil {
		return nil, err
	}
	return r, nil
}

func stat(name string) (fileStamp, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{fi.Size(), fi.ModTime()}, nil
}

// load reads the pair; r.mu is held or r is not shared yet.
func (r *Reloader) load() error {
	s0, err0 := stat(r.CertFile)
	s1, err1 := stat(r.KeyFile)
	c, err := tls.LoadX509KeyPair(r.CertFile, r.KeyFile)
	if err != nil {
		return fmt.Errorf("tls: cert_file %s, key_file %s: %w", r.CertFile, r.KeyFile, err)
	}
	r.cert = &c
	if err0 == nil && err1 == nil {
		r.stamp = [2]fileStamp{s0, s1}
	}
	r.lastCheck = time.Now()
	return nil
}

// Reload reads the files again now.
func (r *Reloader) Reload() error {
	r.mu.Lock()
	err := r.load()
	r.mu.Unlock()
	if r.OnReload != nil {
		r.OnReload(err)
	}
	return err
}

// GetCertificate is tls.Config.GetCertificate.
func (r *Reloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	var reloadErr error
	reloaded := false
	if time.Since(r.lastCheck) >= r.CheckEvery {
		r.lastCheck = time.Now()
		s0, err0 := stat(r.CertFile)
		s1, err1 := stat(r.KeyFile)
		if err0 == nil && err1 == nil && [2]fileStamp{s0, s1} != r.stamp {
			reloaded = true
			if reloadErr = r.load(); reloadErr != nil {
				// Do not retry a half-written pair on every handshake
				// until it changes again.
				r.stamp = [2]fileStamp{s0, s1}
			}
		}
	}
	c := r.cert
	r.mu.Unlock()
	if reloaded && r.OnReload != nil {
		r.OnReload(reloadErr)
	}
	return c, nil
}

// Certificate is the certificate now serving.
func (r *Reloader) Certificate() *tls.Certificate {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cert
}
