package codecs

import (
	"testing"
	"time"
)

func TestAppendISOTime(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+30*60)
	nst := time.FixedZone("NST", -(3*3600 + 30*60))
	lmt := time.FixedZone("LMT", -(75)) // -00:01:15, a historical offset with seconds
	base := time.Date(2026, 3, 21, 11, 24, 12, 916396700, time.UTC)
	tests := []struct {
		name string
		give time.Time
		kind TimeKind
		want string
	}{
		{"utc full fraction", base, UTC, "2026-03-21T11:24:12.9163967Z"},
		{"local on utc server", base, Local, "2026-03-21T11:24:12.9163967+00:00"},
		{"unspecified", base, Unspecified, "2026-03-21T11:24:12.9163967"},
		{"offset zero never Z", base, Offset, "2026-03-21T11:24:12.9163967+00:00"},
		{"offset positive half hour", base.In(ist), Offset, "2026-03-21T16:54:12.9163967+05:30"},
		{"offset negative", base.In(nst), Offset, "2026-03-21T07:54:12.9163967-03:30"},
		{"local in zone", base.In(ist), Local, "2026-03-21T16:54:12.9163967+05:30"},
		{"utc converts from zone", base.In(ist), UTC, "2026-03-21T11:24:12.9163967Z"},
		{"unspecified keeps wall clock", base.In(nst), Unspecified, "2026-03-21T07:54:12.9163967"},
		{"no fraction", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), UTC, "2026-01-02T03:04:05Z"},
		{"trailing zeros trimmed", time.Date(2026, 1, 2, 3, 4, 5, 500000000, time.UTC), UTC, "2026-01-02T03:04:05.5Z"},
		{"one tick", time.Date(2026, 1, 2, 3, 4, 5, 100, time.UTC), UTC, "2026-01-02T03:04:05.0000001Z"},
		{"sub-tick truncated", time.Date(2026, 1, 2, 3, 4, 5, 199, time.UTC), UTC, "2026-01-02T03:04:05.0000001Z"},
		{"only sub-tick is no fraction", time.Date(2026, 1, 2, 3, 4, 5, 99, time.UTC), UTC, "2026-01-02T03:04:05Z"},
		{"millis", time.Date(2026, 1, 2, 3, 4, 5, 123000000, time.UTC), Unspecified, "2026-01-02T03:04:05.123"},
		{"min value", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), Unspecified, "0001-01-01T00:00:00"},
		{"max value", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), UTC, "9999-12-31T23:59:59.9999999Z"},
		{"offset seconds dropped", time.Date(1850, 6, 1, 12, 0, 0, 0, lmt), Local, "1850-06-01T12:00:00-00:01"},
		{"year above 9999", time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC), Unspecified, "12345-01-01T00:00:00"},
		{"unknown kind like unspecified", base, TimeKind(9), "2026-03-21T11:24:12.9163967"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AppendISOTime([]byte("x"), tt.give, tt.kind))
			wantString(t, "AppendISOTime", got, "x"+tt.want)
		})
	}
}

func wantString(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}
