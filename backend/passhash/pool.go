package passhash

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"legacygate/backend"
)

// ErrClosed is returned by Hash and Verify after [Pool.Close].
var ErrClosed = errors.New("passhash: pool closed")

// Pool runs argon2id hashes and verifications on a fixed set of worker
// goroutines. Submission never blocks: a job is admitted when its expected
// wait for a worker (jobs ahead of it × the measured time of one job ÷
// workers) fits the wait budget and the queue's hard capacity has room;
// otherwise Hash and Verify return an [*backend.OverloadedError] (it
// unwraps to [backend.ErrOverloaded]) whose RetryAfter is that expected
// wait. A Pool is safe for concurrent use.
type Pool struct {
	params  Params
	workers int
	jobs    chan job

	mu     sync.RWMutex // guards closed against sends on a closed jobs
	closed bool
	wg     sync.WaitGroup

	// budget is the longest expected wait admitted, in nanoseconds.
	budget atomic.Int64
	// waiting counts admitted jobs no worker has taken yet.
	waiting atomic.Int64
	// jobNanos is the median duration of the recent jobs (seeded by a hash
	// at start, so admission is right from the first burst); a median,
	// not a mean, so that a few slow jobs (a worker's first hash, a GC
	// pause) do not shed a burst the workers clear in time.
	jobNanos  atomic.Int64
	samplesMu sync.Mutex
	samples   [15]int64
	nSamples  int

	// beforeJob, if set, runs on the worker before each job (tests only).
	beforeJob func()
	// onWait, if set, is told how long each job queued (metrics).
	onWait atomic.Pointer[func(time.Duration)]
}

// DefaultWaitBudget is the longest expected wait for a worker a job is
// admitted with, unless [Pool.SetWaitBudget] says otherwise.
const DefaultWaitBudget = 2 * time.Second

type job struct {
	queued time.Time
	ctx    context.Context
	run    func() result
	out    chan result // capacity 1: a worker never blocks on an abandoned job
}

type result struct {
	phc string
	ok  bool
	err error
}

// New starts a pool hashing with p, running workers goroutines (≤0 means
// runtime.GOMAXPROCS(0), the CPUs this process may use) behind a queue
// holding at most queue waiting jobs (≤0 means 256×workers; the wait
// budget usually sheds long before). Peak memory is about
// workers×p.MemoryKiB KiB. New hashes once to measure the cost of a job.
//
// New panics if p is invalid; check configured values with [Params.Validate]
// first.
func New(p Params, workers, queue int) *Pool {
	return newPool(p, workers, queue, nil)
}

func newPool(p Params, workers, queue int, beforeJob func()) *Pool {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if queue <= 0 {
		queue = 256 * workers
	}
	pool := &Pool{
		params:    p,
		workers:   workers,
		jobs:      make(chan job, queue),
		beforeJob: beforeJob,
	}
	pool.budget.Store(int64(DefaultWaitBudget))
	c := calibrate(p)
	for i := range pool.samples {
		pool.samples[i] = c // the median moves once real jobs outnumber it
	}
	pool.nSamples = len(pool.samples)
	pool.jobNanos.Store(c)
	pool.wg.Add(workers)
	for range workers {
		go pool.work()
	}
	return pool
}

// calibrate measures one hash with p: the faster of two, since the first
// also pays for faulting in its memory.
func calibrate(p Params) int64 {
	best := int64(0)
	for range 2 {
		start := time.Now()
		_, _ = hashPassword([]byte("calibration"), p)
		if d := int64(time.Since(start)); best == 0 || d < best {
			best = d
		}
	}
	return max(best, 1)
}

// SetWaitBudget sets the longest expected wait a job is admitted with.
func (p *Pool) SetWaitBudget(d time.Duration) { p.budget.Store(int64(d)) }

// Admit reports, without queuing anything, whether a job submitted now
// would be admitted: nil, or the [*backend.OverloadedError] Hash would
// return. Callers ask before doing the work that leads to a hash (reading
// and decoding a request), so a refusal costs almost nothing; the pool
// still decides at submission, since other jobs may arrive in between.
func (p *Pool) Admit() error {
	if wait := p.ExpectedWait(); wait > time.Duration(p.budget.Load()) {
		return &backend.OverloadedError{RetryAfter: wait}
	}
	if len(p.jobs) == cap(p.jobs) {
		return &backend.OverloadedError{RetryAfter: p.ExpectedWait()}
	}
	return nil
}

// ExpectedWait is how long a job submitted now would wait for a worker.
func (p *Pool) ExpectedWait() time.Duration { return p.waitFor(p.waiting.Load()) }

func (p *Pool) waitFor(ahead int64) time.Duration {
	return time.Duration(ahead * p.jobNanos.Load() / int64(p.workers))
}

