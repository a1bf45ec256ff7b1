package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend/redisstore/redistest"
)

// envGateway makes the test binary run as a gateway process (TestMain).
const envGateway = "LEGACYGATE_TEST_GATEWAY"

// faultTTL is the reservation TTL the fault tests configure: short, so
// that the test can wait for every reservation of a killed gateway to end.
const faultTTL = 3 * time.Second

// faultGateway is a legacygate process: this test binary re-executed with
// envGateway, serving the real command's `serve`.
type faultGateway struct {
	t    *testing.T
	cfg  string
	addr string
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// startFaultGateway writes a config for url and prefix (the cheapest argon2id
// parameters, a hash queue deep enough for the tests' bursts, no per-client
// throttle) and starts a
// gateway on a free loopback port.
func startFaultGateway(t *testing.T, url, prefix string) *faultGateway {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	body := fmt.Sprintf("listen: %q\nredis:\n  url: %q\n  prefix: %q\n  reservation_ttl: %s\n"+
		"password:\n  memory_kib: 8\n  iterations: 1\n  queue: 4096\nlog:\n  level: warn\n"+
		// Every request of the tests comes from one loopback address.
		"throttle:\n  register: 0\n  sign_in: 0\n", addr, url, prefix, faultTTL)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	g := &faultGateway{t: t, cfg: cfg, addr: addr}
	g.start()
	t.Cleanup(g.stop)
	return g
}

func (g *faultGateway) start() {
	g.t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--config", g.cfg)
	cmd.Env = append(os.Environ(), envGateway+"=1")
	g.out = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = g.out, g.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		g.t.Fatal(err)
	}
	g.cmd, g.done = cmd, make(chan struct{})
	go func(done chan struct{}) { _ = cmd.Wait(); close(done) }(g.done)
	for i := 0; ; i++ {
		res, err := http.Get("http://" + g.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			return
		}
		select {
		case <-g.done:
			g.t.Fatalf("gateway exited: %s", g.out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if i > 600 {
			g.t.Fatalf("gateway did not come up: %s", g.out.String())
		}
	}
}

// kill ends the gateway with SIGKILL: no drain, no cleanup.
func (g *faultGateway) kill() {
	_ = g.cmd.Process.Kill()
	<-g.done
}

func (g *faultGateway) stop() {
	select {
	case <-g.done:
		return
	default:
	}
	_ = g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-g.done:
	case <-time.After(10 * time.Second):
		g.kill()
	}
}

var faultClient = &http.Client{
	Timeout:   20 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256},
}

// registerAt posts a Web API registration and returns the status and, for
// a 200, the user's id. Transport errors (a killed gateway) return 0.
func registerAt(addr, username, email string) (int, int64) {
	body, _ := json.Marshal(map[string]any{"Username": username, "Email": email,
		"Password": "pw12345", "ConfirmPassword": "pw12345", "Name": "F", "Surname": "T", "PartnerID": 1})
	res, err := faultClient.Post("http://"+addr+"/Account/Register", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, 0
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode == http.StatusServiceUnavailable &&
		(res.Header.Get("Retry-After") == "" || !strings.HasPrefix(string(data), `{"Message":"`)) {
		return badShape, 0 // a 503 not in the Web API host's shape
	}
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, 0
	}
	var u struct{ ID int64 }
	if json.Unmarshal(data, &u) != nil {
		return -1, 0
	}
	return 200, u.ID
}

// badShape stands for a 503 without Retry-After or the host's JSON error.
const badShape = -2

// scrape returns the lines of a gateway's /metrics that start with one of
// names.
func (g *faultGateway) scrape(t *testing.T, names ...string) []string {
	t.Helper()
	res, err := http.Get("http://" + g.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		for _, n := range names {
			if strings.HasPrefix(l, n) {
				out = append(out, l)
			}
		}
	}
	return out
}

// faultServer returns the topology the test binary started, skipping when
// it was not started through redistest (an external server).
func faultServer(t *testing.T) *redistest.Server {
	srv := redistest.Active()
	if srv == nil {
		t.Skip("fault tests need a topology started by redistest (redis-server on PATH, " + redistest.EnvURL + " unset)")
	}
	return srv
}

