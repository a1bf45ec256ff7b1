package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"legacygate/backend/redisstore/redisurl"
)

// MasterName is the name the Sentinel topology's sentinels monitor.
const MasterName = "lgmaster"

// NodeTimeout is cluster-node-timeout and the sentinels'
// down-after-milliseconds: how long a dead master goes unnoticed.
const NodeTimeout = 1000 * time.Millisecond

// Node is one redis-server process of a topology (a data node or a
// sentinel). Kill and Start stop and restart it on the same port and
// directory, so a Cluster node rejoins with its nodes.conf.
type Node struct {
	Addr     string
	Port     int
	Sentinel bool

	dir  string
	args []string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	out  *bytes.Buffer
}

// Server is a running topology.
type Server struct {
	Kind Topology
	// URL is what a gateway's redis.url names: redis://… for Single,
	// redis+cluster://… for Cluster, redis+sentinel://… for Sentinel.
	URL   string
	Nodes []*Node // data nodes; for Sentinel the first is the initial master
	// Sentinels are the sentinel processes (Sentinel only).
	Sentinels []*Node
	dir       string
}

// portPair returns a free loopback port p below 45000 whose p+10000 (a
// cluster node's bus port) is free too, so that both stay below 55000.
func portPair() (int, error) {
	for range 200 {
		p := 20000 + rand.IntN(25000)
		if free(p) && free(p+10000) {
			return p, nil
		}
	}
	return 0, errors.New("redistest: no free port pair below 55000")
}

func free(p int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// Start starts kind's processes under a fresh temporary directory; Stop
// ends them and removes it. Single is one plain redis-server.
func Start(kind Topology) (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redistest: %s topology needs redis-server on PATH: %w", kind, err)
	}
	dir, err := os.MkdirTemp("", "redistest-"+string(kind)+"-")
	if err != nil {
		return nil, fmt.Errorf("redistest: %w", err)
	}
	s := &Server{Kind: kind, dir: dir}
	switch kind {
	case Cluster:
		err = s.startCluster(bin)
	case Sentinel:
		err = s.startSentinel(bin)
	default:
		// The append-only file lets a stopped and restarted node keep its data.
		var n *Node
		if n, err = s.node(bin, []string{"--appendonly", "yes"}, false); err == nil {
			s.URL = "redis://" + n.Addr + "/0"
		}
	}
	if err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// node starts one redis-server with the common options plus extra.
func (s *Server) node(bin string, extra []string, sentinel bool) (*Node, error) {
	var errs []error
	for range 5 {
		port, err := portPair()
		if err != nil {
			return nil, err
		}
		dir := filepath.Join(s.dir, strconv.Itoa(port))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		n := &Node{Addr: "127.0.0.1:" + strconv.Itoa(port), Port: port, Sentinel: sentinel, dir: dir}
		if sentinel {
			conf := filepath.Join(dir, "sentinel.conf")
			body := "port " + strconv.Itoa(port) + "\nbind 127.0.0.1\ndir " + dir + "\n" + strings.Join(extra, "\n") + "\n"
			if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
				return nil, err
			}
			n.args = []string{conf, "--sentinel"}
		} else {
			n.args = append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", dir}, extra...)
		}
		n.args = append([]string{bin}, n.args...)
		if err := n.Start(); err != nil {
			errs = append(errs, err)
			continue
		}
		if sentinel {
			s.Sentinels = append(s.Sentinels, n)
		} else {
			s.Nodes = append(s.Nodes, n)
		}
		return n, nil
	}
	return nil, fmt.Errorf("redistest: starting redis-server: %w", errors.Join(errs...))
}

// Start (re)starts the node's process and waits until it answers PING.
func (n *Node) Start() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd != nil {
		return nil
	}
	cmd := exec.Command(n.args[0], n.args[1:]...)
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	setPdeathsig(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	c := redis.NewClient(&redis.Options{Addr: n.Addr, DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			n.cmd, n.done, n.out = cmd, done, out
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("%s exited before answering PING: %s", n.Addr, strings.TrimSpace(out.String()))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("%s: no PING answer: %w", n.Addr, err)
		}
	}
}

// Stop ends the node's process with SIGTERM (a clean shutdown).
func (n *Node) Stop() { n.stop(syscall.SIGTERM) }

// Kill ends the node's process with SIGKILL, as a crash would.
func (n *Node) Kill() { n.stop(syscall.SIGKILL) }

func (n *Node) stop(sig syscall.Signal) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd == nil {
		return
	}
	_ = n.cmd.Process.Signal(sig)
	select {
	case <-n.done:
	case <-time.After(5 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.done
	}
	n.cmd = nil
}

// Running reports whether the node's process is up.
func (n *Node) Running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.cmd != nil
}

