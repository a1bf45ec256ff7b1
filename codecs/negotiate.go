package codecs

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Formatter describes one wire format of a host, in the host's formatter
// order. It is data from the host contract; the negotiation functions only
// read it.
type Formatter struct {
	// Format is the dialect name: "json", "xml", "jsv", "form", ...
	// Web API attaches its X-Requested-With mapping to the "json" formatter.
	Format string
	// MediaTypes are the supported media types in formatter order, e.g.
	// ["application/json", "text/json"]. The first is the formatter's
	// default. Entries that do not parse never match.
	MediaTypes []string
	// CanRead and CanWrite say whether the formatter reads request bodies
	// and writes responses for the type at hand.
	CanRead, CanWrite bool
	// Charsets are the supported encodings' web names in order, e.g.
	// ["utf-8", "utf-16"]; the first is the default.
	Charsets []string
}

// Negotiation is the outcome of response content negotiation.
type Negotiation struct {
	// Format is the chosen formatter's Format ("" when ServiceStack picks a
	// content type no formatter is registered for).
	Format string
	// MediaType is the chosen media type without charset, e.g. "text/json".
	MediaType string
	// Charset is the chosen encoding's web name, "" when the formatter
	// declares none.
	Charset string
	// Reason explains the decision, for logs and tests.
	Reason string
}

// ContentType returns the response Content-Type value:
// MediaType with "; charset=<Charset>" set when Charset is not empty.
func (n Negotiation) ContentType() string {
	if n.Charset == "" || n.MediaType == "" {
		return n.MediaType
	}
	mt, err := ParseMediaType(n.MediaType)
	if err != nil {
		return n.MediaType + "; charset=" + n.Charset
	}
	params := make([]Param, 0, len(mt.Params)+1)
	for _, p := range mt.Params {
		if p.Name != "charset" {
			params = append(params, p)
		}
	}
	mt.Params = append(params, Param{Name: "charset", Value: n.Charset})
	return mt.String()
}

// WebAPIRequest carries the request headers Web API negotiation reads. Several
// header lines of one name may be joined with ",".
type WebAPIRequest struct {
	Accept, AcceptCharset, ContentType, XRequestedWith string
}

// match rankings, as in MediaTypeFormatterMatchRanking.
type matchRank uint8

const (
	rankCanWriteType matchRank = iota
	rankRequestMediaType
	rankAcceptAllRange
	rankAcceptSubtypeRange
	rankAcceptLiteral
	rankMapping
)

var rangeNames = [...]string{
	rankAcceptAllRange:     "all-media range",
	rankAcceptSubtypeRange: "subtype range",
	rankAcceptLiteral:      "literal",
}

type formatterMatch struct {
	f     *Formatter
	media MediaType
	q     float64
	rank  matchRank
	// accept is the matched Accept element (Accept rankings only).
	accept MediaType
}

// better mirrors DefaultContentNegotiator.UpdateBestMatch: a candidate
// replaces the current best only with a strictly higher quality.
func better(cur, cand *formatterMatch) *formatterMatch {
	if cand == nil {
		return cur
	}
	if cur == nil || cand.q > cur.q {
		return cand
	}
	return cur
}

// reason explains m; it is built for the winner only.
func (m *formatterMatch) reason(ct MediaType) string {
	switch m.rank {
	case rankMapping:
		return "X-Requested-With: XMLHttpRequest mapped to application/json (Accept absent or */*)"
	case rankAcceptLiteral, rankAcceptSubtypeRange, rankAcceptAllRange:
		return fmt.Sprintf("accept %q (q=%s) matched %s by %s", m.accept.String(), formatQ(m.q), m.media.String(), rangeNames[m.rank])
	case rankRequestMediaType:
		return fmt.Sprintf("request Content-Type %q matched %s", ct.String(), m.media.String())
	}
	s := "no Accept or Content-Type match; " + m.f.Format + " formatter writes the type"
	if m.media.Type != "" {
		s += " as its first media type " + m.media.String()
	}
	return s
}

