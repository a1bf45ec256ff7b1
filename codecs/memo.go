package codecs

import (
	"hash/maphash"
	"sync/atomic"
)

// MemoSlots is the number of entries a Memo holds at most.
const MemoSlots = 256

// Memo is a fixed-size, lock-free cache of a pure function's results, for
// negotiation outcomes keyed by the request headers they depend on. Each
// key hashes to one slot; a Put replaces what the slot held. Memory is
// bounded by MemoSlots entries whatever the keys: a stream of unique
// (attacker) headers only evicts, costing the uncached path, never growth.
// Do bounds the keys it remembers by size (MemoMaxKeyBytes).
type Memo[K comparable, V any] struct {
	seed  maphash.Seed
	hash  func(maphash.Seed, K) uint64
	slots [MemoSlots]atomic.Pointer[memoEntry[K, V]]
}

type memoEntry[K comparable, V any] struct {
	key K
	val V
}

// NewMemo returns an empty Memo hashing keys with hash (which must hash
// what == compares).
func NewMemo[K comparable, V any](hash func(maphash.Seed, K) uint64) *Memo[K, V] {
	return &Memo[K, V]{seed: maphash.MakeSeed(), hash: hash}
}

func (m *Memo[K, V]) slot(k K) *atomic.Pointer[memoEntry[K, V]] {
	return &m.slots[m.hash(m.seed, k)%MemoSlots]
}

// Get returns the value stored for k.
func (m *Memo[K, V]) Get(k K) (V, bool) {
	if e := m.slot(k).Load(); e != nil && e.key == k {
		return e.val, true
	}
	var zero V
	return zero, false
}

// Put stores v for k.
func (m *Memo[K, V]) Put(k K, v V) {
	m.slot(k).Store(&memoEntry[K, V]{key: k, val: v})
}

// MemoMaxKeyBytes bounds the bytes of a key Do remembers: a longer key is
// computed every time, so no entry pins a large (attacker) string.
const MemoMaxKeyBytes = 512

// Do returns the value remembered for k, or computes it with f and
// remembers it. keyBytes is the size of k's strings; a key over
// MemoMaxKeyBytes is never remembered.
func (m *Memo[K, V]) Do(k K, keyBytes int, f func() V) V {
	if keyBytes > MemoMaxKeyBytes {
		return f()
	}
	if v, ok := m.Get(k); ok {
		return v
	}
	v := f()
	m.Put(k, v)
	return v
}

// HashStrings hashes ss in order; a helper for Memo hash functions.
func HashStrings(seed maphash.Seed, ss ...string) uint64 {
	var h uint64
	for _, s := range ss {
		h = (h^maphash.String(seed, s))*0x100000001b3 + uint64(len(s))
	}
	return h
}
