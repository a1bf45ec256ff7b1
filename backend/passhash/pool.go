package passhash

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"legacygate/backend"
)

// ErrClosed is returned by Hash and Verify after [Pool.Close].
var ErrClosed = errors.New("passhash: pool closed")

// Pool runs argon2id hashes and verifications on a fixed set of worker
// goroutines fed by a fixed-capacity queue. Submission never blocks: when the
// queue is full, Hash and Verify return [backend.ErrOverloaded] (unwrapped)
// at once. A Pool is safe for concurrent use.
type Pool struct {
	params  Params
	workers int
	jobs    chan job

	mu     sync.RWMutex // guards closed against sends on a closed jobs
	closed bool
	wg     sync.WaitGroup

	// beforeJob, if set, runs on the worker before each job (tests only).
	beforeJob func()
	// onWait, if set, is told how long each job queued (metrics).
	onWait atomic.Pointer[func(time.Duration)]
}

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
// runtime.NumCPU()) behind a queue of queue pending jobs (≤0 means
// 4×workers). Peak memory is about workers×p.MemoryKiB KiB.
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
		workers = runtime.NumCPU()
	}
	if queue <= 0 {
		queue = 4 * workers
	}
	pool := &Pool{
		params:    p,
		workers:   workers,
		jobs:      make(chan job, queue),
		beforeJob: beforeJob,
	}
	pool.wg.Add(workers)
	for range workers {
		go pool.work()
	}
	return pool
}

func (p *Pool) work() {
	defer p.wg.Done()
	for j := range p.jobs {
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
		j.out <- j.run()
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

func (p *Pool) submit(ctx context.Context, run func() result) (<-chan result, error) {
	j := job{queued: time.Now(), ctx: ctx, run: run, out: make(chan result, 1)}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return nil, ErrClosed
	}
	select {
	case p.jobs <- j:
		return j.out, nil
	default:
		// The sentinel itself, unwrapped: callers may compare with ==.
		return nil, backend.ErrOverloaded
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
