package codecs

import "time"

// AppendISOTime appends t in the ISO 8601 round-trip form the .NET hosts
// write for a DateTime (Json.NET's IsoDateFormat with RoundtripKind, and
// DataContractSerializer's XML), and returns the extended buffer:
//
//	yyyy-MM-ddTHH:mm:ss[.fffffff][designator]
//
// The fraction is t truncated to 100 ns ticks, written with up to seven
// digits, trailing zeros trimmed, and omitted entirely when zero. The zone
// designator depends on k:
//
//   - [UTC]: t is converted to UTC and "Z" is appended.
//   - [Local]: the wall clock of t's Location followed by that Location's
//     numeric offset, "+hh:mm" or "-hh:mm" (a time in time.UTC therefore
//     prints "+00:00", as a .NET server whose zone is UTC does).
//   - [Offset] (DateTimeOffset): like Local; never "Z".
//   - [Unspecified] and unknown kinds: the wall clock of t's Location and
//     no designator.
//
// Offsets are written in whole minutes (seconds of historical offsets are
// dropped, as .NET offsets have none). Years are zero-padded to four digits;
// years outside .NET's 1..9999 are written as they are (a minus sign for
// years before 0) and should be rejected by callers that need a valid .NET
// DateTime.
func AppendISOTime(dst []byte, t time.Time, k TimeKind) []byte {
	if k == UTC {
		t = t.UTC()
	}
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 {
		dst = append(dst, '-')
		year = -year
	}
	dst = AppendDigits(dst, year, 4)
	dst = append(dst, '-')
	dst = AppendDigits(dst, int(month), 2)
	dst = append(dst, '-')
	dst = AppendDigits(dst, day, 2)
	dst = append(dst, 'T')
	dst = AppendDigits(dst, hour, 2)
	dst = append(dst, ':')
	dst = AppendDigits(dst, minute, 2)
	dst = append(dst, ':')
	dst = AppendDigits(dst, sec, 2)
	if frac := t.Nanosecond() / 100; frac != 0 {
		digits := 7
		for frac%10 == 0 {
			frac /= 10
			digits--
		}
		dst = append(dst, '.')
		dst = AppendDigits(dst, frac, digits)
	}
	switch k {
	case UTC:
		dst = append(dst, 'Z')
	case Local, Offset:
		_, off := t.Zone()
		sign := byte('+')
		if off < 0 {
			sign = '-'
			off = -off
		}
		dst = append(dst, sign)
		dst = AppendDigits(dst, off/3600, 2)
		dst = append(dst, ':')
		dst = AppendDigits(dst, off%3600/60, 2)
	}
	return dst
}

// AppendDigits appends the decimal form of the non-negative n, left-padded
// with zeros to at least width digits (the fixed-width fields of dates).
func AppendDigits(dst []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for n >= 10 || width > 1 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	buf[i] = byte('0' + n)
	return append(dst, buf[i:]...)
}
