package passhash

import (
	"context"
	"errors"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"legacygate/backend"
)

// cheap keeps the suite fast; production uses DefaultParams.
var cheap = Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

func newTestPool(t testing.TB, p Params, workers, queue int) *Pool {
	t.Helper()
	pool := New(p, workers, queue)
	t.Cleanup(pool.Close)
	return pool
}

func TestDefaultParams(t *testing.T) {
	want := Params{MemoryKiB: 19456, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}
	if got := DefaultParams(); got != want {
		t.Fatalf("DefaultParams() = %+v, want %+v", got, want)
	}
	if err := want.Validate(); err != nil {
		t.Fatalf("DefaultParams().Validate() = %v", err)
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		give Params
		want bool // valid
	}{
		{"default", DefaultParams(), true},
		{"cheap", cheap, true},
		{"min memory for p=4", Params{MemoryKiB: 32, Iterations: 1, Parallelism: 4, SaltLen: 8, KeyLen: 16}, true},
		{"memory below 8p", Params{MemoryKiB: 31, Iterations: 1, Parallelism: 4, SaltLen: 16, KeyLen: 32}, false},
		{"memory too large", Params{MemoryKiB: maxMemoryKiB + 1, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, false},
		{"zero iterations", Params{MemoryKiB: 64, Iterations: 0, Parallelism: 1, SaltLen: 16, KeyLen: 32}, false},
		{"too many iterations", Params{MemoryKiB: 64, Iterations: maxIterations + 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, false},
		{"zero parallelism", Params{MemoryKiB: 64, Iterations: 1, Parallelism: 0, SaltLen: 16, KeyLen: 32}, false},
		{"short salt", Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 7, KeyLen: 32}, false},
		{"long salt", Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 65, KeyLen: 32}, false},
		{"short key", Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 15}, false},
		{"long key", Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 65}, false},
		{"zero value", Params{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.give.Validate()
			if got := err == nil; got != tt.want {
				t.Fatalf("Validate(%+v) = %v, want valid=%v", tt.give, err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "passhash: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestNewPanicsOnInvalidParams(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New with invalid params did not panic")
		}
	}()
	New(Params{}, 1, 1)
}

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashVerify(t *testing.T) {
	pool := newTestPool(t, cheap, 2, 8)
	ctx := context.Background()
	tests := []struct {
		name  string
		give  backend.Password
		check backend.Password
		want  bool
	}{
		{"ascii", "correct horse battery staple", "correct horse battery staple", true},
		{"unicode", "pässwörd ✓ 密码", "pässwörd ✓ 密码", true},
		{"empty", "", "", true},
		{"long", backend.Password(strings.Repeat("x", 4096)), backend.Password(strings.Repeat("x", 4096)), true},
		{"wrong", "correct horse battery staple", "correct horse battery stapl", false},
		{"case differs", "Secret", "secret", false},
		{"empty vs something", "", " ", false},
		{"nul byte", "a\x00b", "a\x00c", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phc, err := pool.Hash(ctx, tt.give)
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			if !phcRE.MatchString(phc) {
				t.Fatalf("Hash = %q, not an argon2id PHC string with the pool's params", phc)
			}
			if tt.give != "" && strings.Contains(phc, string(tt.give)) {
				t.Fatalf("PHC string contains the clear password")
			}
			got, err := pool.Verify(ctx, tt.check, phc)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	pool := newTestPool(t, cheap, 1, 1)
	a, err := pool.Hash(context.Background(), "same")
	if err != nil {
		t.Fatal(err)
	}
	b, err := pool.Hash(context.Background(), "same")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatalf("two hashes of one password are equal (%q): salt is not random", a)
	}
}

// Vectors made with the reference implementation (libargon2,
// argon2id_hash_encoded): they pin interoperability with other argon2id
// implementations, and that Verify takes its parameters from the string.
func TestVerifyReferenceVectors(t *testing.T) {
	pool := newTestPool(t, cheap, 1, 4)
	tests := []struct {
		name string
		give string // PHC
		pw   backend.Password
		want bool
	}{
		{"m=64 t=2 p=1", "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI", "password", true},
		{"m=256 t=3 p=2 16-byte key", "$argon2id$v=19$m=256,t=3,p=2$MDEyMzQ1Njc4OWFiY2RlZg$kWA7rtXj95Lt8Y5NfiR85Q", "pässwörd ✓", true},
		{"owasp memory empty password", "$argon2id$v=19$m=19456,t=1,p=1$c2FsdHNhbHQ$upiBtWgRKiZ7QddCkw+c5bt9F+16DENlJEXCMvyE0Io", "", true},
		{"wrong password", "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI", "Password", false},
		{"tampered hash", "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSA", "password", false},
		{"tampered params", "$argon2id$v=19$m=64,t=3,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI", "password", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pool.Verify(context.Background(), tt.pw, tt.give)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVerifyAfterParamsChange(t *testing.T) {
	old := newTestPool(t, Params{MemoryKiB: 128, Iterations: 2, Parallelism: 2, SaltLen: 8, KeyLen: 16}, 1, 1)
	phc, err := old.Hash(context.Background(), "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	cur := newTestPool(t, cheap, 1, 1)
	ok, err := cur.Verify(context.Background(), "s3cret", phc)
	if err != nil || !ok {
		t.Fatalf("Verify of a hash made with old params = %v, %v; want true, nil", ok, err)
	}
	if !NeedsRehash(phc, cur.Params()) {
		t.Fatal("NeedsRehash = false for a hash made with other params")
	}
}

func TestVerifyMalformed(t *testing.T) {
	pool := newTestPool(t, cheap, 1, 1)
	const salt, key = "c29tZXNhbHQ", "FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI"
	tests := []struct {
		name string
		give string
	}{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=64,t=2,p=1$" + salt + "$" + key},
		{"argon2d", "$argon2d$v=19$m=64,t=2,p=1$" + salt + "$" + key},
		{"no version", "$argon2id$m=64,t=2,p=1$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=64,t=2,p=1$" + salt + "$" + key},
		{"missing leading $", "argon2id$v=19$m=64,t=2,p=1$" + salt + "$" + key},
		{"trailing field", "$argon2id$v=19$m=64,t=2,p=1$" + salt + "$" + key + "$"},
		{"missing hash", "$argon2id$v=19$m=64,t=2,p=1$" + salt},
		{"params out of order", "$argon2id$v=19$t=2,m=64,p=1$" + salt + "$" + key},
		{"extra param", "$argon2id$v=19$m=64,t=2,p=1,keyid=x$" + salt + "$" + key},
		{"missing param", "$argon2id$v=19$m=64,t=2$" + salt + "$" + key},
		{"empty param", "$argon2id$v=19$m=,t=2,p=1$" + salt + "$" + key},
		{"negative", "$argon2id$v=19$m=-64,t=2,p=1$" + salt + "$" + key},
		{"plus sign", "$argon2id$v=19$m=+64,t=2,p=1$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=064,t=2,p=1$" + salt + "$" + key},
		{"hex", "$argon2id$v=19$m=0x40,t=2,p=1$" + salt + "$" + key},
		{"t=0", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{"p=0", "$argon2id$v=19$m=64,t=2,p=0$" + salt + "$" + key},
		{"p=256", "$argon2id$v=19$m=4096,t=2,p=256$" + salt + "$" + key},
		{"m below 8p", "$argon2id$v=19$m=7,t=2,p=1$" + salt + "$" + key},
		{"m huge", "$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key},
		{"m overflows uint32", "$argon2id$v=19$m=4294967296,t=2,p=1$" + salt + "$" + key},
		{"t huge", "$argon2id$v=19$m=64,t=4294967295,p=1$" + salt + "$" + key},
		{"padded salt", "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ=$" + key},
		{"url-safe alphabet", "$argon2id$v=19$m=64,t=2,p=1$" + salt + "$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOS_I"},
		{"newline in salt", "$argon2id$v=19$m=64,t=2,p=1$c29tZX\nNhbHQ$" + key},
		{"carriage return in hash", "$argon2id$v=19$m=64,t=2,p=1$" + salt + "$FqGkmHNGCd0BRW2kBt6fPZ2pPmyG\rwwChL8FGUhTOSSI"},
		{"non-canonical base64", "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHR$" + key},
		{"short salt", "$argon2id$v=19$m=64,t=2,p=1$c2FsdA$" + key},
		{"empty salt", "$argon2id$v=19$m=64,t=2,p=1$$" + key},
		{"short hash", "$argon2id$v=19$m=64,t=2,p=1$" + salt + "$c2hvcnQ"},
		{"empty hash", "$argon2id$v=19$m=64,t=2,p=1$" + salt + "$"},
		{"too long", "$argon2id$v=19$m=64,t=2,p=1$" + salt + "$" + strings.Repeat("A", 600)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := pool.Verify(context.Background(), "password", tt.give)
			if ok || !errors.Is(err, ErrMalformed) {
				t.Fatalf("Verify(%q) = %v, %v; want false, ErrMalformed", tt.give, ok, err)
			}
			if !NeedsRehash(tt.give, cheap) {
				t.Errorf("NeedsRehash(%q) = false, want true", tt.give)
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	pool := newTestPool(t, cheap, 1, 1)
	phc, err := pool.Hash(context.Background(), "pw")
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(*Params)) Params { p := cheap; f(&p); return p }
	tests := []struct {
		name string
		give Params
		want bool
	}{
		{"same", cheap, false},
		{"memory", with(func(p *Params) { p.MemoryKiB = 128 }), true},
		{"iterations", with(func(p *Params) { p.Iterations = 2 }), true},
		{"parallelism", with(func(p *Params) { p.Parallelism = 2 }), true},
		{"salt length", with(func(p *Params) { p.SaltLen = 32 }), true},
		{"key length", with(func(p *Params) { p.KeyLen = 64 }), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsRehash(phc, tt.give); got != tt.want {
				t.Fatalf("NeedsRehash = %v, want %v", got, tt.want)
			}
		})
	}
}

// blockedPool returns a pool whose single worker, once it picks up a job,
// signals started and waits for release.
func blockedPool(t *testing.T, queue int) (pool *Pool, started <-chan struct{}, release func()) {
	t.Helper()
	startedc := make(chan struct{}, 16)
	releasec := make(chan struct{})
	pool = newPool(cheap, 1, queue, func() {
		startedc <- struct{}{}
		<-releasec
	})
	var once sync.Once
	release = func() { once.Do(func() { close(releasec) }) }
	t.Cleanup(func() { release(); pool.Close() })
	return pool, startedc, release
}

func TestOverload(t *testing.T) {
	pool, started, release := blockedPool(t, 1)
	ctx := context.Background()

	// First job: taken by the only worker, which then blocks.
	first := make(chan error, 1)
	go func() {
		_, err := pool.Hash(ctx, "first")
		first <- err
	}()
	<-started

	// Second job: fills the queue (capacity 1). submit is the non-blocking
	// half of Hash, so no goroutine or timing is needed to know it is queued.
	second, err := pool.submit(ctx, func() result { return result{phc: "second"} })
	if err != nil {
		t.Fatalf("second submission: %v, want queued", err)
	}

	// Third: the queue is full, so Admit and both entry points refuse at once.
	if err := pool.Admit(); !errors.Is(err, backend.ErrOverloaded) {
		t.Fatalf("Admit on a full pool = %v, want backend.ErrOverloaded", err)
	}
	if _, err := pool.Hash(ctx, "third"); !errors.Is(err, backend.ErrOverloaded) {
		t.Fatalf("Hash on a full pool = %v, want backend.ErrOverloaded", err)
	}
	const phc = "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI"
	if _, err := pool.Verify(ctx, "password", phc); !errors.Is(err, backend.ErrOverloaded) {
		t.Fatalf("Verify on a full pool = %v, want backend.ErrOverloaded", err)
	}

	// Once released, the queued work completes.
	release()
	if err := <-first; err != nil {
		t.Fatalf("first job: %v", err)
	}
	<-started // the worker picked up the second job
	if r := <-second; r.phc != "second" {
		t.Fatalf("second job result = %+v", r)
	}
	if _, err := pool.Hash(ctx, "after"); err != nil {
		t.Fatalf("Hash after the queue drained: %v", err)
	}
}

func TestContextCancel(t *testing.T) {
	t.Run("while running", func(t *testing.T) {
		pool, started, release := blockedPool(t, 1)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := pool.Hash(ctx, "pw")
			done <- err
		}()
		<-started
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Hash after cancel = %v, want context.Canceled", err)
		}
		release()
	})
	t.Run("while queued", func(t *testing.T) {
		pool, started, release := blockedPool(t, 1)
		go func() { _, _ = pool.Hash(context.Background(), "blocker") }()
		<-started
		ctx, cancel := context.WithCancel(context.Background())
		ran := make(chan struct{}, 1)
		out, err := pool.submit(ctx, func() result { ran <- struct{}{}; return result{} })
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		release()
		<-started
		if r := <-out; !errors.Is(r.err, context.Canceled) {
			t.Fatalf("queued job after cancel = %+v, want context.Canceled", r)
		}
		select {
		case <-ran:
			t.Fatal("a job whose context was cancelled while queued was run")
		default:
		}
	})
	t.Run("before submit", func(t *testing.T) {
		pool := newTestPool(t, cheap, 1, 1)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := pool.Hash(ctx, "pw"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Hash = %v, want context.Canceled", err)
		}
		if _, err := pool.Verify(ctx, "pw", "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Verify = %v, want context.Canceled", err)
		}
	})
}

func TestClose(t *testing.T) {
	pool := New(cheap, 2, 2)
	if _, err := pool.Hash(context.Background(), "pw"); err != nil {
		t.Fatal(err)
	}
	pool.Close()
	pool.Close() // idempotent
	if _, err := pool.Hash(context.Background(), "pw"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Hash after Close = %v, want ErrClosed", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	pool := newTestPool(t, cheap, 4, 64)
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			pw := backend.Password(strings.Repeat("p", i+1))
			phc, err := pool.Hash(context.Background(), pw)
			if err != nil {
				t.Error(err)
				return
			}
			if ok, err := pool.Verify(context.Background(), pw, phc); !ok || err != nil {
				t.Errorf("Verify = %v, %v", ok, err)
			}
		})
	}
	wg.Wait()
}

// FuzzVerify checks that no PHC string makes Verify panic, and that every
// string the parser accepts re-encodes to itself (one canonical form).
func FuzzVerify(f *testing.F) {
	for _, s := range []string{
		"",
		"$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI",
		"$argon2id$v=19$m=256,t=3,p=2$MDEyMzQ1Njc4OWFiY2RlZg$kWA7rtXj95Lt8Y5NfiR85Q",
		"$argon2id$v=19$m=4294967295,t=4294967295,p=255$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI",
		"$argon2i$v=19$m=64,t=2,p=1$$",
		"$$$$$",
	} {
		f.Add(s)
	}
	pool := New(cheap, 2, 64)
	f.Cleanup(pool.Close)
	f.Fuzz(func(t *testing.T, phc string) {
		p, salt, key, err := parse(phc)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("parse error %v does not wrap ErrMalformed", err)
			}
		} else if enc := encode(p, salt, key); enc != phc {
			t.Fatalf("accepted %q re-encodes to %q", phc, enc)
		}
		// Accepted strings may ask for up to 4 GiB × 1024 passes: run the
		// real verification only on affordable ones.
		if err == nil && uint64(p.MemoryKiB)*uint64(p.Iterations) > 1<<16 {
			return
		}
		ok, verr := pool.Verify(context.Background(), "password", phc)
		if (verr == nil) != (err == nil) {
			t.Fatalf("Verify error %v disagrees with parse error %v", verr, err)
		}
		if ok && phc != "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI" {
			t.Fatalf("Verify(%q) = true for an unrelated string", phc)
		}
	})
}

func BenchmarkHash(b *testing.B) {
	b.Run("DefaultParams", func(b *testing.B) {
		pool := New(DefaultParams(), 1, 1)
		defer pool.Close()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := pool.Hash(context.Background(), "correct horse battery staple"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DefaultParams/parallel", func(b *testing.B) {
		pool := New(DefaultParams(), 0, 0) // NumCPU workers
		defer pool.Close()
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := pool.Hash(context.Background(), "correct horse battery staple"); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkVerify(b *testing.B) {
	pool := New(DefaultParams(), 1, 1)
	defer pool.Close()
	phc, err := pool.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := pool.Verify(context.Background(), "correct horse battery staple", phc); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// QueueLen and ObserveWait feed the metrics: the depth counts queued jobs,
// and every job reports its wait once.
func TestQueueLenAndObserveWait(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 8)
	pool := newPool(cheap, 1, 4, func() { started <- struct{}{}; <-release })
	defer pool.Close()
	var waits atomic.Int32
	pool.ObserveWait(func(time.Duration) { waits.Add(1) })
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = pool.Hash(ctx, "pw") }()
	}
	<-started // the worker holds one job; two wait in the queue
	for pool.QueueLen() != 2 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if n := pool.QueueLen(); n != 0 {
		t.Fatalf("QueueLen = %d after the jobs ran, want 0", n)
	}
	if n := waits.Load(); n != 3 {
		t.Fatalf("ObserveWait saw %d jobs, want 3", n)
	}
}

// BenchmarkHandoff is the pool's own cost per job (admission, queue,
// worker wake-up, result), with a job that does nothing: what the pool
// adds to each hash.
func BenchmarkHandoff(b *testing.B) {
	pool := New(cheap, 0, 0)
	defer pool.Close()
	ctx := context.Background()
	noop := func() result { return result{phc: "x"} }
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := pool.do(ctx, noop); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
