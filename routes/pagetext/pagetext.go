// Package pagetext reduces an HTML documentation page to plain text the way
// the saved legacy pages (the help and metadata pages a browser's "save as
// text" produced) read: one line per block element, table rows on one
// line, <pre> text kept line by line, tags and scripts dropped, entities
// decoded. The drift test compares generated pages with saved ones in this
// form, and `legacygate contract import` reads HTML pages through it.
package pagetext

import (
	"io"
	"strings"

	"golang.org/x/net/html"
)

// Options choose how table cells are joined.
type Options struct {
	// Cells is put between the cells of a table row; Markdown-style rows
	// ("| a | b |") when it is "|", plain concatenation when "".
	Cells string
}

// MaxBytes bounds the HTML Reduce reads.
const MaxBytes = 4 << 20

var blocks = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"pre": true, "table": true, "caption": true, "br": true, "header": true, "section": true, "li": true,
	"ul": true, "ol": true, "form": true, "hr": true, "body": true, "html": true, "dl": true, "dt": true, "dd": true,
}

var skipped = map[string]bool{"script": true, "style": true, "head": true, "noscript": true, "template": true}

// Reduce returns the text of an HTML page.
func Reduce(r io.Reader, opt Options) (string, error) {
	doc, err := html.Parse(io.LimitReader(r, MaxBytes))
	if err != nil {
		return "", err
	}
	w := &writer{opt: opt}
	w.node(doc)
	w.flush()
	return strings.Join(w.lines, "\n") + "\n", nil
}

type writer struct {
	opt   Options
	lines []string
	cur   strings.Builder
}

func (w *writer) flush() {
	line := strings.TrimSpace(collapse(w.cur.String()))
	if line != "" {
		w.lines = append(w.lines, line)
	}
	w.cur.Reset()
}

func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func (w *writer) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.cur.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipped[n.Data] {
			return
		}
		switch n.Data {
		case "pre":
			w.flush()
			for _, line := range strings.Split(strings.Trim(textOf(n), "\r\n"), "\n") {
				line = strings.TrimRight(line, "\r")
				if strings.TrimSpace(line) != "" {
					w.lines = append(w.lines, line)
				}
			}
			return
		case "tr":
			w.flush()
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					sub := &writer{opt: w.opt}
					for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
						sub.node(cc)
					}
					sub.flush()
					cells = append(cells, strings.Join(sub.lines, " "))
				}
			}
			if w.opt.Cells == "" {
				w.lines = append(w.lines, strings.Join(cells, ""))
			} else {
				w.lines = append(w.lines, "| "+strings.Join(cells, " | ")+" |")
			}
			return
		}
		if blocks[n.Data] {
			w.flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c)
		}
		if blocks[n.Data] {
			w.flush()
		}
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}

// textOf is the raw text under n (entities decoded, tags dropped).
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.Data == "br" {
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// Tokens splits reduced text into the words a comparison looks at: table
// pipes and Markdown separator rows are dropped, every other run of
// non-space characters is a word.
func Tokens(text string) []string {
	var out []string
	for _, f := range strings.Fields(text) {
		f = strings.Trim(f, "|")
		if strings.Trim(f, "-|") == "" {
			continue
		}
		for _, part := range strings.Split(f, "|") {
			if part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}
