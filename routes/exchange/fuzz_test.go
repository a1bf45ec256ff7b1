package exchange

import "testing"

// FuzzParse: any file parses or fails cleanly, and what parses formats back
// to a file that parses the same.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("-- request --\n-- response --\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, err := Parse(data)
		if err != nil {
			return
		}
		again, err := Parse(ex.Format())
		if err != nil || len(again.Pairs) != len(ex.Pairs) {
			t.Fatalf("formatted file does not parse back: %v", err)
		}
		for _, p := range ex.Pairs {
			_, _ = ReadRequest(p.Request)
			if e, err := ReadExpected(p.Response); err == nil && !MatchBody(e.Body, e.Body) && !placeholderRe.Match(e.Body) {
				t.Fatalf("a body without placeholders must match itself: %q", e.Body)
			}
		}
	})
}
