package redisurl

import (
	"context"
	"net"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// PeekAfterIdle is how long a connection must have gone without a reply
// before the pool's checkout health check looks at its socket again.
//
// go-redis checks every connection it takes out of its pool with a
// non-blocking recvfrom(MSG_PEEK) on the socket (go-redis v9.23.0,
// internal/pool/pool.go isHealthyConn and internal/pool/conn_check.go
// connCheck), a system call on every command. It does so only when the
// net.Conn implements syscall.Conn, through its SyscallConn's RawConn.Read.
// The connections our dialer returns implement it, and their RawConn's Read
// skips the peek (reports nothing to read, as for a live idle socket) when
// the connection read a reply less than PeekAfterIdle ago; after that it
// peeks the socket as go-redis always did. Under load every connection has
// just answered, so no checkout costs a system call; a connection that sat
// idle (the case of a Redis restart or CLIENT KILL while traffic was low) is
// checked and, when the server closed it, dropped by the pool before use,
// exactly as before. A connection closed by the server within PeekAfterIdle
// of its last reply fails its next command with EOF instead, which go-redis
// retries on another connection (shouldRetry in its error.go); every script
// of the store is idempotent, so a retry never registers a user twice.
const PeekAfterIdle = time.Second

// dialer returns the Options.Dialer of the clients NewClient builds:
// go-redis's own dialer for the given timeout (redis.NewDialer: its keep
// alive settings, plain TCP or Unix socket) whose connections skip the
// checkout peek while they are busy (see PeekAfterIdle).
func dialer(timeout time.Duration) func(context.Context, string, string) (net.Conn, error) {
	if timeout == 0 {
		timeout = 5 * time.Second // go-redis's default (options.go, Options.init)
	}
	base := redis.NewDialer(&redis.Options{DialTimeout: timeout})
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := base(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return wrap(c), nil
	}
}

// wrap returns c as a busyConn when it exposes its socket, else c.
func wrap(c net.Conn) net.Conn {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return c
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return c
	}
	b := &busyConn{Conn: c}
	b.raw = &gatedRaw{RawConn: raw, c: b}
	return b
}

// epoch anchors the monotonic clock busyConn reads.
var epoch = time.Now()

func monotonic() int64 { return int64(time.Since(epoch)) }

// busyConn is a connection that remembers when it last read something.
type busyConn struct {
	net.Conn
	raw      *gatedRaw    // a pointer: SyscallConn returns it without allocating
	lastRead atomic.Int64 // monotonic nanoseconds; 0: never
}

func (c *busyConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.lastRead.Store(monotonic())
	}
	return n, err
}

// SyscallConn makes busyConn a syscall.Conn, the interface go-redis's
// health check looks for.
func (c *busyConn) SyscallConn() (syscall.RawConn, error) { return c.raw, nil }

// gatedRaw is the socket's RawConn whose Read runs f only once the
// connection has been quiet for PeekAfterIdle. Control and Write are the
// socket's own.
type gatedRaw struct {
	syscall.RawConn
	c *busyConn
}

func (r *gatedRaw) Read(f func(fd uintptr) bool) error {
	if last := r.c.lastRead.Load(); last != 0 && monotonic()-last < int64(PeekAfterIdle) {
		return nil
	}
	return r.RawConn.Read(f)
}
