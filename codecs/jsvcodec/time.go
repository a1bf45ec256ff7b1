package jsvcodec

import (
	"math"
	"strconv"
	"strings"
	"time"

	"legacygate/codecs"
)

// Times decoded as .NET would produce a Local-kind DateTime are expressed in
// time.UTC: the gateway stands in for a server whose zone is UTC, and
// writing them back gives "+00:00" as that server would.

type isoParts struct {
	y, mo, d, h, mi, sec, nsec int
	zone                       byte // 0 none, 'Z', 'o' offset
	off                        int  // seconds east
	dateOnly                   bool
}

func atoiN(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseISO reads yyyy-MM-dd[(T| )HH:mm[:ss[.f{1,}]]][Z|±hh:mm|±hhmm].
func parseISO(s string) (p isoParts, ok bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return p, false
	}
	var ok1, ok2, ok3 bool
	p.y, ok1 = atoiN(s[0:4])
	p.mo, ok2 = atoiN(s[5:7])
	p.d, ok3 = atoiN(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return p, false
	}
	s = s[10:]
	if s == "" {
		p.dateOnly = true
		return p, validDate(p)
	}
	if s == "Z" {
		p.dateOnly, p.zone = true, 'Z'
		return p, validDate(p)
	}
	if s[0] != 'T' && s[0] != ' ' {
		return p, false
	}
	s = s[1:]
	if len(s) < 5 || s[2] != ':' {
		return p, false
	}
	p.h, ok1 = atoiN(s[0:2])
	p.mi, ok2 = atoiN(s[3:5])
	if !ok1 || !ok2 {
		return p, false
	}
	s = s[5:]
	if len(s) >= 3 && s[0] == ':' {
		if p.sec, ok1 = atoiN(s[1:3]); !ok1 {
			return p, false
		}
		s = s[3:]
		if len(s) > 1 && s[0] == '.' {
			i := 1
			scale := 100000000
			for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
				p.nsec += int(s[i]-'0') * scale
				scale /= 10
			}
			if i == 1 {
				return p, false
			}
			s = s[i:]
		}
	}
	switch {
	case s == "":
	case s == "Z":
		p.zone = 'Z'
	case s[0] == '+' || s[0] == '-':
		var hh, mm int
		switch {
		case len(s) == 6 && s[3] == ':':
			hh, ok1 = atoiN(s[1:3])
			mm, ok2 = atoiN(s[4:6])
		case len(s) == 5:
			hh, ok1 = atoiN(s[1:3])
			mm, ok2 = atoiN(s[3:5])
		case len(s) == 3:
			hh, ok1 = atoiN(s[1:3])
			ok2 = true
		}
		if !ok1 || !ok2 || hh > 14 || mm > 59 {
			return p, false
		}
		p.zone, p.off = 'o', hh*3600+mm*60
		if s[0] == '-' {
			p.off = -p.off
		}
	default:
		return p, false
	}
	if p.h > 23 || p.mi > 59 || p.sec > 59 {
		return p, false
	}
	return p, validDate(p)
}

