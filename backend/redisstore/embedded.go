package redisstore

import (
	"crypto/rand"
	"fmt"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"legacygate/backend/redisstore/redisurl"
)

// openEmbedded starts the embedded, in-process Redis-protocol server
// (miniredis) on a random loopback port. Every connection must first AUTH
// with a secret drawn at random here and never written anywhere, so no
// other local process can read or change the store through that port.
func openEmbedded() (redis.UniversalClient, func() error, []zap.Field, error) {
	srv := miniredis.NewMiniRedis()
	secret := rand.Text() // 26 base32 characters, 130 random bits
	srv.RequireAuth(secret)
	if err := srv.StartAddr("127.0.0.1:0"); err != nil {
		return nil, nil, nil, fmt.Errorf("redisstore: open: starting embedded server: %w", err)
	}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), Password: secret, Protocol: redisurl.DefaultProtocol})
	closer := func() error {
		err := c.Close()
		srv.Close()
		return err
	}
	return c, closer, []zap.Field{zap.String("mode", "embedded"), zap.String("addr", srv.Addr()), zap.Bool("auth", true)}, nil
}
