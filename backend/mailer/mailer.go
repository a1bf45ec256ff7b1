package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"net/mail"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"legacygate/backend/redisstore"
)

// Config configures a Mailer. Zero values take the defaults named below.
type Config struct {
	// Prefix is the store's key prefix (redisstore.Options.Prefix).
	Prefix string
	// Realms lists the realms whose outboxes are read:
	// <Prefix>{<realm>}:outbox for each.
	Realms []string
	// Group is the consumer group; default "mailer". Every mailer of a
	// deployment uses the same group, so each entry is sent by one of them.
	Group string
	// Consumer names this mailer within the group; default
	// "<hostname>-<pid>". It must differ between concurrent mailers.
	Consumer string

	SMTP SMTPConfig

	// MaxAttempts is the number of deliveries after which an entry that
	// the server refused permanently (5xx) goes to the dead-letter stream;
	// default 8. Transient failures (no connection, timeouts, TLS errors,
	// 4xx) are retried until the entry is MaxAge old.
	MaxAttempts int
	// BackoffBase and BackoffMax shape the wait before retry n:
	// BackoffBase·2^(n-1), at most BackoffMax; defaults 1s and 5m.
	BackoffBase, BackoffMax time.Duration
	// StaleAfter is how long another consumer's entry must have been idle
	// before this one takes it over (the other consumer crashed or
	// stopped); default 2·SMTP.Timeout. It must exceed SMTP.Timeout, which
	// bounds an attempt, so an entry is never taken from a consumer still
	// sending it.
	StaleAfter time.Duration
	// MaxAge is the age (from the entry's stream id) after which an
	// undelivered entry goes to the dead-letter stream instead of being
	// sent; default 24h.
	MaxAge time.Duration
	// SentTTL is how long the "sent" marker of an entry is kept; default
	// 72h, at least MaxAge.
	SentTTL time.Duration
	// BlockTimeout is the longest XREADGROUP BLOCK; it bounds how long Run
	// takes to return once ctx is done. Default 2s.
	BlockTimeout time.Duration
	// DeadMaxLen caps each dead-letter stream (MAXLEN ~); default 100000.
	DeadMaxLen int64

	// OnResult, when set, is told each delivery outcome: realm and
	// "sent", "retry", "dead" or "duplicate" (already sent before); for
	// metrics. It must not block.
	OnResult func(realm, result string)

	// Templates, when set, overlays the embedded templates: a file here
	// hides the embedded file of the same path. Layout:
	// <template>/<language>.txt.
	Templates fs.FS
	// Hosts holds the hosts' own templates (from their bundles), in the
	// same layout, below Templates and above the generic defaults.
	Hosts fs.FS
}

// Mailer delivers the emails of the outbox entries Register appends. It is
// safe to run several, in one process or many, on the same group.
type Mailer struct {
	client    redis.UniversalClient
	cfg       Config
	log       *zap.Logger
	tmpl      *templates
	from      *mail.Address
	idDomain  string
	helloName string
	tlsConfig *tls.Config
	now       func() time.Time
	running   atomic.Bool
}

