package main

import (
	"strings"
	"testing"
	"time"

	"legacygate/bench/load"
)

func TestWorkloads(t *testing.T) {
	seen := map[string]bool{}
	for _, w := range workloads {
		if seen[w.Format] || w.Path == "" || w.ContentType == "" || strings.Count(w.Body, "{{n}}") < 2 {
			t.Errorf("workload %+v: want a unique format, a path, a content type and a unique user name and email", w)
		}
		seen[w.Format] = true
	}
}

// The ratio columns compare a gateway row with the floor rows of the same
// profile and connection count, never another's.
func TestReportRatios(t *testing.T) {
	r := func(profile, target string, conns int, rps, p99 float64) row {
		return row{profile: profile, target: target, format: "json", conns: conns,
			res: load.Result{RPS: rps, P99ms: p99, Requests: 10, Statuses: map[string]int{"200": 10}}}
	}
	var b strings.Builder
	prod := r("production", "gateway", 16, 72, 300)
	prod.limit = hashLimit{workers: 2, perHash: 25 * time.Millisecond, rps: 80}
	report(&b, []row{
		r("cheap", "floor", 16, 1000, 10),
		r("cheap", "bare floor", 16, 2000, 5),
		r("cheap", "floor", 64, 5000, 1),
		r("cheap", "gateway", 16, 900, 12),
		prod,
	})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if !strings.HasPrefix(lines[0], "Hash-bound limit (production c=16, median of the measurements between its runs): 2 workers ÷ 25.0 ms per hash = 80.0 registrations/s") {
		t.Errorf("first line %q: want the hash-bound limit", lines[0])
	}
	gw := lines[len(lines)-2]
	if !strings.HasSuffix(gw, "| 0.90 | 1.20 | 0.45 |  |") {
		t.Fatalf("gateway row %q: want ratios 0.90 (req/s), 1.20 (p99), 0.45 (bare)", gw)
	}
	if prod := lines[len(lines)-1]; !strings.HasSuffix(prod, "|  |  |  | 0.90 |") {
		t.Fatalf("production row %q: want 0.90 of the hash limit", prod)
	}
}

// median keeps one real run: the one with the median requests/s, with its
// own latencies.
func TestMedian(t *testing.T) {
	r := func(rps, p99 float64) row { return row{res: load.Result{RPS: rps, P99ms: p99}} }
	got := median([]row{r(300, 3), r(100, 1), r(200, 2)})
	if got.res.RPS != 200 || got.res.P99ms != 2 {
		t.Fatalf("median = %+v, want the 200 req/s run", got.res)
	}
}