// Stop ends every process and removes the directory.
func (s *Server) Stop() {
	for _, n := range append(append([]*Node{}, s.Sentinels...), s.Nodes...) {
		n.stop(syscall.SIGTERM)
	}
	os.RemoveAll(s.dir)
}

func (s *Server) startCluster(bin string) error {
	extra := []string{"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
		"--cluster-node-timeout", strconv.Itoa(int(NodeTimeout.Milliseconds())),
		// A replica that lost its master for a while may still be promoted:
		// the tests kill masters on purpose.
		"--cluster-replica-validity-factor", "0"}
	for range 6 {
		if _, err := s.node(bin, extra, false); err != nil {
			return err
		}
	}
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		return fmt.Errorf("redistest: cluster topology needs redis-cli: %w", err)
	}
	args := []string{"--cluster", "create"}
	for _, n := range s.Nodes {
		args = append(args, n.Addr)
	}
	args = append(args, "--cluster-replicas", "1", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("redistest: redis-cli --cluster create: %v: %s", err, out)
	}
	s.URL = "redis+cluster://" + s.Nodes[0].Addr + "?addr=" + s.Nodes[1].Addr + "&addr=" + s.Nodes[2].Addr
	return s.WaitHealthy(30 * time.Second)
}

func (s *Server) startSentinel(bin string) error {
	m, err := s.node(bin, nil, false)
	if err != nil {
		return err
	}
	if _, err := s.node(bin, []string{"--replicaof", "127.0.0.1", strconv.Itoa(m.Port)}, false); err != nil {
		return err
	}
	conf := []string{
		"sentinel monitor " + MasterName + " 127.0.0.1 " + strconv.Itoa(m.Port) + " 2",
		"sentinel down-after-milliseconds " + MasterName + " " + strconv.Itoa(int(NodeTimeout.Milliseconds())),
		"sentinel failover-timeout " + MasterName + " 5000",
		"sentinel parallel-syncs " + MasterName + " 1",
	}
	var addrs []string
	for range 3 {
		n, err := s.node(bin, conf, true)
		if err != nil {
			return err
		}
		addrs = append(addrs, n.Addr)
	}
	s.URL = "redis+sentinel://" + addrs[0] + "?master_name=" + MasterName + "&addr=" + addrs[1] + "&addr=" + addrs[2]
	return s.WaitHealthy(30 * time.Second)
}

// WaitHealthy waits until the topology serves writes with full redundancy:
// every slot covered and every master with a synced replica (Cluster), or
// the sentinels agreeing on a master that has a synced replica (Sentinel).
func (s *Server) WaitHealthy(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if last = s.healthy(); last == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("redistest: %s not healthy after %v: %w", s.Kind, timeout, last)
}

func (s *Server) healthy() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	switch s.Kind {
	case Cluster:
		masters, synced := 0, 0
		for _, n := range s.Nodes {
			if !n.Running() {
				continue
			}
			c := redis.NewClient(&redis.Options{Addr: n.Addr, MaxRetries: -1})
			info, err := c.ClusterInfo(ctx).Result()
			repl, err2 := c.Info(ctx, "replication").Result()
			c.Close()
			if err != nil || err2 != nil {
				return errors.Join(err, err2)
			}
			if !strings.Contains(info, "cluster_state:ok") {
				return fmt.Errorf("%s: cluster_state not ok", n.Addr)
			}
			switch {
			case strings.Contains(repl, "role:master"):
				masters++
			case strings.Contains(repl, "master_link_status:up"):
				synced++
			}
		}
		if masters != 3 || synced != 3 {
			return fmt.Errorf("%d masters, %d synced replicas; want 3 and 3", masters, synced)
		}
		return nil
	case Sentinel:
		addr, err := s.MasterAddr(ctx)
		if err != nil {
			return err
		}
		for _, sn := range s.Sentinels {
			c := redis.NewSentinelClient(&redis.Options{Addr: sn.Addr, MaxRetries: -1})
			a, err := c.GetMasterAddrByName(ctx, MasterName).Result()
			reps, err2 := c.Replicas(ctx, MasterName).Result()
			sents, err3 := c.Sentinels(ctx, MasterName).Result()
			c.Close()
			if err := errors.Join(err, err2, err3); err != nil {
				return err
			}
			if len(a) != 2 || net.JoinHostPort(a[0], a[1]) != addr {
				return fmt.Errorf("sentinel %s names master %v, not %s", sn.Addr, a, addr)
			}
			if len(reps) != 1 || len(sents) != 2 {
				return fmt.Errorf("sentinel %s knows %d replicas and %d sentinels", sn.Addr, len(reps), len(sents))
			}
			if f := reps[0]["flags"]; f != "slave" {
				return fmt.Errorf("sentinel %s: replica flags %q", sn.Addr, f)
			}
		}
		c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
		defer c.Close()
		repl, err := c.Info(ctx, "replication").Result()
		if err != nil {
			return err
		}
		if !strings.Contains(repl, "role:master") || !strings.Contains(repl, "connected_slaves:1") {
			return fmt.Errorf("master %s: no connected replica", addr)
		}
		return nil
	}
	return nil
}