// NegotiateWebAPI selects the response formatter, media type and charset the
// way ASP.NET Web API 2's DefaultContentNegotiator does with
// ExcludeMatchOnTypeOnly=false.
//
// Only formatters with CanWrite take part, in the given order. For each, the
// first of these is recorded: the X-Requested-With mapping (json formatter
// only, when Accept is absent or exactly one "*/*" element); an Accept match
// (elements sorted by q descending, stable, literal before type/* before */*
// on equal q; the formatter's media types tried in formatter order; q=0
// never matches); a match against the request Content-Type; or the
// formatter's first media type. The mapping wins unless an Accept match has a
// strictly higher q; otherwise the best Accept match by q alone, ties going to
// the earlier candidate (literal, then subtype range, then all-media range;
// formatter order within each); otherwise the first Content-Type match;
// otherwise the first writer. The charset is the first Accept-Charset element
// (by q) naming a supported encoding or "*", else the request Content-Type's
// charset when supported, else the formatter's first.
//
// As System.Net.Http does, an Accept or Accept-Charset header with a
// malformed element is ignored as a whole, and an unparsable Content-Type
// counts as absent. It returns false (406) only when no formatter can write.
func NegotiateWebAPI(formatters []Formatter, req WebAPIRequest) (Negotiation, bool) {
	accept, bad := parseAcceptItems(req.Accept)
	var note string
	if bad > 0 {
		accept = nil
		note = "Accept ignored (malformed element); "
	}
	xhr := containsFold(req.XRequestedWith, "XMLHttpRequest") &&
		(len(accept) == 0 || len(accept) == 1 && accept[0].Media.IsAllRange())
	sortAcceptWebAPI(accept)
	ct, ctErr := ParseMediaType(req.ContentType)
	hasCT := ctErr == nil

	var buf [4]formatterMatch
	matches := buf[:0]
	var (
		bestType, bestCT, bestMapping           *formatterMatch
		bestLiteral, bestSubtype, bestAllRanges *formatterMatch
	)
	for i := range formatters {
		f := &formatters[i]
		if !f.CanWrite {
			continue
		}
		matches = append(matches, matchFormatter(f, accept, ct, hasCT, xhr))
	}
	for i := range matches {
		m := &matches[i]
		switch m.rank {
		case rankMapping:
			bestMapping = better(bestMapping, m)
		case rankAcceptLiteral:
			bestLiteral = better(bestLiteral, m)
		case rankAcceptSubtypeRange:
			bestSubtype = better(bestSubtype, m)
		case rankAcceptAllRange:
			bestAllRanges = better(bestAllRanges, m)
		case rankRequestMediaType:
			if bestCT == nil {
				bestCT = m
			}
		case rankCanWriteType:
			if bestType == nil {
				bestType = m
			}
		}
	}

	if bestMapping != nil {
		o := better(better(better(bestMapping, bestLiteral), bestSubtype), bestAllRanges)
		if o != bestMapping {
			bestMapping = nil
		}
	}
	var best *formatterMatch
	switch {
	case bestMapping != nil:
		best = bestMapping
	case bestLiteral != nil || bestSubtype != nil || bestAllRanges != nil:
		best = better(better(better(nil, bestLiteral), bestSubtype), bestAllRanges)
	case bestCT != nil:
		best = bestCT
	default:
		best = bestType
	}
	if best == nil {
		return Negotiation{Reason: "no formatter can write the response (406 Not Acceptable)"}, false
	}
	charset, why := selectCharsetWebAPI(best.f, req.AcceptCharset, ct, hasCT)
	reason := note + best.reason(ct)
	if why != "" {
		reason += "; " + why
	}
	return Negotiation{Format: best.f.Format, MediaType: best.media.String(), Charset: charset, Reason: reason}, true
}

// matchFormatter records the first way f matches the request.
func matchFormatter(f *Formatter, sorted []AcceptItem, ct MediaType, hasCT, xhr bool) formatterMatch {
	if xhr && f.Format == "json" {
		return formatterMatch{f: f, media: MediaType{Type: "application", Subtype: "json"}, q: 1, rank: rankMapping}
	}
	var buf [4]MediaType
	mts := buf[:0]
	for _, s := range f.MediaTypes {
		if mt, err := ParseMediaType(s); err == nil {
			mts = append(mts, mt)
		}
	}
	for i := range sorted {
		a := &sorted[i]
		if a.Q == 0 {
			continue
		}
		for _, mt := range mts {
			if !mt.IsSubsetOf(a.Media) {
				continue
			}
			rank := rankAcceptLiteral
			switch {
			case a.Media.IsAllRange():
				rank = rankAcceptAllRange
			case a.Media.IsSubtypeRange():
				rank = rankAcceptSubtypeRange
			}
			return formatterMatch{f: f, media: mt, q: a.Q, rank: rank, accept: a.Media}
		}
	}
	if hasCT {
		for _, mt := range mts {
			if mt.IsSubsetOf(ct) {
				return formatterMatch{f: f, media: mt, q: 1, rank: rankRequestMediaType}
			}
		}
	}
	m := formatterMatch{f: f, q: 1, rank: rankCanWriteType}
	if len(mts) > 0 {
		m.media = mts[0]
	}
	return m
}

