// Package load drives one HTTP endpoint with unique registrations from a
// fixed number of keep-alive connections (a closed loop: each connection
// sends its next request when the previous answer is read) and prints what
// it saw as one JSON object: requests, answers by status, requests per
// second, latency percentiles.
//
// The body is a template: every {{n}} becomes a number unique to this run,
// so each request registers a new user. The bench/run command runs it
// against the gateway and the floor server in turn.
package load

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one run measured.
type Result struct {
	Connections int            `json:"connections"`
	Seconds     float64        `json:"seconds"`
	Requests    int64          `json:"requests"`
	Statuses    map[string]int `json:"statuses"`
	Errors      int64          `json:"errors"`
	RPS         float64        `json:"rps"` // 200 answers per second
	P50ms       float64        `json:"p50_ms"`
	P99ms       float64        `json:"p99_ms"`
}

// template splits a body at its {{n}} markers once, so that each request
// only appends the parts and the number.
type template []string

func (t template) render(buf *bytes.Buffer, n string) {
	for i, part := range t {
		if i > 0 {
			buf.WriteString(n)
		}
		buf.WriteString(part)
	}
}

// Config is one run: where, how hard, what.
type Config struct {
	URL         string
	Connections int
	Warmup      time.Duration // unmeasured, before Duration
	Duration    time.Duration
	ContentType string
	Accept      string // none when empty
	// Body is the template; every {{n}} becomes a number unique to the run.
	Body string
	// Run makes this run's numbers unique across runs against one store.
	Run string
}

// Drive runs c and reports what it measured.
func Drive(c Config) (Result, error) {
	if c.URL == "" || c.Body == "" || c.Connections < 1 || c.Duration <= 0 {
		return Result{}, fmt.Errorf("load: URL, Body, Connections and Duration are required")
	}
	return drive(c.URL, c.Connections, c.Warmup, c.Duration, c.ContentType, c.Accept, template(strings.Split(c.Body, "{{n}}")), c.Run)
}

func drive(url string, conns int, warm, dur time.Duration, ct, accept string, body template, run string) (Result, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()

	var seq atomic.Int64
	var measuring atomic.Bool
	ctx, cancel := context.WithTimeout(context.Background(), warm+dur)
	defer cancel()
	time.AfterFunc(warm, func() { measuring.Store(true) })

	type worker struct {
		lat      []time.Duration
		statuses map[int]int
		errors   int64
	}
	workers := make([]worker, conns)
	var wg sync.WaitGroup
	for w := range workers {
		workers[w].statuses = map[int]int{}
		wg.Add(1)
		go func(wk *worker) {
			defer wg.Done()
			var buf bytes.Buffer
			for ctx.Err() == nil {
				buf.Reset()
				body.render(&buf, run+strconv.FormatInt(seq.Add(1), 10))
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(buf.Bytes()))
				if err != nil {
					wk.errors++
					return
				}
				req.Header.Set("Content-Type", ct)
				if accept != "" {
					req.Header.Set("Accept", accept)
				}
				start := time.Now()
				res, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				if !measuring.Load() || ctx.Err() != nil {
					continue
				}
				if err != nil {
					wk.errors++
					continue
				}
				wk.lat = append(wk.lat, time.Since(start))
				wk.statuses[res.StatusCode]++
			}
		}(&workers[w])
	}
	wg.Wait()

	r := Result{Connections: conns, Seconds: dur.Seconds(), Statuses: map[string]int{}}
	var all []time.Duration
	for _, wk := range workers {
		all = append(all, wk.lat...)
		r.Errors += wk.errors
		for code, n := range wk.statuses {
			r.Statuses[strconv.Itoa(code)] += n
		}
	}
	r.Requests = int64(len(all))
	r.RPS = float64(r.Statuses["200"]) / dur.Seconds()
	if len(all) > 0 {
		slices.Sort(all)
		r.P50ms = percentile(all, 0.50)
		r.P99ms = percentile(all, 0.99)
	}
	return r, nil
}

// percentile is the nearest-rank percentile of sorted latencies, in ms.
func percentile(sorted []time.Duration, p float64) float64 {
	i := int(float64(len(sorted))*p+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return float64(sorted[i].Microseconds()) / 1000
}