// New checks cfg, fills in its defaults and returns a Mailer. It does not
// own client. A nil log means no logging.
func New(client redis.UniversalClient, cfg Config, log *zap.Logger) (*Mailer, error) {
	if client == nil {
		return nil, errors.New("mailer: nil Redis client")
	}
	if log == nil {
		log = zap.NewNop()
	}
	if len(cfg.Realms) == 0 {
		return nil, errors.New("mailer: no realms")
	}
	cfg.Realms = slices.Clone(cfg.Realms)
	slices.Sort(cfg.Realms)
	cfg.Realms = slices.Compact(cfg.Realms)
	for _, r := range cfg.Realms {
		if r == "" || strings.ContainsAny(r, "{}") {
			return nil, fmt.Errorf("mailer: invalid realm %q", r)
		}
	}
	if cfg.Group == "" {
		cfg.Group = "mailer"
	}
	if cfg.Consumer == "" {
		host, _ := os.Hostname()
		if host == "" {
			host = "mailer"
		}
		cfg.Consumer = host + "-" + strconv.Itoa(os.Getpid())
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	s := &cfg.SMTP
	def(&s.Timeout, 30*time.Second)
	def(&cfg.BackoffBase, time.Second)
	def(&cfg.BackoffMax, 5*time.Minute)
	def(&cfg.StaleAfter, 2*s.Timeout)
	def(&cfg.MaxAge, 24*time.Hour)
	def(&cfg.SentTTL, 72*time.Hour)
	def(&cfg.BlockTimeout, 2*time.Second)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.DeadMaxLen <= 0 {
		cfg.DeadMaxLen = 100000
	}
	if cfg.BackoffMax < cfg.BackoffBase {
		cfg.BackoffMax = cfg.BackoffBase
	}
	if cfg.StaleAfter <= s.Timeout {
		return nil, errors.New("mailer: StaleAfter must exceed SMTP.Timeout")
	}
	if cfg.SentTTL < cfg.MaxAge {
		return nil, errors.New("mailer: SentTTL must be at least MaxAge")
	}

	if s.Host == "" || s.Port <= 0 || s.Port > 65535 {
		return nil, errors.New("mailer: SMTP host and port are required")
	}
	if s.Security == "" {
		s.Security = SecurityStartTLS
	}
	switch s.Security {
	case SecurityNone, SecurityStartTLS, SecurityTLS:
	default:
		return nil, fmt.Errorf("mailer: SMTP security %q is not none, starttls or tls", s.Security)
	}
	if s.Username != "" && s.Security == SecurityNone && !s.AllowInsecureAuth {
		return nil, errors.New("mailer: SMTP username without TLS: set security starttls or tls, or allow insecure auth")
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return nil, fmt.Errorf("mailer: SMTP from address: %w", err)
	}
	m := &Mailer{client: client, cfg: cfg, log: log, from: from, idDomain: fromDomain(from.Address), now: time.Now}
	m.helloName = s.HelloName
	if m.helloName == "" {
		m.helloName, _ = os.Hostname()
		if m.helloName == "" || strings.ContainsAny(m.helloName, " \r\n") {
			m.helloName = "localhost"
		}
	}
	if s.TLSConfig != nil {
		m.tlsConfig = s.TLSConfig.Clone()
	} else {
		m.tlsConfig = &tls.Config{}
	}
	if m.tlsConfig.ServerName == "" {
		m.tlsConfig.ServerName = s.Host
	}
	if m.tlsConfig.MinVersion == 0 {
		m.tlsConfig.MinVersion = tls.VersionTLS12
	}
	if m.tmpl, err = newTemplates(cfg.Templates, cfg.Hosts); err != nil {
		return nil, err
	}
	return m, nil
}

// Run delivers outbox entries until ctx is done, then returns nil. It
// creates the consumer group of each outbox (reading from the start of the
// stream, which it creates if missing) when the group does not exist. Redis
// and SMTP failures are logged and retried, never returned. An attempt in
// progress when ctx ends is abandoned (the connection is closed before the
// server can accept the message) and retried later by some mailer.
func (m *Mailer) Run(ctx context.Context) error {
	if !m.running.CompareAndSwap(false, true) {
		return errors.New("mailer: Run called twice")
	}
	defer m.running.Store(false)
	m.log.Info("mailer: started",
		zap.Strings("realms", m.cfg.Realms), zap.String("group", m.cfg.Group),
		zap.String("consumer", m.cfg.Consumer), zap.Stringer("smtp", m.cfg.SMTP))
	var wg sync.WaitGroup
	for _, realm := range m.cfg.Realms {
		w := &worker{
			m:      m,
			realm:  realm,
			stream: redisstore.OutboxKey(m.cfg.Prefix, realm),
			log:    m.log.With(zap.String("realm", realm)),
		}
		wg.Go(func() { w.run(ctx) })
	}
	wg.Wait()
	m.log.Info("mailer: stopped", zap.String("consumer", m.cfg.Consumer))
	return nil
}

// backoff is the wait after the n-th delivery failed.
func (m *Mailer) backoff(n int64) time.Duration {
	d := m.cfg.BackoffBase
	for i := int64(1); i < n && d < m.cfg.BackoffMax; i++ {
		d *= 2
	}
	return min(d, m.cfg.BackoffMax)
}

// worker serves one realm's outbox.
type worker struct {
	m      *Mailer
	realm  string
	stream string
	log    *zap.Logger
	ready  bool          // the group exists
	pause  time.Duration // after a Redis error; 0 after a success
}

// maxRetriesPerRound bounds the pending entries retried before new entries
// get their turn.
const maxRetriesPerRound = 16

func (w *worker) run(ctx context.Context) {
	cfg := &w.m.cfg
	for ctx.Err() == nil {
		if !w.ready {
			err := w.m.client.XGroupCreateMkStream(ctx, w.stream, cfg.Group, "0").Err()
			if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
				w.redisError(ctx, "creating the consumer group", err)
				continue
			}
			w.ready = true
			w.prune(ctx)
		}
		wait, err := w.retryDue(ctx)
		if err != nil {
			w.redisError(ctx, "retrying pending entries", err)
			continue
		}
		if ctx.Err() != nil {
			return
		}
		block := max(min(wait, cfg.BlockTimeout), time.Millisecond)
		res, err := w.m.client.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: cfg.Group, Consumer: cfg.Consumer,
			Streams: []string{w.stream, ">"}, Count: 1, Block: block,
		}).Result()
		if errors.Is(err, redis.Nil) {
			w.pause = 0
			continue
		}
		if err != nil {
			w.redisError(ctx, "reading new entries", err)
			continue
		}
		w.pause = 0
		for _, s := range res {
			for _, msg := range s.Messages {
				w.process(ctx, msg, 1)
			}
		}
	}
}