// containsFold reports whether sub occurs in s, ASCII case-insensitively.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func formatQ(q float64) string { return strconv.FormatFloat(q, 'f', -1, 64) }

// rangeRank orders media ranges as MediaTypeWithQualityHeaderValueComparer
// does on equal q: literal > type/* > */*.
func rangeRank(m MediaType) int {
	switch {
	case m.IsAllRange():
		return 0
	case m.IsSubtypeRange():
		return 1
	}
	return 2
}

// sortAcceptWebAPI sorts items in place by q descending (stable), literal
// before subtype range before all-media range on equal q, as
// MediaTypeWithQualityHeaderValueComparer with OrderByDescending does.
func sortAcceptWebAPI(items []AcceptItem) {
	if len(items) < 2 {
		return
	}
	slices.SortStableFunc(items, func(a, b AcceptItem) int {
		if c := cmp.Compare(b.Q, a.Q); c != 0 {
			return c
		}
		return cmp.Compare(rangeRank(b.Media), rangeRank(a.Media))
	})
}

type charsetItem struct {
	value string
	q     float64
}

// parseAcceptCharset parses an Accept-Charset header as System.Net.Http's
// StringWithQualityHeaderValue list parser does: `token [; q=number]`
// elements, q within [0, 1]. Any malformed element invalidates the header.
func parseAcceptCharset(header string) ([]charsetItem, bool) {
	var items []charsetItem
	for rest := header; rest != ""; {
		var elem string
		elem, rest = nextListElement(rest)
		elem = strings.Trim(elem, " \t")
		if elem == "" {
			continue
		}
		it, ok := parseCharsetElement(elem)
		if !ok {
			return nil, false
		}
		items = append(items, it)
	}
	return items, true
}

func parseCharsetElement(s string) (charsetItem, bool) {
	e := tokenEnd(s, 0)
	if e == 0 {
		return charsetItem{}, false
	}
	it := charsetItem{value: s[:e], q: 1}
	i := skipOWS(s, e)
	if i == len(s) {
		return it, true
	}
	if s[i] != ';' {
		return charsetItem{}, false
	}
	i = skipOWS(s, i+1)
	if i >= len(s) || (s[i] != 'q' && s[i] != 'Q') {
		return charsetItem{}, false
	}
	i = skipOWS(s, i+1)
	if i >= len(s) || s[i] != '=' {
		return charsetItem{}, false
	}
	i = skipOWS(s, i+1)
	n := i
	for n < len(s) && (s[n] >= '0' && s[n] <= '9' || s[n] == '.') {
		n++
	}
	if n == i || s[i] == '.' || skipOWS(s, n) != len(s) {
		return charsetItem{}, false
	}
	q, ok := parseDotNetDecimal(s[i:n])
	if !ok || q > 1 {
		return charsetItem{}, false
	}
	it.q = q
	return it, true
}

func wildcardLast(v string) int {
	if v == "*" {
		return 1
	}
	return 0
}

// selectCharsetWebAPI mirrors SelectResponseCharacterEncoding.
func selectCharsetWebAPI(f *Formatter, acceptCharset string, ct MediaType, hasCT bool) (string, string) {
	if len(f.Charsets) == 0 {
		return "", ""
	}
	items, ok := parseAcceptCharset(acceptCharset)
	if ok {
		slices.SortStableFunc(items, func(a, b charsetItem) int {
			if c := cmp.Compare(b.q, a.q); c != 0 {
				return c
			}
			return cmp.Compare(wildcardLast(a.value), wildcardLast(b.value))
		})
	}
	for _, it := range items {
		if it.q == 0 {
			continue
		}
		for _, cs := range f.Charsets {
			if it.value == "*" || strings.EqualFold(it.value, cs) {
				return cs, fmt.Sprintf("charset %s from Accept-Charset %q", cs, it.value)
			}
		}
	}
	if hasCT {
		if want, ok := ct.Param("charset"); ok {
			for _, cs := range f.Charsets {
				if strings.EqualFold(strings.TrimSpace(want), cs) {
					return cs, fmt.Sprintf("charset %s from request Content-Type", cs)
				}
			}
		}
	}
	return f.Charsets[0], fmt.Sprintf("charset %s (formatter default)", f.Charsets[0])
}

