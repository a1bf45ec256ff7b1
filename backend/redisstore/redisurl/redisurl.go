// Package redisurl turns the one `redis.url` setting into a go-redis
// client. The options are parsed by go-redis's own functions
// ([redis.ParseURL], [redis.ParseClusterURL], [redis.ParseFailoverURL]);
// this package only picks which one from the scheme and words the errors
// without echoing the URL (it may hold a password).
//
// The forms:
//
//	redis://[user:password@]host:port[/db][?option=value…]           one node
//	rediss://…                                                       one node over TLS
//	unix:///path/to/socket[?db=N]                                    one node, Unix socket
//	redis+cluster://[user:password@]host:port?addr=host:port&addr=…  Redis Cluster seeds
//	rediss+cluster://…                                               Cluster over TLS
//	redis+sentinel://[user:password@]host:port?master_name=NAME&addr=host:port&addr=…[&username=U&password=P]
//	rediss+sentinel://…                                              Sentinel over TLS
//	host:port[,host:port…]                                           Cluster seeds (no auth, no TLS)
//
// For Sentinel, the user information in the URL authenticates to the
// sentinels; the master's own credentials are the username and password
// query parameters (as go-redis reads them). Query options are go-redis's
// (dial_timeout, read_timeout, pool_size, max_retries, …); an unknown one
// is an error.
//
// Clients speak RESP2 unless the URL says protocol=3. go-redis defaults to
// RESP3, and on a RESP3 connection (go-redis v9.23.0, redis.go,
// processPendingPushNotificationWithReader and processPushNotifications)
// it peeks the reader for push notifications before every reply it reads
// and may peek the socket when a connection is checked out or returned: a
// cost on every command, for notifications (client-side caching
// invalidations, maintenance events, pub/sub in RESP3) the gateway never
// asks for. With Protocol 2 those paths return at once (they test
// Options.Protocol != 3 first) and the pool is built with push
// notifications off (options.go, PushNotificationsEnabled: opt.Protocol ==
// 3).
package redisurl

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Kind is the topology a URL names.
type Kind string

// The kinds.
const (
	Single   Kind = "single"
	Cluster  Kind = "cluster"
	Sentinel Kind = "sentinel"
)

// Parsed is a parsed URL: exactly one of the option pointers is set.
type Parsed struct {
	Kind     Kind
	Single   *redis.Options
	Cluster  *redis.ClusterOptions
	Failover *redis.FailoverOptions
}

// Addrs returns the addresses the URL names (the node, the seeds or the
// sentinels), for logs.
func (p Parsed) Addrs() []string {
	switch p.Kind {
	case Cluster:
		return p.Cluster.Addrs
	case Sentinel:
		return p.Failover.SentinelAddrs
	}
	return []string{p.Single.Addr}
}

// TLS reports whether the URL asks for TLS.
func (p Parsed) TLS() bool {
	switch p.Kind {
	case Cluster:
		return p.Cluster.TLSConfig != nil
	case Sentinel:
		return p.Failover.TLSConfig != nil
	}
	return p.Single.TLSConfig != nil
}

// DefaultProtocol is the RESP version of a URL without protocol=: 2, see
// the package documentation.
const DefaultProtocol = 2

// Parse parses u. Its errors name the form that failed and what go-redis
// objected to, with the URL itself left out.
func Parse(u string) (Parsed, error) {
	p, err := parse(u)
	if err != nil {
		return p, err
	}
	switch p.Kind {
	case Cluster:
		p.Cluster.Protocol = orDefault(p.Cluster.Protocol)
	case Sentinel:
		p.Failover.Protocol = orDefault(p.Failover.Protocol)
	default:
		p.Single.Protocol = orDefault(p.Single.Protocol)
	}
	return p, nil
}

func orDefault(protocol int) int {
	if protocol == 0 {
		return DefaultProtocol
	}
	return protocol
}

