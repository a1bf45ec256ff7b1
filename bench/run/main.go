// Command run is the side-by-side load benchmark: in one run it starts a
// private redis-server, builds and starts the gateway and the floor server
// (bench/floor), drives each with unique registrations (bench/load) at
// several connection counts, and prints one table with requests/s, p50,
// p99, server and Redis CPU per request, and the ratio gateway / floor.
//
//	go run ./bench/run                       # every profile, format and connection count
//	go run ./bench/run -profiles cheap -c 64 -d 5s -formats json
//
// Profiles are argon2id parameters shared by both servers: "cheap"
// (m=8 KiB, t=1, the gateway's own work dominates) and "production"
// (m=19 MiB, t=2, the hash dominates). The floor always gets JSON (it is
// the encoding/json reference); the gateway gets each format on the host
// that reads it. Every target is measured against a flushed Redis.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"legacygate/bench/load"
)

// A profile is one set of argon2id parameters.
type profile struct {
	name       string
	memoryKiB  int
	iterations int
}

var profiles = []profile{
	{"cheap", 8, 1},
	{"production", 19456, 2},
}

// A workload is one body format sent to one endpoint. The workloads are
// data (workloads.json): the hosts' paths and bodies, which the load
// generator fills with a unique {{n}} per request.
type workload struct {
	Format      string `json:"format"`
	Path        string `json:"path"`
	ContentType string `json:"content_type"`
	Accept      string `json:"accept"`
	Body        string `json:"body"`
}

//go:embed workloads.json
var workloadsJSON []byte

// workloads are the gateway's; the first is also the floor's (JSON on the
// floor's only route).
var workloads = func() []workload {
	var w []workload
	if err := json.Unmarshal(workloadsJSON, &w); err != nil || len(w) == 0 || w[0].Format != "json" {
		panic(fmt.Sprintf("bench: workloads.json: %v", err))
	}
	return w
}()

// row is one measured target.
type row struct {
	profile, target, format string
	conns                   int
	res                     load.Result
	serverUS, redisUS       float64   // CPU per answered request
	rssMiB                  float64   // the server's resident memory after the run
	limit                   hashLimit // production: measured between this connection count's runs
}

// hashLimit is the hash-bound limit of a profile: registrations per second
// that the gateway's default hashing pool (one worker per CPU) can hash on
// this machine, measured by hashing on that many goroutines at once.
type hashLimit struct {
	workers int
	perHash time.Duration // wall time of one hash with every worker busy
	rps     float64       // workers ÷ perHash
}

type options struct {
	durations     time.Duration
	warmup        time.Duration
	conns         []int
	profiles      []profile
	formats       []workload
	repeat        int
	redisServer   string
	keep          string
	bareFloor     bool
	gatewayConfig string
}

func main() {
	var o options
	flag.DurationVar(&o.durations, "d", 10*time.Second, "measured duration of each run")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up before each run")
	connList := flag.String("c", "16,64,256", "connection counts")
	profList := flag.String("profiles", "cheap,production", "argon2id profiles: cheap, production")
	fmtList := flag.String("formats", "json,xml,form,jsv", "gateway body formats")
	flag.IntVar(&o.repeat, "repeat", 1, "runs per target; the table shows medians")
	flag.StringVar(&o.redisServer, "redis-server", "redis-server", "redis-server binary")
	flag.BoolVar(&o.bareFloor, "bare", true, "also measure the floor without hashing (cheap profile)")
	flag.StringVar(&o.gatewayConfig, "gateway-config", "", "extra YAML appended to the gateway's generated config")
	flag.StringVar(&o.keep, "workdir", "", "keep binaries and logs here (default: a temporary folder, removed)")
	flag.Parse()
	var err error
	if o.conns, err = ints(*connList); err != nil {
		fatal(err)
	}
	for _, name := range strings.Split(*profList, ",") {
		i := slices.IndexFunc(profiles, func(p profile) bool { return p.name == name })
		if i < 0 {
			fatal(fmt.Errorf("unknown profile %q", name))
		}
		o.profiles = append(o.profiles, profiles[i])
	}
	for _, name := range strings.Split(*fmtList, ",") {
		i := slices.IndexFunc(workloads, func(w workload) bool { return w.Format == name })
		if i < 0 {
			fatal(fmt.Errorf("unknown format %q", name))
		}
		o.formats = append(o.formats, workloads[i])
	}
	rows, err := bench(o)
	if err != nil {
		fatal(err)
	}
	report(os.Stdout, rows)
}