// MasterAddr returns the current master's address as the first answering
// sentinel names it (Sentinel only).
func (s *Server) MasterAddr(ctx context.Context) (string, error) {
	var errs []error
	for _, sn := range s.Sentinels {
		if !sn.Running() {
			continue
		}
		c := redis.NewSentinelClient(&redis.Options{Addr: sn.Addr, MaxRetries: -1})
		a, err := c.GetMasterAddrByName(ctx, MasterName).Result()
		c.Close()
		if err == nil && len(a) == 2 {
			return net.JoinHostPort(a[0], a[1]), nil
		}
		errs = append(errs, err)
	}
	return "", fmt.Errorf("redistest: no sentinel names a master: %w", errors.Join(errs...))
}

// WaitFailover waits until key is served by a master other than old: every
// running sentinel names another master (Sentinel), or key's slot has
// another master (Cluster). Restart a killed master only after it: a
// master without persistence that comes back before the failover is done
// returns empty, may take writes, and loses them when it is made a replica
// (Redis's own documentation warns against auto-restarting such masters).
func (s *Server) WaitFailover(ctx context.Context, key string, old *Node, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if s.failedOver(ctx, key, old) {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("redistest: %s still masters %s after %v", old.Addr, key, timeout)
}

func (s *Server) failedOver(ctx context.Context, key string, old *Node) bool {
	if s.Kind != Sentinel {
		n, err := s.MasterOf(ctx, key)
		return err == nil && n != nil && n != old
	}
	for _, sn := range s.Sentinels {
		c := redis.NewSentinelClient(&redis.Options{Addr: sn.Addr, MaxRetries: -1})
		a, err := c.GetMasterAddrByName(ctx, MasterName).Result()
		c.Close()
		if err != nil || len(a) != 2 || net.JoinHostPort(a[0], a[1]) == old.Addr {
			return false
		}
	}
	return true
}

// Node returns the data node listening on addr, or nil.
func (s *Server) Node(addr string) *Node {
	for _, n := range s.Nodes {
		if n.Addr == addr {
			return n
		}
	}
	return nil
}

// MasterOf returns the data node that masters key now (Cluster: the slot's
// master; Sentinel: the master; Single: the node).
func (s *Server) MasterOf(ctx context.Context, key string) (*Node, error) {
	switch s.Kind {
	case Sentinel:
		addr, err := s.MasterAddr(ctx)
		if err != nil {
			return nil, err
		}
		return s.Node(addr), nil
	case Cluster:
		c := s.Client()
		defer c.Close()
		slot, err := c.ClusterKeySlot(ctx, key).Result()
		if err != nil {
			return nil, err
		}
		slots, err := c.ClusterSlots(ctx).Result()
		if err != nil {
			return nil, err
		}
		for _, r := range slots {
			if int64(r.Start) <= slot && slot <= int64(r.End) && len(r.Nodes) > 0 {
				return s.Node(r.Nodes[0].Addr), nil
			}
		}
		return nil, fmt.Errorf("redistest: no master for slot %d", slot)
	}
	return s.Nodes[0], nil
}

// Client returns a new client of the topology (a *redis.ClusterClient, a
// failover client or a plain one); the caller closes it.
func (s *Server) Client() redis.UniversalClient {
	c, err := NewClient(s.URL)
	if err != nil {
		panic(err) // the URL is ours
	}
	return c
}

// NewClient returns a client for a URL of the forms Server.URL takes (any
// form package redisurl parses).
func NewClient(url string) (redis.UniversalClient, error) {
	p, err := redisurl.Parse(url)
	if err != nil {
		return nil, err
	}
	return redisurl.NewClient(p), nil
}

// Keys returns every key matching pattern on every master of c.
func Keys(ctx context.Context, c redis.UniversalClient, pattern string) ([]string, error) {
	var (
		mu  sync.Mutex
		all []string
	)
	scan := func(ctx context.Context, n *redis.Client) error {
		var cursor uint64
		for {
			keys, next, err := n.Scan(ctx, cursor, pattern, 1000).Result()
			if err != nil {
				return err
			}
			mu.Lock()
			all = append(all, keys...)
			mu.Unlock()
			if cursor = next; cursor == 0 {
				return nil
			}
		}
	}
	var err error
	switch cc := c.(type) {
	case *redis.ClusterClient:
		err = cc.ForEachMaster(ctx, scan)
	case *redis.Client:
		err = scan(ctx, cc)
	default:
		return nil, fmt.Errorf("redistest: Keys: unsupported client %T", c)
	}
	return all, err
}
