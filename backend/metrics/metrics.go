// Package metrics defines legacygate's Prometheus metrics on a registry the
// caller passes in (never the global default, so tests and several
// gateways in one process stay apart). It knows nothing about HTTP routing,
// Redis or SMTP: the packages that see the events call the small methods
// below, and cmd/legacygate wires them and serves the registry at
// /metrics.
//
// Every method is safe on a nil *Metrics, which records nothing: code that
// was not given metrics needs no checks.
//
// # Hook points for other features
//
// Some metrics are defined before the code that will feed them exists, so
// that dashboards and alerts can be written once:
//
//   - [Metrics.Lockout]: a sign-in refused because the account is locked
//     after failed sign-ins (legacygate_lockouts_total{host,reason}); the
//     HTTP middleware of package routes calls it for every such answer.
//   - [Metrics.Shadow]: one shadow-mode outcome for a request also sent to
//     the legacy host (legacygate_shadow_comparisons_total{host,operation,
//     result}, result "match", "difference", "error" or "dropped");
//     cmd/legacygate passes it to package shadow as its Counter.
package metrics

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds legacygate's collectors.
type Metrics struct {
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	backendErrors *prometheus.CounterVec
	shed          *prometheus.CounterVec
	hashWait      prometheus.Histogram
	mail          *prometheus.CounterVec
	lockouts      *prometheus.CounterVec
	shadow        *prometheus.CounterVec
	sweeps        prometheus.Counter
}

// New registers legacygate's metrics (and the Go runtime and process
// collectors) on reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "legacygate_requests_total",
			Help: "HTTP requests answered, by legacy host, operation, negotiated format and status code.",
		}, []string{"host", "operation", "format", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "legacygate_request_duration_seconds",
			Help:    "Time from the request's arrival to its answer, by legacy host and operation.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"host", "operation"}),
		backendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "legacygate_backend_errors_total",
			Help: "Redis failures that made the store unavailable, by kind (oom, readonly, loading, clusterdown, moved, network, timeout, …).",
		}, []string{"kind"}),
		shed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "legacygate_shed_requests_total",
			Help: "Requests refused with Retry-After, by legacy host and reason (overloaded: 503, the hash queue was full; unavailable: 503, the store could not serve; throttled: 429, the client's rate limit).",
		}, []string{"host", "reason"}),
		hashWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "legacygate_hash_queue_wait_seconds",
			Help:    "Time a password hash or verification waited in the queue before a worker took it.",
			Buckets: []float64{.0001, .0005, .001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		mail: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "legacygate_mail_sends_total",
			Help: "Outbox deliveries by realm and result (sent, retry, dead, duplicate: already sent before).",
		}, []string{"realm", "result"}),
		lockouts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "legacygate_lockouts_total",
			Help: "Sign-ins refused because the account is locked after repeated failures, by legacy host and reason.",
		}, []string{"host", "reason"}),
		shadow: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "legacygate_shadow_comparisons_total",
			Help: "Shadow-mode outcomes of requests also sent to the legacy host, by host, operation and result (match, difference, error, dropped).",
		}, []string{"host", "operation", "result"}),
		sweeps: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "legacygate_registrations_swept_total",
			Help: "Cluster registrations whose index keys a sweeper finished after their gateway stopped between commit and finish.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.backendErrors, m.shed, m.hashWait, m.mail, m.lockouts, m.shadow, m.sweeps,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Request records one answered request.
func (m *Metrics) Request(host, operation, format string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(host, operation, format, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(host, operation).Observe(d.Seconds())
}

// Shed records a request refused for reason ("overloaded", "unavailable"
// or "throttled").
func (m *Metrics) Shed(host, reason string) {
	if m == nil {
		return
	}
	m.shed.WithLabelValues(host, reason).Inc()
}

// BackendError records a Redis failure of kind (see redisstore.ErrorKind).
func (m *Metrics) BackendError(kind string) {
	if m == nil {
		return
	}
	m.backendErrors.WithLabelValues(kind).Inc()
}

// HashWait records how long a hashing job waited for a worker.
func (m *Metrics) HashWait(d time.Duration) {
	if m == nil {
		return
	}
	m.hashWait.Observe(d.Seconds())
}

// MailResult records one outbox delivery attempt of realm.
func (m *Metrics) MailResult(realm, result string) {
	if m == nil {
		return
	}
	m.mail.WithLabelValues(realm, result).Inc()
}

// Lockout records a sign-in refused because the account is locked.
func (m *Metrics) Lockout(host, reason string) {
	if m == nil {
		return
	}
	m.lockouts.WithLabelValues(host, reason).Inc()
}

// Shadow records one shadow-mode outcome ("match", "difference", "error"
// or "dropped").
func (m *Metrics) Shadow(host, operation, result string) {
	if m == nil {
		return
	}
	m.shadow.WithLabelValues(host, operation, result).Inc()
}

// Swept records registrations a sweeper finished.
func (m *Metrics) Swept(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.sweeps.Add(float64(n))
}

// BuildInfo registers legacygate_build_info, always 1, labelled with the
// build's identity (version, commit, …).
func BuildInfo(reg prometheus.Registerer, labels map[string]string) {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "legacygate_build_info",
		Help: "Always 1; the labels name the running build.", ConstLabels: labels})
	g.Set(1)
	reg.MustRegister(g)
}

// Gauges registers the gauges read when Prometheus scrapes: the hash
// queue's depth (queueLen) and each realm's outbox depth (outbox: entries
// not yet delivered per realm, read with a short deadline). Either func may
// be nil.
func Gauges(reg prometheus.Registerer, queueLen func() int, outbox func(ctx context.Context) map[string]int64) {
	if queueLen != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "legacygate_hash_queue_depth",
			Help: "Password hashing jobs waiting for a worker.",
		}, func() float64 { return float64(queueLen()) }))
	}
	if outbox != nil {
		reg.MustRegister(&outboxCollector{read: outbox, desc: prometheus.NewDesc("legacygate_outbox_depth",
			"Outbox entries not yet delivered (pending plus not yet read by the mailer group), by realm.",
			[]string{"realm"}, nil)})
	}
}

type outboxCollector struct {
	read func(ctx context.Context) map[string]int64
	desc *prometheus.Desc
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for realm, n := range c.read(ctx) {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), realm)
	}
}
