package importer

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

var sampleNumRe = regexp.MustCompile(`^"sample string (\d+)"$|^(\d+)$`)

// inferNullable reads Nullable<T> from a HelpPage JSON sample. HelpPage
// numbers an object's simple members 1, 2, 3… with one counter, but a
// Nullable<T> member gets a fresh generator (always 1) and leaves the
// counter alone (ObjectGenerator.GenerateNullable). So between two
// numbered members a and b, the value-typed members that do not show a
// number (bool, date, Guid) consumed b-a-1 indices: all of them when that
// equals their count (non-nullable), none when it is 0 (nullable). A
// number that breaks the sequence with 1 is a Nullable<int>. A null in a
// hand-written sample means nullable too.
func (d *Draft) inferNullable(t *Type, vals map[string]json.RawMessage) {
	type slot struct {
		m   *Member
		num int // 0: shows no index
	}
	var slots []slot
	for _, m := range t.Members {
		v, ok := vals[m.Name]
		if !ok || strings.HasPrefix(m.Type, "[]") || strings.HasPrefix(m.Type, "map[") || d.typ(m.Type) != nil {
			continue
		}
		raw := strings.TrimSpace(string(v))
		if raw == "null" {
			if m.Type != "string" {
				m.Type += "?"
			}
			continue
		}
		n := 0
		if sm := sampleNumRe.FindStringSubmatch(raw); sm != nil {
			n, _ = strconv.Atoi(sm[1] + sm[2])
		}
		slots = append(slots, slot{m, n})
	}
	last, lastAt := 0, -1
	for i, s := range slots {
		if s.num == 0 {
			continue
		}
		if s.num != last+1 && s.num == 1 && last > 0 && s.m.Type == "int" {
			s.m.Type += "?"
			d.reportf("%s.%s: its sample is 1 out of sequence, a Nullable<int>", t.Name, s.m.Name)
			continue
		}
		var between []*Member
		for _, x := range slots[lastAt+1 : i] {
			if x.num == 0 {
				between = append(between, x.m)
			}
		}
		switch consumed := s.num - last - 1; {
		case consumed == 0:
			for _, m := range between {
				if m.Type != "string" {
					m.Type += "?"
					d.reportf("%s.%s: takes no sample index, a Nullable<T>", t.Name, m.Name)
				}
			}
		case consumed != len(between):
			d.reportf("%s: the sample numbering cannot tell which of %d members are nullable", t.Name, len(between))
		}
		last, lastAt = s.num, i
	}
	for _, x := range slots[lastAt+1:] {
		if x.num == 0 && x.m.Type != "string" {
			d.reportf("%s.%s: after the last numbered member, so the sample cannot tell whether it is nullable", t.Name, x.m.Name)
		}
	}
}