// measureHash hashes with p's parameters on workers goroutines for about d
// and returns the throughput: the most registrations per second the
// gateway's hashing pool can admit, whatever else it does.
func measureHash(p profile, workers int, d time.Duration) hashLimit {
	fmt.Fprintf(os.Stderr, "bench: measuring the hash-bound limit of %s (%d workers)\n", p.name, workers)
	salt := make([]byte, 16)
	var n int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := int64(0)
			for time.Since(start) < d {
				argon2.IDKey([]byte("pass1234"), salt, uint32(p.iterations), uint32(p.memoryKiB), 1, 32)
				k++
			}
			mu.Lock()
			n += k
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if n == 0 {
		return hashLimit{workers: workers}
	}
	rps := float64(n) / el.Seconds()
	return hashLimit{workers: workers, perHash: time.Duration(float64(workers) * float64(time.Second) / rps), rps: rps}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad connection count %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func bench(o options) ([]row, error) {
	dir := o.keep
	if dir == "" {
		d, err := os.MkdirTemp("", "legacygate-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	fmt.Fprintln(os.Stderr, "bench: building the gateway and the floor")
	for _, b := range [][2]string{{"legacygate", "./cmd/legacygate"}, {"floor", "./bench/floor"}} {
		if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, b[0]), b[1]).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build %s: %v\n%s", b[1], err, out)
		}
	}
	redisPort, err := freePort()
	if err != nil {
		return nil, err
	}
	redisProc, err := start(dir, "redis", o.redisServer, "--port", strconv.Itoa(redisPort), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no")
	if err != nil {
		return nil, err
	}
	defer redisProc.stop()
	redisAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(redisPort))
	if err := waitTCP(redisAddr); err != nil {
		return nil, err
	}
	redisURL := "redis://" + redisAddr

	// Every server of a profile runs at once and the runs interleave
	// (each repeat measures every target in turn, at one connection count
	// after another), so a change in the machine's other load during the
	// run reaches the floor and the gateway alike.
	type target struct {
		name string
		srv  *proc
		url  string
		w    workload
	}
	var rows []row
	for _, p := range o.profiles {
		var targets []target
		var procs []*proc
		stopAll := func() {
			for _, pr := range procs {
				pr.stop()
			}
		}
		floors := []bool{true}
		if o.bareFloor && p.name == "cheap" {
			floors = append(floors, false)
		}
		for _, hash := range floors {
			name := "floor"
			if !hash {
				name = "bare floor"
			}
			srv, url, err := startFloor(dir, redisURL, p, hash)
			if err != nil {
				stopAll()
				return nil, err
			}
			procs = append(procs, srv)
			targets = append(targets, target{name, srv, url, workloads[0]})
		}
		gw, base, err := startGateway(dir, redisURL, p, o.gatewayConfig)
		if err != nil {
			stopAll()
			return nil, err
		}
		procs = append(procs, gw)
		for _, w := range o.formats {
			targets = append(targets, target{"gateway", gw, base + w.Path, w})
		}
		byTarget := make([][]row, len(targets))
		for _, c := range o.conns {
			runs := make([][]row, len(targets))
			var limits []hashLimit
			for range o.repeat {
				if p.name == "production" {
					// The hash time moves with the machine's other load:
					// measure the limit between the runs it bounds.
					limits = append(limits, measureHash(p, runtime.NumCPU(), 3*time.Second))
				}
				for i, t := range targets {
					r, err := measure(o, t.srv, redisProc, redisAddr, t.url, t.w, c)
					if err != nil {
						stopAll()
						return nil, err
					}
					runs[i] = append(runs[i], r)
				}
			}
			var limit hashLimit
			if len(limits) > 0 {
				slices.SortFunc(limits, func(a, b hashLimit) int { return cmp.Compare(a.rps, b.rps) })
				limit = limits[len(limits)/2]
			}
			for i, t := range targets {
				r := median(runs[i])
				r.profile, r.target, r.format, r.conns, r.limit = p.name, t.name, t.w.Format, c, limit
				byTarget[i] = append(byTarget[i], r)
			}
		}
		stopAll()
		for _, rs := range byTarget {
			rows = append(rows, rs...)
		}
	}
	return rows, nil
}

