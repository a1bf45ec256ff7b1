package metrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"legacygate/backend/metrics"
)

// A nil *Metrics records nothing and never panics: code given no metrics
// needs no checks.
func TestNilIsANoOp(t *testing.T) {
	var m *metrics.Metrics
	m.Request("hub", "Register", "json", 200, time.Millisecond)
	m.Shed("hub", "overloaded")
	m.BackendError("oom")
	m.HashWait(time.Millisecond)
	m.MailResult("rpost", "sent")
	m.Lockout("hub", "failures")
	m.Shadow("hub", "Register", "match")
	m.Swept(1)
}

// Each registry is its own: two gateways (or tests) in one process do not
// collide, and the global default registry is untouched.
func TestRegistriesAreIsolated(t *testing.T) {
	a, b := prometheus.NewRegistry(), prometheus.NewRegistry()
	ma, mb := metrics.New(a), metrics.New(b)
	ma.Lockout("hub", "failures")
	ma.Lockout("hub", "failures")
	mb.Lockout("hub", "failures")
	tests := []struct {
		reg  *prometheus.Registry
		want string
	}{
		{a, "legacygate_lockouts_total{host=\"hub\",reason=\"failures\"} 2\n"},
		{b, "legacygate_lockouts_total{host=\"hub\",reason=\"failures\"} 1\n"},
	}
	for _, tt := range tests {
		want := "# HELP legacygate_lockouts_total Sign-ins refused because the account is locked after repeated failures, by legacy host and reason.\n" +
			"# TYPE legacygate_lockouts_total counter\n" + tt.want
		if err := testutil.GatherAndCompare(tt.reg, strings.NewReader(want), "legacygate_lockouts_total"); err != nil {
			t.Error(err)
		}
	}
	if n, err := testutil.GatherAndCount(prometheus.DefaultGatherer, "legacygate_lockouts_total"); err != nil || n != 0 {
		t.Fatalf("default registry holds %d lockout series (%v), want 0", n, err)
	}
}

// The hook points other features will call produce the documented series.
func TestHooks(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := metrics.New(reg)
	metrics.Gauges(reg, func() int { return 3 }, func(context.Context) map[string]int64 { return map[string]int64{"rpost": 5} })
	m.Shadow("fls", "Register", "match")
	m.Shadow("fls", "Register", "difference")
	m.Shadow("fls", "Register", "difference")
	m.Shed("hub", "unavailable")
	m.BackendError("clusterdown")
	m.MailResult("rpost", "dead")
	m.Swept(2)
	want := `# HELP legacygate_shadow_comparisons_total Shadow-mode outcomes of requests also sent to the legacy host, by host, operation and result (match, difference, error, dropped).
# TYPE legacygate_shadow_comparisons_total counter
legacygate_shadow_comparisons_total{host="fls",operation="Register",result="difference"} 2
legacygate_shadow_comparisons_total{host="fls",operation="Register",result="match"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "legacygate_shadow_comparisons_total"); err != nil {
		t.Error(err)
	}
	for name, want := range map[string]int{
		"legacygate_shed_requests_total":       1,
		"legacygate_backend_errors_total":      1,
		"legacygate_mail_sends_total":          1,
		"legacygate_registrations_swept_total": 1,
		"legacygate_hash_queue_depth":          1,
		"legacygate_outbox_depth":              1,
	} {
		if n, err := testutil.GatherAndCount(reg, name); err != nil || n != want {
			t.Errorf("%s: %d series (%v), want %d", name, n, err, want)
		}
	}
}