// pruneIdle is how long a consumer without pending entries must have been
// idle before prune deletes it.
const pruneIdle = 24 * time.Hour

// prune deletes consumers left by mailers that are gone (the default
// consumer name changes with every process): those idle for a day with no
// pending entries, whose deletion loses nothing.
func (w *worker) prune(ctx context.Context) {
	cfg := &w.m.cfg
	consumers, err := w.m.client.XInfoConsumers(ctx, w.stream, cfg.Group).Result()
	if err != nil {
		w.log.Debug("mailer: listing consumers", zap.Error(err))
		return
	}
	for _, c := range consumers {
		if c.Name == cfg.Consumer || c.Pending != 0 || c.Idle < pruneIdle {
			continue
		}
		if err := w.m.client.XGroupDelConsumer(ctx, w.stream, cfg.Group, c.Name).Err(); err != nil {
			w.log.Debug("mailer: deleting an idle consumer", zap.String("consumer", c.Name), zap.Error(err))
			continue
		}
		w.log.Info("mailer: deleted an idle consumer", zap.String("consumer", c.Name), zap.Duration("idle", c.Idle))
	}
}

// redisError logs err and waits, longer each time in a row, unless ctx is
// done.
func (w *worker) redisError(ctx context.Context, what string, err error) {
	if ctx.Err() != nil {
		return
	}
	if strings.HasPrefix(err.Error(), "NOGROUP") {
		w.ready = false // deleted under us: create it again
	}
	w.pause = min(max(2*w.pause, 100*time.Millisecond), 5*time.Second)
	w.log.Warn("mailer: Redis error", zap.String("while", what), zap.Error(err), zap.Duration("pause", w.pause))
	sleep(ctx, w.pause)
}

// retryDue claims and processes pending entries whose wait is over: this
// consumer's own after backoff(deliveries), another's after StaleAfter as
// well. XCLAIM with that idle time as its minimum lets one mailer only win
// each entry. It returns how long until the next pending entry is due.
func (w *worker) retryDue(ctx context.Context) (time.Duration, error) {
	cfg := &w.m.cfg
	wait := cfg.BlockTimeout
	start := "-"
	done := 0
	for {
		pending, err := w.m.client.XPendingExt(ctx, &redis.XPendingExtArgs{
			Stream: w.stream, Group: cfg.Group, Start: start, End: "+", Count: 100,
		}).Result()
		if err != nil {
			return 0, err
		}
		for _, p := range pending {
			due := w.m.backoff(p.RetryCount)
			if p.Consumer != cfg.Consumer {
				due = max(due, cfg.StaleAfter)
			}
			if p.Idle < due {
				wait = min(wait, due-p.Idle)
				continue
			}
			claimed, err := w.m.client.XClaim(ctx, &redis.XClaimArgs{
				Stream: w.stream, Group: cfg.Group, Consumer: cfg.Consumer,
				MinIdle: due, Messages: []string{p.ID},
			}).Result()
			if err != nil {
				return 0, err
			}
			if len(claimed) == 0 {
				continue // another mailer was faster, or the entry was trimmed
			}
			if p.Consumer != cfg.Consumer {
				w.log.Info("mailer: took over a stalled entry", zap.String("entry", p.ID),
					zap.String("from", p.Consumer), zap.Duration("idle", p.Idle))
			}
			w.process(ctx, claimed[0], p.RetryCount+1)
			if done++; done >= maxRetriesPerRound || ctx.Err() != nil {
				return 0, nil
			}
		}
		if len(pending) < 100 {
			return wait, nil
		}
		start = "(" + pending[len(pending)-1].ID
	}
}

