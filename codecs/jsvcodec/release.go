package jsvcodec

import (
	"time"

	"fmt"
	"legacygate/codecs"
	"strconv"
	"strings"
)

// Release is the ServiceStack.Text release whose JSV behaviour the codec
// reproduces (docs/legacy/jsv-versions.md). The zero value is the newest
// release: what the codec does without being told otherwise.
type Release struct {
	Major, Minor, Patch int
}

// lastPatch stands for "the last patch of a line" when a release line is
// named without a patch ("4.5" is 4.5.x, the line's final build).
const lastPatch = 1 << 20

// ParseRelease reads a release line as a contract names it: "4.5" (the
// last 4.5.x), "4.5.10", "5" or "5.x" (the last 5.x), or "" / "latest"
// (the zero Release).
func ParseRelease(s string) (Release, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "latest" {
		return Release{}, nil
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return Release{}, fmt.Errorf("release %q: expected MAJOR[.MINOR[.PATCH]] or latest", s)
	}
	n := [3]int{0, lastPatch, lastPatch}
	for i, p := range parts {
		if p == "x" && i == len(parts)-1 && i > 0 {
			break
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v >= lastPatch {
			return Release{}, fmt.Errorf("release %q: expected MAJOR[.MINOR[.PATCH]] or latest", s)
		}
		n[i] = v
		if i == len(parts)-1 && i < 2 {
			// "4" or "4.5": the line's last build.
			for j := i + 1; j < 3; j++ {
				n[j] = lastPatch
			}
		}
	}
	if n[0] == 0 {
		return Release{}, fmt.Errorf("release %q: ServiceStack releases start at 1", s)
	}
	return Release{Major: n[0], Minor: n[1], Patch: n[2]}, nil
}

// before reports whether r predates major.minor.patch; the newest release
// (zero value) predates nothing.
func (r Release) before(major, minor, patch int) bool {
	if r == (Release{}) {
		return false
	}
	if r.Major != major {
		return r.Major < major
	}
	if r.Minor != minor {
		return r.Minor < minor
	}
	return r.Patch < patch
}

// legacy is a set of reader and writer behaviours of releases older than
// the newest, one bit each.
type legacy uint32

const (
	oldNoOn            legacy = 1 << iota // "on" is not true (before 4.0.17)
	oldNoLetterTrue                       // t/T/y/Y are not true (before 5.2.0)
	oldNoCompactDate                      // yyyyMMdd is refused (before 4.0.35)
	oldMonthFirst                         // nn/nn/yyyy is month-first (before 4.0.42)
	oldNoSecondsSpan                      // a TimeSpan of bare seconds is refused (before 4.0.38)
	oldIntListTrailing                    // an int list with a trailing comma is null (before 4.5.8)
	oldPlusInt                            // a leading '+' on an int is accepted (before 4.5.10)
	oldNoLeadingZeros                     // "007" is refused (4.5.10 to 5.0.1)
	oldBlankListItem                      // "[ ]" is one item " " (before 5.2.0)
	oldNoNameTrim                         // property names are not trimmed (before 5.5)
	oldBOMError                           // a UTF-8 BOM is an error (before 5.6)
	oldQuotedNames                        // a quoted property name keeps its quotes (before 8.9)
	oldEmptyToken                         // the empty string is written as an empty token (before 4.0.17)
	oldPrettyComma                        // JsvFormatter breaks the line at a comma inside quotes (before 4.0.17)
)

// behaviours maps a release to the legacy behaviours it has.
func (r Release) behaviours() legacy {
	var l legacy
	set := func(b legacy, on bool) {
		if on {
			l |= b
		}
	}
	set(oldNoOn, r.before(4, 0, 17))
	set(oldEmptyToken, r.before(4, 0, 17))
	set(oldPrettyComma, r.before(4, 0, 17))
	set(oldNoLetterTrue, r.before(5, 2, 0))
	set(oldNoCompactDate, r.before(4, 0, 35))
	set(oldMonthFirst, r.before(4, 0, 42))
	set(oldNoSecondsSpan, r.before(4, 0, 38))
	set(oldIntListTrailing, r.before(4, 5, 8))
	set(oldPlusInt, r.before(4, 5, 10))
	set(oldNoLeadingZeros, !r.before(4, 5, 10) && r.before(5, 0, 2))
	set(oldBlankListItem, r.before(5, 2, 0))
	set(oldNoNameTrim, r.before(5, 5, 0))
	set(oldBOMError, r.before(5, 6, 0))
	set(oldQuotedNames, r.before(8, 9, 0))
	return l
}

// legacyScalar reads the scalar token src[s:e] (not empty) where an older
// release read it differently from the newest; done is false when the
// newest reader's answer holds.
func (d *decoder) legacyScalar(s, e int, t *codecs.Type) (v codecs.Value, done bool, err error) {
	tok := d.src[s:e]
	if t.Name == "TimeSpan" {
		if d.old&oldNoSecondsSpan != 0 {
			x := strings.TrimSpace(d.unescapeStr(s, e))
			if !strings.HasPrefix(x, "P") && !strings.HasPrefix(x, "-P") && !strings.Contains(x, ":") {
				return codecs.Value{}, true, d.scalarErr(s, t, tok)
			}
		}
		return codecs.Value{}, false, nil
	}
	switch t.Scalar {
	case codecs.BoolT:
		if (d.old&oldNoOn != 0 && tok == "on") ||
			(d.old&oldNoLetterTrue != 0 && len(tok) == 1 && strings.IndexByte("tTyY", tok[0]) >= 0) {
			return codecs.BoolV(false), true, nil
		}
	case codecs.Int32T, codecs.Int64T:
		x := strings.TrimSpace(tok)
		if d.old&oldPlusInt != 0 && strings.HasPrefix(x, "+") && !strings.HasPrefix(x, "+-") {
			lit, ok := canonInt(x[1:], t.Scalar == codecs.Int32T)
			if !ok {
				return codecs.Value{}, true, d.scalarErr(s, t, tok)
			}
			return codecs.Num(lit), true, nil
		}
		if d.old&oldNoLeadingZeros != 0 {
			digits := strings.TrimPrefix(x, "-")
			if len(digits) > 1 && digits[0] == '0' {
				return codecs.Value{}, true, d.scalarErr(s, t, tok)
			}
		}
	case codecs.DateTimeT:
		x := strings.TrimSpace(d.unescapeStr(s, e))
		if d.old&oldNoCompactDate != 0 && len(x) == 8 && strings.IndexAny(x, "-/") < 0 {
			return codecs.Value{}, true, d.scalarErr(s, t, tok)
		}
		if d.old&oldMonthFirst != 0 && len(x) == 10 && x[2] == '/' && x[5] == '/' {
			// DateTime.Parse under the invariant culture: MM/dd/yyyy.
			p, ok := parseISO(x[6:10] + "-" + x[0:2] + "-" + x[3:5])
			if !ok {
				return codecs.Value{}, true, d.scalarErr(s, t, tok)
			}
			return codecs.TimeV(p.in(time.UTC), codecs.Local), true, nil
		}
	}
	return codecs.Value{}, false, nil
}
