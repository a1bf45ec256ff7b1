package codecs

import (
	"hash/maphash"
	"strconv"
	"testing"
)

func TestMemo(t *testing.T) {
	type key struct{ a, b string }
	m := NewMemo[key, int](func(seed maphash.Seed, k key) uint64 { return HashStrings(seed, k.a, k.b) })
	if _, ok := m.Get(key{"x", "y"}); ok {
		t.Fatal("empty memo has an entry")
	}
	m.Put(key{"x", "y"}, 1)
	m.Put(key{"xy", ""}, 2)
	tests := []struct {
		give   key
		want   int
		wantOK bool
	}{
		{key{"x", "y"}, 1, true},
		{key{"xy", ""}, 2, true},
		{key{"x", "y "}, 0, false},
		{key{"", "xy"}, 0, false},
	}
	for _, tt := range tests {
		if got, ok := m.Get(tt.give); got != tt.want || ok != tt.wantOK {
			t.Errorf("Get(%q) = %d, %v; want %d, %v", tt.give, got, ok, tt.want, tt.wantOK)
		}
	}
	// Unique keys beyond MemoSlots: never more than MemoSlots entries, and
	// whatever is found is right.
	for i := range 10 * MemoSlots {
		s := strconv.Itoa(i)
		m.Put(key{s, s}, i)
	}
	n := 0
	for i := range m.slots {
		if e := m.slots[i].Load(); e != nil {
			n++
			if want, _ := strconv.Atoi(e.key.a); e.val != want && e.key.a != "x" && e.key.a != "xy" {
				t.Errorf("slot %d: %+v", i, e)
			}
		}
	}
	if n > MemoSlots {
		t.Fatalf("%d entries", n)
	}
	for i := range 10 * MemoSlots {
		s := strconv.Itoa(i)
		if got, ok := m.Get(key{s, s}); ok && got != i {
			t.Fatalf("Get(%d) = %d", i, got)
		}
	}
}

// TestMemoDo: Do computes once per remembered key, and never remembers a
// key over MemoMaxKeyBytes.
func TestMemoDo(t *testing.T) {
	m := NewMemo[string, int](func(seed maphash.Seed, k string) uint64 { return HashStrings(seed, k) })
	calls := 0
	f := func() int { calls++; return calls }
	for _, c := range []struct {
		key       string
		want      int
		wantCalls int
	}{
		{"a", 1, 1},
		{"a", 1, 1}, // remembered
		{string(make([]byte, MemoMaxKeyBytes+1)), 2, 2},
		{string(make([]byte, MemoMaxKeyBytes+1)), 3, 3}, // too long: computed again
	} {
		if got := m.Do(c.key, len(c.key), f); got != c.want || calls != c.wantCalls {
			t.Errorf("Do(%d bytes) = %d after %d calls; want %d after %d", len(c.key), got, calls, c.want, c.wantCalls)
		}
	}
	if _, ok := m.Get(string(make([]byte, MemoMaxKeyBytes+1))); ok {
		t.Error("a key over MemoMaxKeyBytes was remembered")
	}
}