// TestFaultOneNameRace: N concurrent registrations of one username (each
// with its own email) spread over two gateway processes: exactly one 200,
// every other answer the host's 400 conflict, one user in the store.
func TestFaultOneNameRace(t *testing.T) {
	srv := faultServer(t)
	_, prefix := redistest.Client(t)
	gws := []*faultGateway{startFaultGateway(t, srv.URL, prefix), startFaultGateway(t, srv.URL, prefix)}
	const n = 1000
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = registerAt(gws[i%2].addr, "racer", fmt.Sprintf("racer%d@example.com", i))
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	rep := check(t, srv, prefix, nil)
	t.Logf("one-name race on %s: sent %d over 2 gateways, status counts %v, users found %d, duplicates %d, orphans %d",
		srv.Kind, n, count, rep.users, rep.duplicates, rep.orphans)
	if count[200] != 1 || count[400] != n-1 {
		t.Fatalf("status counts %v, want one 200 and %d 400", count, n-1)
	}
	if rep.users != 1 {
		t.Fatalf("%d users stored, want 1", rep.users)
	}
}

// load registers unique users through gws from workers goroutines until
// stop is closed, recording every acknowledged (username → id) and the
// status counts.
type load struct {
	mu     sync.Mutex
	acked  map[string]int64
	codes  map[int]int
	sent   atomic.Int64
	okAt   [][2]time.Time // when each request answered 200 was sent and answered
	failAt []time.Time    // when each non-200 arrived
	done   chan struct{}
}

func runLoad(gws func(i int) string, workers int, stop <-chan struct{}) *load {
	l := &load{acked: map[string]int64{}, codes: map[int]int{}, done: make(chan struct{})}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("w%d-%d", w, i)
				l.sent.Add(1)
				sent := time.Now()
				code, id := registerAt(gws(w+i), name, name+"@example.com")
				l.mu.Lock()
				l.codes[code]++
				if code == 200 {
					l.acked[name] = id
					l.okAt = append(l.okAt, [2]time.Time{sent, time.Now()})
				} else {
					l.failAt = append(l.failAt, time.Now())
					if code == 0 {
						time.Sleep(10 * time.Millisecond) // a gateway is gone: do not spin
					}
				}
				l.mu.Unlock()
			}
		}()
	}
	go func() { wg.Wait(); close(l.done) }()
	return l
}

func (l *load) wait() { <-l.done }

func (l *load) oks() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