func validDate(p isoParts) bool {
	if p.y < 1 || p.mo < 1 || p.mo > 12 || p.d < 1 {
		return false
	}
	return p.d <= time.Date(p.y, time.Month(p.mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func (p isoParts) in(loc *time.Location) time.Time {
	return time.Date(p.y, time.Month(p.mo), p.d, p.h, p.mi, p.sec, p.nsec/100*100, loc)
}

// parseWcfDate reads /Date(ms[±hhmm])/ and \/Date(...)\/.
func parseWcfDate(s string) (time.Time, bool, bool) {
	s = strings.TrimPrefix(s, `\`)
	s = strings.TrimSuffix(s, `\`)
	if !strings.HasPrefix(s, "/Date(") || !strings.HasSuffix(s, ")/") {
		return time.Time{}, false, false
	}
	body := s[6 : len(s)-2]
	hasOff := false
	if i := strings.LastIndexAny(body, "+-"); i > 0 {
		body, hasOff = body[:i], true
	}
	ms, err := strconv.ParseInt(body, 10, 64)
	if err != nil {
		return time.Time{}, false, false
	}
	return time.UnixMilli(ms).UTC(), hasOff, true
}

// parseDateTime is DateTimeSerializer.ParseShortestXsdDateTime (jsv.md §7.6).
func parseDateTime(s string) (time.Time, codecs.TimeKind, bool) {
	s = strings.TrimSpace(s)
	if t, hasOff, ok := parseWcfDate(s); ok {
		if hasOff {
			return t, codecs.Local, true
		}
		return t, codecs.UTC, true
	}
	if len(s) == 8 && strings.IndexAny(s, "-/") < 0 {
		y, ok1 := atoiN(s[0:4])
		m, ok2 := atoiN(s[4:6])
		d, ok3 := atoiN(s[6:8])
		p := isoParts{y: y, mo: m, d: d}
		if !ok1 || !ok2 || !ok3 || !validDate(p) {
			return time.Time{}, 0, false
		}
		return p.in(time.UTC), codecs.Local, true
	}
	if len(s) == 10 {
		n := strings.NewReplacer("/", "-").Replace(s)
		if n[2] == '-' && n[5] == '-' { // dd-MM-yyyy
			n = n[6:10] + "-" + n[3:5] + "-" + n[0:2]
		}
		p, ok := parseISO(n)
		if !ok {
			return time.Time{}, 0, false
		}
		return p.in(time.UTC), codecs.Local, true
	}
	p, ok := parseISO(s)
	if !ok {
		return time.Time{}, 0, false
	}
	switch p.zone {
	case 'Z':
		// Parsed as UTC, then converted to server local time.
		return p.in(time.UTC), codecs.Local, true
	case 'o':
		return p.in(time.FixedZone("", p.off)).UTC(), codecs.Local, true
	}
	if len(s) == 19 || len(s) == 23 {
		return p.in(time.UTC), codecs.Unspecified, true
	}
	return p.in(time.UTC), codecs.Local, true
}

// parseDateTimeOffset is DateTimeSerializer.ParseDateTimeOffset (§7.7).
func parseDateTimeOffset(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, _, ok := parseWcfDate(s); ok {
		return t, true
	}
	p, ok := parseISO(s)
	if !ok {
		return time.Time{}, false
	}
	if p.zone == 'o' {
		if p.off == 0 {
			return p.in(time.UTC), true
		}
		return p.in(time.FixedZone("", p.off)), true
	}
	return p.in(time.UTC), true
}

func appendDate(dst []byte, t time.Time) []byte {
	y, m, d := t.Date()
	dst = codecs.AppendDigits(dst, y, 4)
	dst = append(dst, '-')
	dst = codecs.AppendDigits(dst, int(m), 2)
	dst = append(dst, '-')
	return codecs.AppendDigits(dst, d, 2)
}

func appendClock(dst []byte, t time.Time, alwaysFrac bool) []byte {
	h, mi, s := t.Clock()
	dst = append(dst, 'T')
	dst = codecs.AppendDigits(dst, h, 2)
	dst = append(dst, ':')
	dst = codecs.AppendDigits(dst, mi, 2)
	dst = append(dst, ':')
	dst = codecs.AppendDigits(dst, s, 2)
	if f := t.Nanosecond() / 100; f != 0 || alwaysFrac {
		dst = append(dst, '.')
		dst = codecs.AppendDigits(dst, f, 7)
	}
	return dst
}

func appendOffset(dst []byte, t time.Time) []byte {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	dst = append(dst, sign)
	dst = codecs.AppendDigits(dst, off/3600, 2)
	dst = append(dst, ':')
	return codecs.AppendDigits(dst, off%3600/60, 2)
}

// appendDateTime is ToShortestXsdDateTimeString (jsv.md §7.6).
func appendDateTime(dst []byte, t time.Time, k codecs.TimeKind) []byte {
	if k == codecs.UTC {
		t = t.UTC()
	}
	h, mi, s := t.Clock()
	if h == 0 && mi == 0 && s == 0 && t.Nanosecond()/100 == 0 {
		return appendDate(dst, t)
	}
	dst = appendDate(dst, t)
	dst = appendClock(dst, t, false)
	if k == codecs.UTC {
		return append(dst, 'Z')
	}
	return appendOffset(dst, t)
}

// appendDateTimeOffset is DateTimeOffset.ToString("o") (jsv.md §7.7).
func appendDateTimeOffset(dst []byte, t time.Time) []byte {
	dst = appendDate(dst, t)
	dst = appendClock(dst, t, true)
	return appendOffset(dst, t)
}

// ---- TimeSpan (TimeSpanConverter, jsv.md §7.8) ----

// appendXsdDuration is TimeSpanConverter.ToXsdDuration: XmlConvert's
// xs:duration (codecs.AppendDuration) except at TimeSpan's two extremes,
// which ServiceStack.Text reaches through double arithmetic and so writes
// with a rounded fraction.
func appendXsdDuration(dst []byte, ticks int64) []byte {
	switch ticks {
	case math.MaxInt64:
		return append(dst, "P10675199DT2H48M5.4775391S"...)
	case math.MinInt64:
		return append(dst, "-P10675199DT2H48M5.4775391S"...)
	}
	return codecs.AppendDuration(dst, ticks)
}

// parseTimeSpan is DateTimeSerializer.ParseTimeSpan: an XSD duration, a
// .NET "[-][d.]hh:mm[:ss[.fffffff]]" string, or a number of seconds.
func parseTimeSpan(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, false
	case strings.HasPrefix(s, "P") || strings.HasPrefix(s, "-P"):
		return parseXsdDuration(s)
	case strings.IndexByte(s, ':') >= 0:
		return parseClockSpan(s)
	}
	f, ok := parseDouble(s)
	if !ok || math.IsNaN(f) || math.Abs(f) > math.MaxInt64/codecs.TicksPerSecond {
		return 0, false
	}
	return int64(math.Round(f * codecs.TicksPerSecond)), true
}

func parseXsdDuration(s string) (int64, bool) {
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if s == "PT10675199DT2H48M5.4775391S" || s == "P10675199DT2H48M5.4775391S" {
		if neg {
			return math.MinInt64, true
		}
		return math.MaxInt64, true
	}
	s = s[1:]
	var ticks float64
	inTime := false
	for s != "" {
		if s[0] == 'T' {
			inTime = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == len(s) {
			break
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		unit := s[i]
		s = s[i+1:]
		if err != nil {
			continue // unparseable parts are ignored
		}
		switch {
		case unit == 'D':
			ticks += n * codecs.TicksPerDay
		case unit == 'H' && inTime:
			ticks += n * codecs.TicksPerHour
		case unit == 'M' && inTime:
			ticks += n * codecs.TicksPerMinute
		case unit == 'S' && inTime:
			ticks += n * codecs.TicksPerSecond
		}
	}
	if ticks > math.MaxInt64 {
		return 0, false
	}
	t := int64(math.Round(ticks))
	if neg {
		t = -t
	}
	return t, true
}

func parseClockSpan(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var days int
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	if i := strings.IndexByte(parts[0], '.'); i >= 0 {
		d, ok := atoiN(parts[0][:i])
		if !ok {
			return 0, false
		}
		days, parts[0] = d, parts[0][i+1:]
	}
	h, ok1 := atoiN(parts[0])
	m, ok2 := atoiN(parts[1])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return 0, false
	}
	var sec, frac int64
	if len(parts) == 3 {
		sp := parts[2]
		fs := ""
		if i := strings.IndexByte(sp, '.'); i >= 0 {
			sp, fs = sp[:i], sp[i+1:]
		}
		sv, ok := atoiN(sp)
		if !ok || sv > 59 || len(fs) > 7 {
			return 0, false
		}
		sec = int64(sv)
		if fs != "" {
			fv, ok := atoiN(fs)
			if !ok {
				return 0, false
			}
			frac = int64(fv)
			for i := len(fs); i < 7; i++ {
				frac *= 10
			}
		}
	}
	if days > 10675199 {
		return 0, false
	}
	t := int64(days)*codecs.TicksPerDay + int64(h)*codecs.TicksPerHour + int64(m)*codecs.TicksPerMinute + sec*codecs.TicksPerSecond + frac
	if neg {
		t = -t
	}
	return t, true
}

// ParseTimeSpan is ServiceStack.Text's DateTimeSerializer.ParseTimeSpan
// (the newest release's): an XSD duration, a "[-][d.]hh:mm[:ss[.fffffff]]"
// string, or a number of seconds, as ticks.
func ParseTimeSpan(s string) (int64, bool) { return parseTimeSpan(s) }