// process tries to deliver one entry, its deliveries-th delivery, and
// acknowledges it once the server accepted it, or dead-letters it. It
// leaves it pending on a failure to be retried.
func (w *worker) process(ctx context.Context, msg redis.XMessage, deliveries int64) {
	m := w.m
	cfg := &m.cfg
	log := w.log.With(zap.String("entry", msg.ID), zap.Int64("delivery", deliveries))
	fields := make(map[string]string, len(msg.Values))
	for k, v := range msg.Values {
		s, _ := v.(string)
		fields[k] = s
	}
	if fields[redisstore.OutboxUser] != "" {
		log = log.With(zap.String("user", fields[redisstore.OutboxUser]))
	}

	marker := w.sentKey(msg.ID)
	sent, err := m.client.Exists(ctx, marker).Result()
	if err != nil {
		log.Warn("mailer: checking the sent marker; left pending", zap.Error(err))
		return
	}
	if sent == 1 {
		w.finish(ctx, log, msg.ID, "")
		w.result("duplicate")
		log.Info("mailer: entry was already sent; acknowledged")
		return
	}

	now := m.now()
	if ms, ok := entryTime(msg.ID); ok && now.Sub(ms) > cfg.MaxAge {
		w.deadLetter(ctx, log, msg.ID, fields, deliveries, errors.New("expired: the entry is older than MaxAge"))
		return
	}
	email, err := m.compose(fields, msg.ID, now)
	if err != nil {
		w.deadLetter(ctx, log, msg.ID, fields, deliveries, err)
		return
	}
	err = m.send(ctx, email)
	if err == nil {
		w.finish(ctx, log, msg.ID, marker)
		w.result("sent")
		log.Info("mailer: sent", zap.String("template", fields[FieldTemplate]), zap.String("language", fields[FieldLanguage]))
		log.Debug("mailer: recipient", zap.String("to", email.to))
		return
	}
	if ctx.Err() != nil {
		log.Info("mailer: stopping; attempt abandoned, entry left pending", zap.Error(err))
		return
	}
	if permanentSMTP(err) && deliveries >= int64(cfg.MaxAttempts) {
		w.deadLetter(ctx, log, msg.ID, fields, deliveries, err)
		return
	}
	w.result("retry")
	log.Warn("mailer: delivery failed; will retry", zap.Error(err),
		zap.Bool("permanent", permanentSMTP(err)), zap.Duration("retry_in", m.backoff(deliveries)))
}

// result tells Config.OnResult an outcome.
func (w *worker) result(r string) {
	if f := w.m.cfg.OnResult; f != nil {
		f(w.realm, r)
	}
}

// sentKey is the marker of an entry the server accepted.
func (w *worker) sentKey(id string) string { return w.stream + ":sent:" + id }

// deadKey is the realm's dead-letter stream.
func (w *worker) deadKey() string { return w.stream + ":dead" }

// finish acknowledges an entry, with its sent marker when marker is set,
// in one MULTI: an accepted email is not sent again, even if the group is
// recreated and the stream read anew. After the server accepted the email,
// acknowledging is worth retrying, past ctx's end too, for a while.
func (w *worker) finish(ctx context.Context, log *zap.Logger, id, marker string) {
	cfg := &w.m.cfg
	pause := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_, err := w.m.client.TxPipelined(c, func(p redis.Pipeliner) error {
			if marker != "" {
				p.SetNX(c, marker, cfg.Consumer, cfg.SentTTL)
			}
			p.XAck(c, w.stream, cfg.Group, id)
			return nil
		})
		cancel()
		if err == nil {
			return
		}
		if ctx.Err() != nil || attempt >= 20 {
			log.Error("mailer: could not acknowledge an accepted email; it may be sent again", zap.Error(err))
			return
		}
		log.Warn("mailer: acknowledging failed; retrying", zap.Error(err))
		sleep(ctx, pause)
		pause = min(2*pause, 2*time.Second)
	}
}

// deadLetter moves an entry to the dead-letter stream: the entry's fields
// (sorted by name), then dead_outbox_id, dead_error, dead_deliveries,
// dead_consumer, dead_at; and acknowledges it, in one MULTI.
func (w *worker) deadLetter(ctx context.Context, log *zap.Logger, id string, fields map[string]string, deliveries int64, cause error) {
	w.result("dead")
	cfg := &w.m.cfg
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	values := make([]any, 0, 2*len(fields)+10)
	for _, k := range names {
		values = append(values, k, fields[k])
	}
	values = append(values,
		"dead_outbox_id", id,
		"dead_error", cause.Error(),
		"dead_deliveries", strconv.FormatInt(deliveries, 10),
		"dead_consumer", cfg.Consumer,
		"dead_at", w.m.now().UTC().Format(time.RFC3339Nano),
	)
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, err := w.m.client.TxPipelined(c, func(p redis.Pipeliner) error {
		p.XAdd(c, &redis.XAddArgs{Stream: w.deadKey(), MaxLen: cfg.DeadMaxLen, Approx: true, Values: values})
		p.XAck(c, w.stream, cfg.Group, id)
		return nil
	})
	if err != nil {
		log.Warn("mailer: dead-lettering failed; left pending", zap.Error(err), zap.NamedError("cause", cause))
		return
	}
	log.Error("mailer: entry dead-lettered", zap.String("dead_stream", w.deadKey()), zap.NamedError("cause", cause))
}

// entryTime returns the time in a stream id "<ms>-<seq>".
func entryTime(id string) (time.Time, bool) {
	ms, _, ok := strings.Cut(id, "-")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(n), true
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
