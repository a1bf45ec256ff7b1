package replay

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Summary counts a run's outcome.
type Summary struct {
	Cases       int           `json:"cases"`
	Passed      int           `json:"passed"`
	Failed      int           `json:"failed"`
	Errors      int           `json:"errors"`
	Differences int           `json:"differences"`
	Duration    time.Duration `json:"-"`
}

// Summarize counts results.
func Summarize(rs []*Result, d time.Duration) Summary {
	s := Summary{Cases: len(rs), Duration: d}
	for _, r := range rs {
		s.Differences += r.Differences()
		switch {
		case r.Err != nil:
			s.Errors++
		case r.Passed():
			s.Passed++
		default:
			s.Failed++
		}
	}
	return s
}

func (s Summary) String() string {
	out := fmt.Sprintf("%d cases: %d passed, %d failed", s.Cases, s.Passed, s.Failed)
	if s.Errors > 0 {
		out += fmt.Sprintf(", %d could not run", s.Errors)
	}
	if s.Differences > 0 {
		out += " (" + plural(s.Differences, "difference") + ")"
	}
	return out + fmt.Sprintf(" in %s", s.Duration.Round(time.Millisecond))
}

// Colors for a terminal.
const (
	red, green, yellow, dim, reset = "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[2m", "\x1b[0m"
)

// WriteText writes the report people read: PASS or FAIL per case, then
// for each failing exchange the path of every difference with the
// expected and the actual value; a summary line last. verbose also lists
// passing cases.
func WriteText(w io.Writer, rs []*Result, s Summary, color, verbose bool) {
	paint := func(c, t string) string {
		if !color {
			return t
		}
		return c + t + reset
	}
	for _, r := range rs {
		switch {
		case r.Err != nil:
			fmt.Fprintf(w, "%s %s: %v\n", paint(red, "ERROR"), r.Case.Name, r.Err)
		case r.Passed():
			if verbose {
				fmt.Fprintf(w, "%s %s %s\n", paint(green, "PASS"), r.Case.Name, paint(dim, fmt.Sprintf("(%d exchanges)", len(r.Exchanges))))
			}
			continue
		default:
			fmt.Fprintf(w, "%s %s %s\n", paint(red, "FAIL"), r.Case.Name, paint(dim, r.Case.Path))
		}
		for _, x := range r.Exchanges {
			if len(x.Differences) == 0 {
				continue
			}
			fmt.Fprintf(w, "  exchange %d: %s %s → %d\n", x.Index, x.Method, x.URI, x.Status)
			for _, d := range x.Differences {
				fmt.Fprintf(w, "    %s %s\n", paint(yellow, d.Path), d.Kind)
				if d.Expected != "" || d.Kind != "extra" {
					fmt.Fprintf(w, "      expected: %s\n", orNone(d.Expected))
				}
				if d.Actual != "" || d.Kind != "missing" {
					fmt.Fprintf(w, "      actual:   %s\n", orNone(d.Actual))
				}
			}
		}
	}
	line := s.String()
	if s.Failed+s.Errors > 0 {
		line = paint(red, line)
	} else {
		line = paint(green, line)
	}
	fmt.Fprintln(w, line)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

type jsonCase struct {
	Name      string     `json:"name"`
	File      string     `json:"file"`
	Status    string     `json:"status"` // pass, fail, error
	Error     string     `json:"error,omitempty"`
	Token     string     `json:"unique"`
	Millis    int64      `json:"ms"`
	Exchanges []Exchange `json:"exchanges"`
}

func status(r *Result) string {
	switch {
	case r.Err != nil:
		return "error"
	case r.Passed():
		return "pass"
	}
	return "fail"
}

// WriteJSON writes the report for tools: one JSON document.
func WriteJSON(w io.Writer, target string, rs []*Result, s Summary) error {
	doc := struct {
		Target  string     `json:"target"`
		Summary Summary    `json:"summary"`
		Millis  int64      `json:"ms"`
		Cases   []jsonCase `json:"cases"`
	}{Target: target, Summary: s, Millis: s.Duration.Milliseconds(), Cases: []jsonCase{}}
	for _, r := range rs {
		c := jsonCase{Name: r.Case.Name, File: r.Case.Path, Status: status(r), Token: r.Token, Millis: r.Duration.Milliseconds(), Exchanges: r.Exchanges}
		if r.Err != nil {
			c.Error = r.Err.Error()
		}
		if c.Exchanges == nil {
			c.Exchanges = []Exchange{}
		}
		doc.Cases = append(doc.Cases, c)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// WriteJUnit writes JUnit XML (the Ant schema most CI systems read): one
// testcase per case, classname the case's folder.
func WriteJUnit(w io.Writer, target string, rs []*Result, s Summary) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      string   `xml:"time,attr"`
		Failure   *failure `xml:"failure,omitempty"`
		Error     *failure `xml:"error,omitempty"`
	}
	type suite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Time     string     `xml:"time,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	type suites struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []suite  `xml:"testsuite"`
	}
	secs := func(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
	st := suite{Name: "legacygate replay " + target, Tests: s.Cases, Failures: s.Failed, Errors: s.Errors, Time: secs(s.Duration)}
	for _, r := range rs {
		class, name := "replay", r.Case.Name
		if i := strings.LastIndex(name, "/"); i >= 0 {
			class, name = strings.ReplaceAll(name[:i], "/", "."), name[i+1:]
		}
		tc := testcase{Name: name, Classname: class, Time: secs(r.Duration)}
		switch {
		case r.Err != nil:
			tc.Error = &failure{Message: r.Err.Error(), Type: "error"}
		case !r.Passed():
			var b strings.Builder
			WriteText(&b, []*Result{r}, Summarize([]*Result{r}, r.Duration), false, false)
			tc.Failure = &failure{Message: plural(r.Differences(), "difference"), Type: "difference", Text: b.String()}
		}
		st.Cases = append(st.Cases, tc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(suites{Suites: []suite{st}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
