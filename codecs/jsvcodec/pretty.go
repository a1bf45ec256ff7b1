package jsvcodec

// Pretty appends src re-formatted exactly as ServiceStack's
// JsvFormatter.Format does (jsv.md §9) and returns the extended buffer: a
// line break and one TAB per level after '{' and '[' and before '}' and
// ']', a line break after ',' outside quotes, a space after the first ':'
// since the last bracket or comma, and "Key: {}" / "Key: []" kept inline.
// Line breaks are "\n" (Environment.NewLine on Linux). Quotes only
// suppress the break after ','; brackets and colons inside quoted strings
// are re-formatted too, as the original does. Empty src appends nothing.
func Pretty(dst, src []byte) []byte { return PrettyRelease(dst, src, Release{}) }

// PrettyRelease is Pretty as release r's JsvFormatter formats: before
// 4.0.17 quotes did not suppress the line break after ',' either, so a
// comma inside a quoted string breaks the line (ServiceStack.Text's
// src/ServiceStack.Text/JsvFormatter.cs gained its inString flag in
// October 2013, first tagged v4.0.17; docs/legacy/jsv-versions.md).
func PrettyRelease(dst, src []byte, r Release) []byte {
	quotes := r.behaviours()&oldPrettyComma == 0
	tabs := 0
	firstKeySep := true
	inString := false
	newline := func(dst []byte, n int) []byte {
		dst = append(dst, '\n')
		for ; n > 0; n-- {
			dst = append(dst, '\t')
		}
		return dst
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		var prev, next byte
		if i > 0 {
			prev = src[i-1]
		}
		if i < len(src)-1 {
			next = src[i+1]
		}
		switch {
		case c == '{' || c == '[':
			if prev == ':' {
				if next == '}' || next == ']' {
					dst = append(dst, c, next)
					i++
					continue
				}
				dst = newline(dst, tabs)
			}
			dst = append(dst, c)
			tabs++
			dst = newline(dst, tabs)
			firstKeySep = true
		case c == '}' || c == ']':
			tabs--
			dst = newline(dst, tabs)
			dst = append(dst, c)
			firstKeySep = true
		case c == '"' && quotes:
			dst = append(dst, c)
			inString = !inString
		case c == ',' && !inString:
			dst = append(dst, c)
			dst = newline(dst, tabs)
			firstKeySep = true
		default:
			dst = append(dst, c)
			if c == ':' && firstKeySep {
				dst = append(dst, ' ')
				firstKeySep = false
			}
		}
	}
	return dst
}