// Errors of SelectReader. Web API answers both with 415 Unsupported Media Type.
var (
	// ErrNoContentType: the request has a body but no (parsable)
	// Content-Type; .NET infers application/octet-stream, which no formatter
	// reads ("The request contains an entity body but no Content-Type
	// header. The inferred media type 'application/octet-stream' is not
	// supported for this resource.").
	ErrNoContentType = errors.New("codecs: request body has no Content-Type")
	// ErrUnsupportedMediaType: no formatter reads the request media type
	// ("The request entity's media type '<type>' is not supported for this
	// resource."). The error returned wraps it in an
	// [*UnsupportedMediaTypeError] carrying the type as sent.
	ErrUnsupportedMediaType = errors.New("codecs: unsupported media type")
)

// UnsupportedMediaTypeError is returned by SelectReader when no formatter reads
// the request media type. It matches ErrUnsupportedMediaType with errors.Is.
type UnsupportedMediaTypeError struct {
	// MediaType is the bare request media type with its case as sent
	// ("Text/Plain"), the form .NET quotes in its 415 message.
	MediaType string
}

func (e *UnsupportedMediaTypeError) Error() string {
	return fmt.Sprintf("codecs: unsupported media type %q", e.MediaType)
}

// Is reports whether target is ErrUnsupportedMediaType.
func (e *UnsupportedMediaTypeError) Is(target error) bool { return target == ErrUnsupportedMediaType }

// SelectReader returns the first formatter with CanRead whose media types
// match the request Content-Type (MediaTypeFormatterCollection.FindReader:
// formatter media type ⊆ request media type, so parameters such as charset
// do not prevent a match), together with the parsed request media type, from
// which the caller reads the charset. A blank or unparsable Content-Type gives
// ErrNoContentType; no reader gives an *UnsupportedMediaTypeError (which
// matches ErrUnsupportedMediaType) alongside the parsed media type. Whether a
// zero-length body needs a reader at all is the caller's decision (Web API
// binds null without one).
func SelectReader(formatters []Formatter, contentType string) (Formatter, MediaType, error) {
	if strings.Trim(contentType, " \t") == "" {
		return Formatter{}, MediaType{}, ErrNoContentType
	}
	p, err := scanMediaType(contentType)
	if err != nil {
		return Formatter{}, MediaType{}, fmt.Errorf("%w (%v)", ErrNoContentType, err)
	}
	for i := range formatters {
		f := &formatters[i]
		if !f.CanRead {
			continue
		}
		for _, s := range f.MediaTypes {
			if mt, err := ParseMediaType(s); err == nil && mt.IsSubsetOf(p.mt) {
				return *f, p.mt, nil
			}
		}
	}
	return Formatter{}, p.mt, &UnsupportedMediaTypeError{MediaType: p.rawType + "/" + p.rawSubtype}
}

// ServiceStackRequest carries what ServiceStack's response format selection
// reads.
type ServiceStackRequest struct {
	// Format is the ?format= query value ("" when absent).
	Format string
	// PathFormat is the format named by the path: the segment of
	// /{format}/reply|oneway/... or a custom route's .ext suffix.
	PathFormat string
	// Accept and ContentType are the raw request headers.
	Accept, ContentType string
	// JSONP is set when the request has a non-empty ?callback=.
	JSONP bool
}

// ssAliases are ServiceStack's ContentFormat.ContentTypeAliases.
var ssAliases = map[string]string{
	"text/json": "application/json",
	"text/xml":  "application/xml",
	"text/jsv":  "application/jsv",
}

// NegotiateServiceStack selects the response format the way ServiceStack's
// GetResponseContentType does. formats are the host's registered formats;
// the first one's first media type is Config.DefaultContentType
// ("application/json" when formats is empty). preferred is
// Config.PreferredContentTypes; the default content type is moved to its
// front, as the host does at start-up (idempotent).
//
// Precedence: JSONP forces JSON; then ?format= (the part before any '.',
// lower-cased; an unknown name is ignored); then the path format; then Accept,
// whose elements (q ignored, parameters stripped, header order) are compared
// by prefix with the preferred types: an accepted preferred type equal to the
// request Content-Type wins at once, else the first accepted type in
// preferred order; "*/*" yields the request Content-Type (form posts count as
// having the default content type) or the default; then an Accept element
// starting with any content type a format registers (text/jsv for JSV,
// answered as the format's first type); else the default.
//
// The chosen content type is normalised (parameters stripped, lower-cased,
// text/json, text/xml and text/jsv mapped to their application/* forms) and
// mapped to the format registering it; Format is "" if none does. Charset is
// that format's first charset.
func NegotiateServiceStack(formats []Formatter, preferred []string, req ServiceStackRequest) Negotiation {
	defaultCT := "application/json"
	if len(formats) > 0 && len(formats[0].MediaTypes) > 0 {
		defaultCT = formats[0].MediaTypes[0]
	}
	ct, reason := selectServiceStackContentType(formats, preferred, defaultCT, req)
	n := Negotiation{MediaType: normalizeServiceStackContentType(ct), Reason: reason}
	if req.JSONP {
		n.Format = "json"
	}
	if f := formatForContentType(formats, n.MediaType); f != nil {
		n.Format = f.Format
		if len(f.Charsets) > 0 {
			n.Charset = f.Charsets[0]
		}
	}
	if n.Format == "" {
		n.Reason += " (no registered format)"
	}
	return n
}

