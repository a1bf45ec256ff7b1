// Command floor is the reference server of the load benchmark: the least a
// registration endpoint can do with the same work the gateway cannot avoid.
//
// It answers POST /Account/Register with a minimal Echo handler that
// decodes the JSON body with encoding/json, hashes the password with
// argon2id (the gateway's parameters, or none with -hash=false), runs one
// Redis script that checks the name and email and stores the user, and
// writes the user back as JSON. It logs nothing. bench/run.sh starts it
// beside the gateway and compares the two.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/argon2"
)

// registerScript checks both unique keys and writes the user in one step:
// KEYS = seq, name, email, user hash; ARGV = user key suffix, hash fields.
var registerScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 'username' end
if redis.call('EXISTS', KEYS[3]) == 1 then return 'email' end
local id = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[4], 'id', id, unpack(ARGV, 2))
return id
`)

type registerRequest struct {
	Username        string
	Email           string
	PhoneNumber     *string
	Password        string
	ConfirmPassword string
	Name            *string
	Surname         *string
	PartnerID       int
}

type userDetail struct {
	ID          int64
	UserName    string
	Email       string
	Name        *string
	Surname     *string
	PartnerID   int
	PhoneNumber *string
	UserRoles   []string
}

type hashParams struct {
	on          bool
	memoryKiB   uint32
	iterations  uint32
	parallelism uint8
}

func (p hashParams) hash(password string) (string, error) {
	if !p.on {
		return "", nil
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.iterations, p.memoryKiB, p.parallelism, 32)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.memoryKiB, p.iterations, p.parallelism,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// server is the floor's one handler and what it needs.
type server struct {
	rdb    redis.UniversalClient
	prefix string
	params hashParams
	ids    func() string
}

func (s *server) register(c echo.Context) error {
	var req registerRequest
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return c.JSON(http.StatusBadRequest, map[string]string{"Message": "The request is invalid."})
	}
	if req.Username == "" || req.Email == "" || len(req.Password) < 4 || req.Password != req.ConfirmPassword {
		return c.JSON(http.StatusBadRequest, map[string]string{"Message": "The request is invalid."})
	}
	hash, err := s.params.hash(req.Password)
	if err != nil {
		return err
	}
	uid := s.ids()
	keys := []string{
		s.prefix + "seq",
		s.prefix + "name:" + strings.ToUpper(req.Username),
		s.prefix + "email:" + strings.ToUpper(req.Email),
		s.prefix + "user:" + uid,
	}
	res, err := registerScript.Run(c.Request().Context(), s.rdb, keys, uid,
		"username", req.Username, "email", req.Email, "password", hash, "created", time.Now().UTC().Format(time.RFC3339Nano)).Result()
	if err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"Message": "An error has occurred."})
	}
	id, ok := res.(int64)
	if !ok {
		return c.JSON(http.StatusBadRequest, map[string]string{"Message": fmt.Sprintf("%v is already taken.", res)})
	}
	return c.JSON(http.StatusOK, userDetail{ID: id, UserName: req.Username, Email: req.Email, Name: req.Name,
		Surname: req.Surname, PartnerID: req.PartnerID, PhoneNumber: req.PhoneNumber, UserRoles: []string{}})
}

func newServer(rdb redis.UniversalClient, prefix string, p hashParams) *echo.Echo {
	s := &server{rdb: rdb, prefix: prefix, params: p, ids: randomID}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/Account/Register", s.register)
	return e
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func main() {
	listen := flag.String("listen", "127.0.0.1:8090", "listen address")
	redisURL := flag.String("redis", "redis://127.0.0.1:6379", "Redis URL")
	prefix := flag.String("prefix", "floor:", "key prefix")
	hash := flag.Bool("hash", true, "hash the password with argon2id (false: the bare floor)")
	mem := flag.Uint("memory-kib", 19456, "argon2id memory in KiB")
	iter := flag.Uint("iterations", 2, "argon2id iterations")
	par := flag.Uint("parallelism", 1, "argon2id parallelism")
	flag.Parse()

	opt, err := redis.ParseURL(*redisURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(2)
	}
	rdb := redis.NewClient(opt)
	e := newServer(rdb, *prefix, hashParams{on: *hash, memoryKiB: uint32(*mem), iterations: uint32(*iter), parallelism: uint8(*par)})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Addr: *listen, Handler: e, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}