func parse(u string) (Parsed, error) {
	scheme, rest, hasScheme := strings.Cut(u, "://")
	if !hasScheme {
		seeds, err := parseSeeds(u)
		if err != nil {
			return Parsed{}, err
		}
		return Parsed{Kind: Cluster, Cluster: &redis.ClusterOptions{Addrs: seeds}}, nil
	}
	switch scheme {
	case "redis", "rediss", "unix":
		o, err := redis.ParseURL(u)
		if err != nil {
			return Parsed{}, explain(scheme, err)
		}
		return Parsed{Kind: Single, Single: o}, nil
	case "redis+cluster", "rediss+cluster":
		base := strings.TrimSuffix(scheme, "+cluster")
		o, err := redis.ParseClusterURL(base + "://" + rest)
		if err != nil {
			return Parsed{}, explain(scheme, err)
		}
		return Parsed{Kind: Cluster, Cluster: o}, nil
	case "redis+sentinel", "rediss+sentinel":
		base := strings.TrimSuffix(scheme, "+sentinel")
		o, err := redis.ParseFailoverURL(base + "://" + rest)
		if err != nil {
			return Parsed{}, explain(scheme, err)
		}
		if o.MasterName == "" {
			return Parsed{}, fmt.Errorf("redisurl: %s:// URL without master_name=<the name the sentinels monitor>", scheme)
		}
		return Parsed{Kind: Sentinel, Failover: o}, nil
	}
	return Parsed{}, fmt.Errorf("redisurl: unknown scheme %q: want redis, rediss, unix, redis+cluster, rediss+cluster, redis+sentinel or rediss+sentinel", scheme)
}

// explain words a go-redis parse error without the URL. go-redis's own
// messages name the problem (an unknown option, a bad database number) but
// url.Parse's quote the whole URL, password included.
func explain(scheme string, err error) error {
	msg := err.Error()
	var uerr *url.Error
	if errors.As(err, &uerr) || strings.Contains(msg, "://") {
		msg = "malformed URL (check the host, port and percent-encoding of the user and password)"
	}
	return fmt.Errorf("redisurl: %s:// URL: %s", scheme, strings.TrimPrefix(msg, "redis: "))
}

// parseSeeds splits "host:port,host:port" into addresses.
func parseSeeds(s string) ([]string, error) {
	var seeds []string
	for seed := range strings.SplitSeq(s, ",") {
		seed = strings.TrimSpace(seed)
		host, port, err := net.SplitHostPort(seed)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			// Not quoted: a mistyped URL may carry a password.
			return nil, fmt.Errorf("redisurl: Redis address: item %d is not host:port, and the whole is not a redis://, rediss://, unix://, redis+cluster:// or redis+sentinel:// URL", len(seeds)+1)
		}
		seeds = append(seeds, seed)
	}
	return seeds, nil
}

// NewClient returns a client for p: a *redis.Client (Single), a
// *redis.ClusterClient (Cluster) or a failover *redis.Client (Sentinel).
// Without TLS its connections come from a dialer that spares the pool's
// checkout health check its system call while they are busy (see
// [PeekAfterIdle]); TLS connections are left to go-redis, whose health
// check never looks beneath crypto/tls (go-redis v9.23.0,
// internal/pool/conn_check.go connCheck).
func NewClient(p Parsed) redis.UniversalClient {
	switch p.Kind {
	case Cluster:
		if p.Cluster.TLSConfig == nil && p.Cluster.Dialer == nil {
			p.Cluster.Dialer = dialer(p.Cluster.DialTimeout)
		}
		return redis.NewClusterClient(p.Cluster)
	case Sentinel:
		// The dialer reaches the sentinels and, through go-redis's
		// masterReplicaDialer (sentinel.go), the master.
		if p.Failover.TLSConfig == nil && p.Failover.Dialer == nil {
			p.Failover.Dialer = dialer(p.Failover.DialTimeout)
		}
		return redis.NewFailoverClient(p.Failover)
	}
	if p.Single.TLSConfig == nil && p.Single.Dialer == nil {
		p.Single.Dialer = dialer(p.Single.DialTimeout)
	}
	return redis.NewClient(p.Single)
}