func selectServiceStackContentType(formats []Formatter, preferred []string, defaultCT string, req ServiceStackRequest) (string, string) {
	if req.JSONP {
		return "application/json", "?callback= (JSONP) forces JSON"
	}
	if req.Format != "" {
		name, _, _ := strings.Cut(req.Format, ".")
		name = strings.ToLower(name)
		if f := formatByName(formats, name); f != nil {
			return f.MediaTypes[0], fmt.Sprintf("?format=%s", name)
		}
	}
	if req.PathFormat != "" {
		name := strings.ToLower(req.PathFormat)
		if f := formatByName(formats, name); f != nil {
			return f.MediaTypes[0], fmt.Sprintf("path format %s", name)
		}
	}
	reqCT := strings.TrimSpace(req.ContentType)
	if hasPrefixFold(reqCT, "application/x-www-form-urlencoded") || hasPrefixFold(reqCT, "multipart/form-data") {
		reqCT = defaultCT
	}
	accepts := splitServiceStackAccept(req.Accept)
	if len(accepts) == 0 {
		return defaultCT, "default content type"
	}
	prefs := make([]string, 0, len(preferred)+1)
	prefs = append(prefs, defaultCT)
	for _, p := range preferred {
		if p != defaultCT {
			prefs = append(prefs, p)
		}
	}
	has := make([]bool, len(prefs))
	acceptsAnything := false
	for _, a := range accepts {
		essence := realContentType(a)
		acceptsAnything = acceptsAnything || essence == "*/*"
		for i, p := range prefs {
			if has[i] {
				continue
			}
			has[i] = strings.HasPrefix(essence, p)
			if has[i] && p == reqCT {
				return p, fmt.Sprintf("accept %q is the request Content-Type", a)
			}
		}
	}
	for i, p := range prefs {
		if has[i] {
			return p, fmt.Sprintf("accepted preferred content type %s", p)
		}
	}
	if acceptsAnything {
		if reqCT != "" {
			return reqCT, "accept */* returns the request Content-Type"
		}
		return defaultCT, "accept */* without request Content-Type returns the default"
	}
	// Registered content types include a format's extra types (the JSV
	// format is also registered as text/jsv, the type the metadata pages
	// tell clients to send): the answer is the format's own type.
	for _, a := range accepts {
		for i := range formats {
			for _, mt := range formats[i].MediaTypes {
				if hasPrefixFold(a, mt) {
					return formats[i].MediaTypes[0], fmt.Sprintf("accept %q matched registered format %s (%s)", a, formats[i].Format, mt)
				}
			}
		}
	}
	return defaultCT, "no Accept match; default content type"
}

// splitServiceStackAccept splits Accept the way ASP.NET's
// HttpRequest.AcceptTypes does (on every ',', trimmed), dropping empty
// elements.
func splitServiceStackAccept(h string) []string {
	var out []string
	for _, a := range strings.Split(h, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// realContentType is MimeTypes.GetRealContentType: the part before ';',
// trimmed and lower-cased.
func realContentType(s string) string {
	s, _, _ = strings.Cut(s, ";")
	return strings.ToLower(strings.TrimSpace(s))
}

func normalizeServiceStackContentType(s string) string {
	r := realContentType(s)
	if a, ok := ssAliases[r]; ok {
		return a
	}
	return r
}

func formatByName(formats []Formatter, name string) *Formatter {
	for i := range formats {
		if formats[i].Format == name && len(formats[i].MediaTypes) > 0 {
			return &formats[i]
		}
	}
	return nil
}

func formatForContentType(formats []Formatter, ct string) *Formatter {
	for i := range formats {
		for _, m := range formats[i].MediaTypes {
			if normalizeServiceStackContentType(m) == ct {
				return &formats[i]
			}
		}
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