// waitOKs waits until the load has n more acknowledged registrations.
func (l *load) waitOKs(t *testing.T, n int, limit time.Duration) {
	t.Helper()
	start, deadline := l.oks(), time.Now().Add(limit)
	for l.oks() < start+n {
		if time.Now().After(deadline) {
			t.Fatalf("load stalled: %d acknowledged in %v", l.oks()-start, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// gap returns how long registrations were refused: from since to the
// first 200 of a request sent after the first failure (requests committed
// before the fault may still answer 200 after it), and how many failed.
func (l *load) gap(since time.Time) (time.Duration, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var first time.Time
	failed := 0
	for _, f := range l.failAt {
		if f.After(since) {
			failed++
			if first.IsZero() || f.Before(first) {
				first = f
			}
		}
	}
	if first.IsZero() {
		return 0, 0
	}
	var resumed time.Time
	for _, o := range l.okAt {
		if o[0].After(first) && (resumed.IsZero() || o[1].Before(resumed)) {
			resumed = o[1]
		}
	}
	if resumed.IsZero() {
		return -1, failed
	}
	return resumed.Sub(since), failed
}

// startLoad starts two gateways on a fresh prefix of the test topology and
// a load of unique registrations over both (16 workers), and returns once
// 200 are acknowledged; closing stop ends the load.
func startLoad(t *testing.T) (*redistest.Server, string, []*faultGateway, *load, chan struct{}) {
	t.Helper()
	srv := faultServer(t)
	_, prefix := redistest.Client(t)
	gws := []*faultGateway{startFaultGateway(t, srv.URL, prefix), startFaultGateway(t, srv.URL, prefix)}
	stop := make(chan struct{})
	l := runLoad(func(i int) string { return gws[i%2].addr }, 16, stop)
	l.waitOKs(t, 200, 60*time.Second)
	return srv, prefix, gws, l, stop
}

// TestFaultMasterKilled kills the master that serves the realm's commits
// in the middle of a load over two gateways (on a single node: stops and
// restarts the server). Registrations must resume by themselves once the
// topology has a master again; requests in the gap get 503, never 500; no
// acknowledged user is lost or duplicated.
func TestFaultMasterKilled(t *testing.T) {
	srv, prefix, gws, l, stop := startLoad(t)

	ctx := context.Background()
	master, err := srv.MasterOf(ctx, prefix+"{hub}:seq")
	if err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	if srv.Kind == redistest.Single {
		master.Stop() // SIGTERM: a standalone server persists on the way down
		// Down for longer than go-redis's own retries can hide.
		time.Sleep(2 * time.Second)
		if err := master.Start(); err != nil {
			t.Fatal(err)
		}
	} else {
		master.Kill()
	}
	l.waitOKs(t, 200, 60*time.Second)
	close(stop)
	l.wait()
	resume, failed := l.gap(killed)

	// Bring the killed node back (it rejoins as a replica) for the next
	// test, once the topology has failed over (see WaitFailover).
	if !master.Running() {
		if err := srv.WaitFailover(ctx, prefix+"{hub}:seq", master, 60*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := master.Start(); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.WaitHealthy(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	rep := check(t, srv, prefix, l.acked)
	t.Logf("master killed on %s: sent %d, acknowledged %d, status counts %v, failed in the gap %d, "+
		"seconds to resume %.2f, users found %d, acknowledged missing %d, duplicates %d, orphans %d",
		srv.Kind, l.sent.Load(), len(l.acked), l.codes, failed, resume.Seconds(), rep.users, rep.missing, rep.duplicates, rep.orphans)
	for code, n := range l.codes {
		if code != 200 && code != 503 {
			t.Errorf("%d answers with status %d; want only 200 and 503 in the host's shape", n, code)
		}
	}
	rep.fail(t)
	// The gap shows in the metrics: shed requests and Redis errors by kind.
	var lines []string
	for _, g := range gws {
		lines = append(lines, g.scrape(t, "legacygate_shed_requests_total", "legacygate_backend_errors_total", "legacygate_registrations_swept_total")...)
	}
	t.Logf("metrics of both gateways after the failover:\n%s", strings.Join(lines, "\n"))
	if l.codes[503] > 0 && !slices.ContainsFunc(lines, func(s string) bool { return strings.HasPrefix(s, "legacygate_shed_requests_total") }) {
		t.Errorf("%d requests answered 503 but no gateway counted a shed request", l.codes[503])
	}
}

// TestFaultGatewayKilled SIGKILLs one of two gateways in the middle of a
// load and restarts it: every 200 maps to exactly one complete user, no
// index key points at nothing, and no reservation outlives its TTL.
func TestFaultGatewayKilled(t *testing.T) {
	srv, prefix, gws, l, stop := startLoad(t)
	gws[0].kill()
	l.waitOKs(t, 100, 60*time.Second)
	gws[0].start()
	l.waitOKs(t, 200, 60*time.Second)
	close(stop)
	l.wait()
	// Reservations of requests the kill cut short end with their TTL; a
	// registration cut between commit and finish is finished by a sweeper.
	time.Sleep(faultTTL + redisstoreSweep)
	rep := check(t, srv, prefix, l.acked)
	t.Logf("gateway SIGKILLed on %s: sent %d, acknowledged %d, status counts %v, users found %d, "+
		"acknowledged missing %d, duplicates %d, orphans %d, reservations left %d",
		srv.Kind, l.sent.Load(), len(l.acked), l.codes, rep.users, rep.missing, rep.duplicates, rep.orphans, rep.reservations)
	for code, n := range l.codes {
		if code != 200 && code != 0 {
			t.Errorf("%d answers with status %d; want only 200 and transport errors from the killed gateway", n, code)
		}
	}
	rep.fail(t)
	if rep.reservations != 0 {
		t.Errorf("%d reservations outlived their TTL", rep.reservations)
	}
}

// redisstoreSweep is two sweeper periods: enough for one sweep to find a
// registration older than its grace.
const redisstoreSweep = 5 * time.Second

// report is what check found under a prefix.
type report struct {
	users        int      // user hashes
	duplicates   int      // users beyond the first per username or email
	orphans      int      // index keys naming no user, or users their index keys do not name
	missing      int      // acknowledged registrations not found with their id
	reservations int      // index keys still reserved
	problems     []string // the first few, for the failure message
}

func (r *report) add(format string, a ...any) {
	if len(r.problems) < 10 {
		r.problems = append(r.problems, fmt.Sprintf(format, a...))
	}
}

func (r *report) fail(t *testing.T) {
	t.Helper()
	if r.duplicates != 0 || r.orphans != 0 || r.missing != 0 {
		t.Fatalf("duplicates %d, orphans %d, acknowledged missing %d: %s",
			r.duplicates, r.orphans, r.missing, strings.Join(r.problems, "; "))
	}
}

// check reads every key under prefix on every master and verifies the
// store's invariants for the realm "hub"; acked maps acknowledged
// usernames to the id their 200 carried.
func check(t *testing.T, srv *redistest.Server, prefix string, acked map[string]int64) *report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := srv.Client()
	defer c.Close()
	keys, err := redistest.Keys(ctx, c, prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]string{} // index key → value
	users := map[string]map[string]string{}
	for _, k := range keys {
		rest := strings.TrimPrefix(k, prefix)
		switch {
		case strings.HasPrefix(rest, "name:{hub:"), strings.HasPrefix(rest, "email:{hub:"):
			v, err := c.Get(ctx, k).Result()
			if err != nil && err != redis.Nil {
				t.Fatal(err)
			}
			index[k] = v
		case strings.HasPrefix(rest, "{hub}:user:"):
			m, err := c.HGetAll(ctx, k).Result()
			if err != nil {
				t.Fatal(err)
			}
			users[strings.TrimPrefix(rest, "{hub}:user:")] = m
		}
	}
	r := &report{users: len(users)}
	byName, byEmail := map[string]string{}, map[string]string{}
	for id, m := range users {
		if m["id"] == "" || m["username"] == "" || m["password"] == "" {
			r.orphans++
			r.add("user %s incomplete", id)
			continue
		}
		for _, f := range []struct {
			kind, value string
			seen        map[string]string
		}{{"name", m["username"], byName}, {"email", m["email"], byEmail}} {
			if f.value == "" {
				continue
			}
			norm := strings.ToUpper(f.value)
			if other, dup := f.seen[norm]; dup {
				r.duplicates++
				r.add("%s %s held by %s and %s", f.kind, norm, other, id)
			}
			f.seen[norm] = id
			key := prefix + f.kind + ":{hub:" + norm + "}"
			if v := index[key]; v != id && v != "~"+id {
				r.orphans++
				r.add("user %s: %s key holds %q", id, f.kind, v)
			}
		}
	}
	for k, v := range index {
		if strings.HasPrefix(v, "~") {
			r.reservations++
			if ttl := c.PTTL(ctx, k).Val(); ttl > faultTTL || ttl < 0 {
				r.orphans++
				r.add("reservation %s has TTL %v", k, ttl)
			}
			continue
		}
		if _, ok := users[v]; !ok {
			r.orphans++
			r.add("%s names missing user %s", k, v)
		}
	}
	for name, id := range acked {
		uid := byName[strings.ToUpper(name)]
		if uid == "" || users[uid]["id"] != strconv.FormatInt(id, 10) {
			r.missing++
			r.add("acknowledged %s (id %d) not found", name, id)
		}
	}
	return r
}