// measure records one job's duration and updates the median.
func (p *Pool) measure(d time.Duration) {
	p.samplesMu.Lock()
	defer p.samplesMu.Unlock()
	p.samples[p.nSamples%len(p.samples)] = max(int64(d), 1)
	p.nSamples++
	n := min(p.nSamples, len(p.samples))
	var sorted [len(p.samples)]int64
	copy(sorted[:], p.samples[:n])
	slices.Sort(sorted[:n])
	p.jobNanos.Store(sorted[n/2])
}

func (p *Pool) work() {
	defer p.wg.Done()
	for j := range p.jobs {
		p.waiting.Add(-1)
		if f := p.onWait.Load(); f != nil {
			(*f)(time.Since(j.queued))
		}
		if p.beforeJob != nil {
			p.beforeJob()
		}
		if err := j.ctx.Err(); err != nil {
			// The caller gave up while the job was queued: skip the
			// expensive part.
			j.out <- result{err: err}
			continue
		}
		start := time.Now()
		r := j.run()
		p.measure(time.Since(start))
		j.out <- r
	}
}

// QueueLen returns the number of jobs waiting for a worker.
func (p *Pool) QueueLen() int { return len(p.jobs) }

// ObserveWait makes the pool call f with each job's time in the queue, on
// the worker that takes the job; f must be quick.
func (p *Pool) ObserveWait(f func(time.Duration)) { p.onWait.Store(&f) }

// Params returns the parameters new hashes are made with.
func (p *Pool) Params() Params { return p.params }

// Hash returns a PHC string for pw made with the pool's parameters.
func (p *Pool) Hash(ctx context.Context, pw backend.Password) (string, error) {
	params := p.params
	r, err := p.do(ctx, func() result {
		b := []byte(pw)
		defer clear(b)
		phc, err := hashPassword(b, params)
		return result{phc: phc, err: err}
	})
	if err != nil {
		return "", err
	}
	return r.phc, r.err
}

// Verify reports whether pw matches phc, using the parameters recorded in
// phc. A malformed phc returns an error wrapping [ErrMalformed]; a mismatch
// returns (false, nil). The comparison is constant-time.
func (p *Pool) Verify(ctx context.Context, pw backend.Password, phc string) (bool, error) {
	// Parse errors need no worker: fail fast and cheaply.
	if _, _, _, err := parse(phc); err != nil {
		return false, err
	}
	r, err := p.do(ctx, func() result {
		b := []byte(pw)
		defer clear(b)
		ok, err := verifyPassword(b, phc)
		return result{ok: ok, err: err}
	})
	if err != nil {
		return false, err
	}
	return r.ok, r.err
}

// do queues run without blocking and waits for its result or ctx.
func (p *Pool) do(ctx context.Context, run func() result) (result, error) {
	if err := ctx.Err(); err != nil {
		return result{}, fmt.Errorf("passhash: %w", err)
	}
	out, err := p.submit(ctx, run)
	if err != nil {
		return result{}, err
	}
	select {
	case r := <-out:
		// The worker sent its one result and holds out no more: the
		// channel is empty and ours to reuse.
		outs.Put(out)
		if r.err != nil && ctx.Err() != nil {
			return result{}, fmt.Errorf("passhash: %w", ctx.Err())
		}
		return r, nil
	case <-ctx.Done():
		// The worker will find ctx done and skip the job, or finish it
		// into the buffered channel; either way nothing leaks.
		return result{}, fmt.Errorf("passhash: %w", ctx.Err())
	}
}

// outs recycles result channels (capacity 1) of jobs whose caller took the
// result; a channel whose caller gave up is left to the garbage collector,
// since its worker may still send on it.
var outs = sync.Pool{New: func() any { return make(chan result, 1) }}

func (p *Pool) submit(ctx context.Context, run func() result) (chan result, error) {
	j := job{queued: time.Now(), ctx: ctx, run: run, out: outs.Get().(chan result)}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		outs.Put(j.out)
		return nil, ErrClosed
	}
	ahead := p.waiting.Add(1) - 1
	wait := p.waitFor(ahead)
	if wait > time.Duration(p.budget.Load()) {
		p.waiting.Add(-1)
		outs.Put(j.out)
		return nil, &backend.OverloadedError{RetryAfter: wait}
	}
	select {
	case p.jobs <- j:
		return j.out, nil
	default:
		p.waiting.Add(-1)
		outs.Put(j.out)
		return nil, &backend.OverloadedError{RetryAfter: wait}
	}
}

// Close stops accepting work, lets the workers finish the jobs already
// queued, and waits for them. It is safe to call more than once.
func (p *Pool) Close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.jobs)
	}
	p.mu.Unlock()
	p.wg.Wait()
}
