package passhash

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"legacygate/backend"
)

// TestAdmissionByWait: with one busy worker and a measured job time of
// 100 ms, a 250 ms budget admits the jobs whose expected wait is 0, 100
// and 200 ms and sheds the next with Retry-After = its 300 ms wait. The
// clock never decides: the job time is set, the worker is held.
func TestAdmissionByWait(t *testing.T) {
	pool, started, release := blockedPool(t, 64)
	pool.SetWaitBudget(250 * time.Millisecond)
	ctx := context.Background()
	first := make(chan error, 1)
	go func() {
		_, err := pool.Hash(ctx, "first")
		first <- err
	}()
	<-started // the worker holds the first job; nothing waits
	pool.jobNanos.Store(int64(100 * time.Millisecond))
	var queued []<-chan result
	for i := range 3 {
		if w := pool.ExpectedWait(); w != time.Duration(i)*100*time.Millisecond {
			t.Fatalf("job %d: expected wait %v", i, w)
		}
		if err := pool.Admit(); err != nil {
			t.Fatalf("job %d (wait %d00 ms): Admit refused: %v", i, i, err)
		}
		out, err := pool.submit(ctx, func() result { return result{phc: "ok"} })
		if err != nil {
			t.Fatalf("job %d (wait %d00 ms) refused: %v", i, i, err)
		}
		queued = append(queued, out)
	}
	// Admit tells the refusal before any work, and queues nothing.
	for range 2 {
		var oe *backend.OverloadedError
		if err := pool.Admit(); !errors.As(err, &oe) || oe.RetryAfter != 300*time.Millisecond {
			t.Fatalf("Admit over budget: %v, want an OverloadedError with RetryAfter 300ms", err)
		}
	}
	_, err := pool.Hash(ctx, "over budget")
	var oe *backend.OverloadedError
	if !errors.As(err, &oe) || !errors.Is(err, backend.ErrOverloaded) || oe.RetryAfter != 300*time.Millisecond {
		t.Fatalf("fourth job: %v %+v, want an OverloadedError with RetryAfter 300ms", err, oe)
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for range queued {
		<-started
	}
	for i, out := range queued {
		if r := <-out; r.phc != "ok" {
			t.Fatalf("queued job %d: %+v", i, r)
		}
	}
	if w := pool.ExpectedWait(); w != 0 {
		t.Fatalf("drained pool: expected wait %v", w)
	}
}

// TestBurstProductionHash: 64 concurrent hashes with the production
// parameters on 2 workers all succeed under the default budget (each
// waits at most 63 × one hash ÷ 2; one hash is tens of milliseconds).
// Under the race detector a hash is many times slower than in
// production, so the test runs without it (scripts/test.sh runs it so).
func TestBurstProductionHash(t *testing.T) {
	if raceEnabled {
		t.Skip("race detector: argon2 is far slower than in production; scripts/test.sh runs this test without -race")
	}
	pool := New(DefaultParams(), 2, 0)
	defer pool.Close()
	// The claim is about two cores that are ours. When other processes
	// slow a production hash so much that 62 of them cannot pass two
	// workers within the budget, shedding is the right answer (and
	// TestAdmissionByWait pins that arithmetic); say so instead of failing.
	if job := time.Duration(pool.jobNanos.Load()); 62*job/2 > DefaultWaitBudget {
		t.Skipf("this machine is busy: one production hash takes %v now (idle: ~25-40 ms), so 64 cannot clear 2 workers within %v", job, DefaultWaitBudget)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Go(func() {
			if _, err := pool.Hash(context.Background(), "correct horse battery staple"); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a burst hash was refused: %v (measured job %v)", err, time.Duration(pool.jobNanos.Load()))
	}
}

// TestJobTimeMedian: a few slow jobs do not move the estimate; a lasting
// change does, once it is most of the recent jobs.
func TestJobTimeMedian(t *testing.T) {
	pool := New(cheap, 1, 0)
	defer pool.Close()
	c := time.Duration(pool.jobNanos.Load())
	for range 7 {
		pool.measure(time.Second)
	}
	if got := time.Duration(pool.jobNanos.Load()); got != c {
		t.Fatalf("7 slow jobs of 15 moved the estimate from %v to %v", c, got)
	}
	pool.measure(time.Second)
	if got := time.Duration(pool.jobNanos.Load()); got != time.Second {
		t.Fatalf("8 slow jobs of 15: estimate %v, want 1s", got)
	}
}