// measure runs one target once against a flushed Redis.
func measure(o options, srv, redisProc *proc, redisAddr, url string, w workload, conns int) (row, error) {
	if err := flushAll(redisAddr); err != nil {
		return row{}, err
	}
	s0, r0 := srv.cpu(), redisProc.cpu()
	res, err := load.Drive(load.Config{URL: url, Connections: conns, Warmup: o.warmup, Duration: o.durations,
		ContentType: w.ContentType, Accept: w.Accept, Body: w.Body, Run: strconv.FormatInt(time.Now().UnixNano(), 36)})
	if err != nil {
		return row{}, err
	}
	// A server may still work after its clients are gone (the floor keeps
	// hashing every request it accepted, answered or not). Count that work
	// as its own, and keep it out of the next target's run.
	settle(srv)
	// CPU is counted over warm-up and measurement, so divide by the
	// requests of both: the measured ones scaled by the elapsed share.
	total := float64(res.Requests) * float64(o.warmup+o.durations) / float64(o.durations)
	r := row{res: res, rssMiB: srv.rssMiB()}
	if total > 0 {
		r.serverUS = (srv.cpu() - s0).Seconds() * 1e6 / total
		r.redisUS = (redisProc.cpu() - r0).Seconds() * 1e6 / total
	}
	fmt.Fprintf(os.Stderr, "bench: %s c=%d %.0f req/s p99 %.1f ms %v\n", url, conns, res.RPS, res.P99ms, res.Statuses)
	return r, nil
}

// settle waits until p uses less than a tenth of a CPU (sampled over
// 250 ms), for at most a minute, and says so when that took long.
func settle(p *proc) {
	const step = 250 * time.Millisecond
	start := time.Now()
	for time.Since(start) < time.Minute {
		c0 := p.cpu()
		time.Sleep(step)
		if p.cpu()-c0 < step/10 {
			break
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		fmt.Fprintf(os.Stderr, "bench: %s kept working %.0f s after its run\n", p.log, d.Seconds())
	}
}

// median is the run with the median requests/s (its latencies and CPU
// with it, so a row is one real run).
func median(runs []row) row {
	slices.SortFunc(runs, func(a, b row) int { return cmp.Compare(a.res.RPS, b.res.RPS) })
	return runs[len(runs)/2]
}

func startFloor(dir, redisURL string, p profile, hash bool) (*proc, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	pr, err := start(dir, "floor", filepath.Join(dir, "floor"), "-listen", addr, "-redis", redisURL,
		"-hash="+strconv.FormatBool(hash), "-memory-kib", strconv.Itoa(p.memoryKiB), "-iterations", strconv.Itoa(p.iterations))
	if err != nil {
		return nil, "", err
	}
	if err := waitTCP(addr); err != nil {
		pr.stop()
		return nil, "", err
	}
	return pr, "http://" + addr + workloads[0].Path, nil
}

func startGateway(dir, redisURL string, p profile, extra string) (*proc, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	// One load generator is one client address: the per-address throttle
	// would answer it 429 after 30 registrations.
	cfg := fmt.Sprintf("listen: %q\nredis:\n  url: %q\npassword:\n  memory_kib: %d\n  iterations: %d\nmailer:\n  enabled: false\nthrottle:\n  register: 0\n%s",
		addr, redisURL, p.memoryKiB, p.iterations, extra)
	path := filepath.Join(dir, "gateway-"+p.name+".yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		return nil, "", err
	}
	pr, err := start(dir, "gateway", filepath.Join(dir, "legacygate"), "serve", "--config", path)
	if err != nil {
		return nil, "", err
	}
	if err := waitHTTP("http://" + addr + "/readyz"); err != nil {
		pr.stop()
		return nil, "", fmt.Errorf("gateway did not become ready (log: %s): %w", pr.log, err)
	}
	return pr, "http://" + addr, nil
}

// proc is a started server and its log file.
type proc struct {
	cmd  *exec.Cmd
	log  string
	done chan struct{} // closed when the process has exited
}

func start(dir, name, bin string, args ...string) (*proc, error) {
	log := filepath.Join(dir, name+".log")
	f, err := os.OpenFile(log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{cmd: cmd, log: log, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); f.Close(); close(p.done) }()
	return p, nil
}

func (p *proc) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// cpu is the process's user + system CPU time so far, from /proc.
func (p *proc) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are the
	// 14th and 15th fields of the whole line, in clock ticks (USER_HZ=100).
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// rssMiB is the process's resident memory now (VmRSS), from /proc.
func (p *proc) rssMiB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitTCP(addr string) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not accept connections in 10s", addr)
}

