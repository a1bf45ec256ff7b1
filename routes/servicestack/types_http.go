package servicestack

import (
	"encoding/json"
	"net/http"
	"time"

	"legacygate/routes/contract"
)

// NativeTypes serves a ServiceStack host's /types/{metadata|csharp|
// typescript} under its mount prefix.
type NativeTypes struct {
	Host   *contract.Host
	Prefix string
	// Now dates the generated files; time.Now when nil.
	Now func() time.Time
}

// ServeHTTP serves one language; lang is "metadata", "csharp" or
// "typescript".
func (n *NativeTypes) ServeHTTP(w http.ResponseWriter, r *http.Request, lang string) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	q := r.URL.Query()
	o := ParseRefOptions(q.Get, scheme+"://"+r.Host+n.Prefix)
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	date := now().UTC().Format("2006-01-02 15:04:05")
	w.Header().Set("Vary", "Accept")
	switch lang {
	case "metadata":
		b, err := json.Marshal(BuildMetadataTypes(n.Host, o))
		if err != nil {
			http.Error(w, "An error has occurred.", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(b)
	case "csharp":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(CSharp(n.Host, o, date)))
	case "typescript":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(TypeScript(n.Host, o, date)))
	default:
		http.NotFound(w, r)
	}
}
