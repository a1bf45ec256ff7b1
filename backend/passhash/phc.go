package passhash

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// ErrMalformed is wrapped by every error about a PHC string that cannot be
// parsed or whose parameters are out of bounds.
var ErrMalformed = errors.New("passhash: malformed PHC string")

// Bounds on parameters, both for configured [Params] and for parameters read
// back from a PHC string. They keep a corrupt or hostile record from making
// Verify allocate gigabytes or spin for hours.
const (
	minSaltLen    = 8
	maxSaltLen    = 64
	minKeyLen     = 16
	maxKeyLen     = 64
	maxMemoryKiB  = 4 << 20 // 4 GiB
	maxIterations = 1024
	// maxPHCLen bounds the input to the parser: the longest valid string is
	// well under 200 bytes.
	maxPHCLen = 512
)

const (
	algorithm = "argon2id"
	prefix    = "$" + algorithm + "$v=19$"
)

var b64 = base64.RawStdEncoding.Strict()

// Params are the argon2id cost parameters and output sizes.
type Params struct {
	// MemoryKiB is the memory cost in KiB (m).
	MemoryKiB uint32
	// Iterations is the number of passes over the memory (t).
	Iterations uint32
	// Parallelism is the number of lanes (p).
	Parallelism uint8
	// SaltLen is the length of the random salt in bytes.
	SaltLen uint32
	// KeyLen is the length of the derived hash in bytes.
	KeyLen uint32
}

// DefaultParams returns the OWASP Password Storage Cheat Sheet baseline for
// argon2id: m=19456 KiB (19 MiB), t=2, p=1, with a 16-byte salt and a 32-byte
// hash.
func DefaultParams() Params {
	return Params{MemoryKiB: 19456, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}
}

// Validate reports whether p can be used for hashing: Iterations in
// [1, 1024], Parallelism at least 1, MemoryKiB in [8×Parallelism, 4 GiB],
// SaltLen in [8, 64] and KeyLen in [16, 64].
func (p Params) Validate() error {
	if err := p.validateCost(); err != nil {
		return fmt.Errorf("passhash: invalid params: %w", err)
	}
	if p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen {
		return fmt.Errorf("passhash: invalid params: salt length %d out of range [%d, %d]", p.SaltLen, minSaltLen, maxSaltLen)
	}
	if p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen {
		return fmt.Errorf("passhash: invalid params: key length %d out of range [%d, %d]", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

func (p Params) validateCost() error {
	if p.Iterations < 1 || p.Iterations > maxIterations {
		return fmt.Errorf("iterations %d out of range [1, %d]", p.Iterations, maxIterations)
	}
	if p.Parallelism < 1 {
		return errors.New("parallelism must be at least 1")
	}
	if p.MemoryKiB < 8*uint32(p.Parallelism) || p.MemoryKiB > maxMemoryKiB {
		return fmt.Errorf("memory %d KiB out of range [%d, %d]", p.MemoryKiB, 8*uint32(p.Parallelism), maxMemoryKiB)
	}
	return nil
}

// hashPassword derives a new PHC string for pw. p must be valid.
func hashPassword(pw []byte, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("passhash: reading salt: %w", err)
	}
	key := argon2.IDKey(pw, salt, p.Iterations, p.MemoryKiB, p.Parallelism, p.KeyLen)
	return encode(p, salt, key), nil
}

// verifyPassword reports whether pw matches phc, in time independent of
// where the derived keys differ.
func verifyPassword(pw []byte, phc string) (bool, error) {
	p, salt, key, err := parse(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey(pw, salt, p.Iterations, p.MemoryKiB, p.Parallelism, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func encode(p Params, salt, key []byte) string {
	var b strings.Builder
	b.Grow(len(prefix) + 40 + b64.EncodedLen(len(salt)) + b64.EncodedLen(len(key)))
	b.WriteString(prefix)
	b.WriteString("m=")
	b.WriteString(strconv.FormatUint(uint64(p.MemoryKiB), 10))
	b.WriteString(",t=")
	b.WriteString(strconv.FormatUint(uint64(p.Iterations), 10))
	b.WriteString(",p=")
	b.WriteString(strconv.FormatUint(uint64(p.Parallelism), 10))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(salt))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(key))
	return b.String()
}

// parse splits a PHC string into its parameters, salt and hash. The
// returned Params has SaltLen and KeyLen set from the decoded lengths.
func parse(phc string) (Params, []byte, []byte, error) {
	var p Params
	if len(phc) > maxPHCLen {
		return p, nil, nil, fmt.Errorf("%w: longer than %d bytes", ErrMalformed, maxPHCLen)
	}
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, fmt.Errorf("%w: want 5 '$'-separated fields", ErrMalformed)
	}
	if parts[1] != algorithm {
		return p, nil, nil, fmt.Errorf("%w: algorithm is not %s", ErrMalformed, algorithm)
	}
	if parts[2] != "v=19" {
		return p, nil, nil, fmt.Errorf("%w: unsupported version", ErrMalformed)
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, fmt.Errorf("%w: want parameters m,t,p", ErrMalformed)
	}
	m, err := param(kv[0], "m=", 32)
	if err != nil {
		return p, nil, nil, err
	}
	t, err := param(kv[1], "t=", 32)
	if err != nil {
		return p, nil, nil, err
	}
	par, err := param(kv[2], "p=", 8)
	if err != nil {
		return p, nil, nil, err
	}
	p.MemoryKiB, p.Iterations, p.Parallelism = uint32(m), uint32(t), uint8(par)
	if err := p.validateCost(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	salt, err := decodeB64(parts[4])
	if err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, nil, nil, fmt.Errorf("%w: bad salt", ErrMalformed)
	}
	key, err := decodeB64(parts[5])
	if err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return p, nil, nil, fmt.Errorf("%w: bad hash", ErrMalformed)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// decodeB64 decodes unpadded standard base64, rejecting the '\r' and '\n'
// that encoding/base64 silently skips, so every accepted string has a
// single spelling.
func decodeB64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return nil, errors.New("invalid base64 character")
		}
	}
	return b64.DecodeString(s)
}

// param parses "<name><decimal>" in canonical form (no sign, no leading
// zero).
func param(s, name string, bits int) (uint64, error) {
	digits, ok := strings.CutPrefix(s, name)
	if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') || digits[0] == '+' {
		return 0, fmt.Errorf("%w: bad parameter %q", ErrMalformed, name[:1])
	}
	v, err := strconv.ParseUint(digits, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%w: bad parameter %q", ErrMalformed, name[:1])
	}
	return v, nil
}

// NeedsRehash reports whether phc should be replaced by a fresh hash made
// with p: it is malformed, or any of its parameters (memory, iterations,
// parallelism, salt or hash length) differ from p. Call it after a successful
// verify and store the new hash if it returns true.
func NeedsRehash(phc string, p Params) bool {
	got, _, _, err := parse(phc)
	return err != nil || got != p
}