func waitHTTP(url string) error {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("not ready in 15s")
}

// flushAll empties the benchmark's private Redis with a bare RESP command.
func flushAll(addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "*1\r\n$8\r\nFLUSHALL\r\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "+OK") {
		return fmt.Errorf("FLUSHALL: %q %v", line, err)
	}
	return nil
}

// report prints the table, each gateway row with its ratio to the floor
// (and the bare floor) of the same profile and connection count, and, for
// a row with a hash-bound limit, its ratio to that limit.
func report(w io.Writer, rows []row) {
	find := func(profile, target string, conns int) *row {
		for i := range rows {
			if rows[i].profile == profile && rows[i].target == target && rows[i].conns == conns {
				return &rows[i]
			}
		}
		return nil
	}
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, r := range rows {
		key := fmt.Sprintf("%s c=%d", r.profile, r.conns)
		if l := r.limit; l.rps > 0 && !seen[key] {
			seen[key] = true
			fmt.Fprintf(&b, "Hash-bound limit (%s, median of the measurements between its runs): %d workers ÷ %.1f ms per hash = %.1f registrations/s\n",
				key, l.workers, float64(l.perHash)/float64(time.Millisecond), l.rps)
		}
	}
	if len(seen) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("| profile | target | body | conns | req/s | p50 ms | p99 ms | server CPU µs/req | Redis CPU µs/req | server RSS MiB | non-200 | gateway/floor req/s | p99 / floor p99 | gateway/bare floor | req/s / hash limit |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		non200 := int(r.res.Requests) - r.res.Statuses["200"] + int(r.res.Errors)
		ratio, p99, bare, lim := "", "", "", ""
		if r.target == "gateway" {
			if f := find(r.profile, "floor", r.conns); f != nil && f.res.RPS > 0 {
				ratio = fmt.Sprintf("%.2f", r.res.RPS/f.res.RPS)
				p99 = fmt.Sprintf("%.2f", r.res.P99ms/f.res.P99ms)
			}
			if f := find(r.profile, "bare floor", r.conns); f != nil && f.res.RPS > 0 {
				bare = fmt.Sprintf("%.2f", r.res.RPS/f.res.RPS)
			}
		}
		if r.limit.rps > 0 {
			lim = fmt.Sprintf("%.2f", r.res.RPS/r.limit.rps)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %.0f | %.1f | %.1f | %.0f | %.0f | %.0f | %d | %s | %s | %s | %s |\n",
			r.profile, r.target, r.format, r.conns, r.res.RPS, r.res.P50ms, r.res.P99ms, r.serverUS, r.redisUS, r.rssMiB, non200, ratio, p99, bare, lim)
	}
	_, _ = w.Write(b.Bytes())
}
