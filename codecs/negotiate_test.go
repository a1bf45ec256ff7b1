package codecs

import (
	"errors"
	"testing"
)

var (
	dotNetEncodings = []string{"utf-8", "utf-16"}

	// hubFormatters is Web API's default collection: Json, Xml,
	// FormUrlEncoded, JQueryMvcFormUrlEncoded (the last two only read).
	hubFormatters = []Formatter{
		{Format: "json", MediaTypes: []string{"application/json", "text/json"}, CanRead: true, CanWrite: true, Charsets: dotNetEncodings},
		{Format: "xml", MediaTypes: []string{"application/xml", "text/xml"}, CanRead: true, CanWrite: true, Charsets: dotNetEncodings},
		{Format: "form", MediaTypes: []string{"application/x-www-form-urlencoded"}, CanRead: true, Charsets: []string{"utf-8"}},
		{Format: "form", MediaTypes: []string{"application/x-www-form-urlencoded"}, CanRead: true, Charsets: []string{"utf-8"}},
	}

	// flsFormatters is the FLS host: the Json formatter has text/html appended.
	flsFormatters = []Formatter{
		{Format: "json", MediaTypes: []string{"application/json", "text/json", "text/html"}, CanRead: true, CanWrite: true, Charsets: dotNetEncodings},
		hubFormatters[1], hubFormatters[2], hubFormatters[3],
	}
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// outcome renders a negotiation result as "format:media type", "406" when
// negotiation failed.
func outcome(n Negotiation, ok bool) string {
	if !ok {
		return "406"
	}
	return n.Format + ":" + n.MediaType
}

// TestNegotiateWebAPIOutcomes encodes the "Outcomes" table of
// docs/legacy/aspnet-webapi.md §4 (rows marked "spec"), plus further cases derived from
// DefaultContentNegotiator.
func TestNegotiateWebAPIOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		give    WebAPIRequest
		wantHub string
		wantFLS string
	}{
		{name: "spec: no Accept, no Content-Type", give: WebAPIRequest{},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "spec: no Accept, Content-Type application/xml", give: WebAPIRequest{ContentType: "application/xml"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "spec: no Accept, Content-Type text/xml", give: WebAPIRequest{ContentType: "text/xml"},
			wantHub: "xml:text/xml", wantFLS: "xml:text/xml"},
		{name: "spec: no Accept, form post", give: WebAPIRequest{ContentType: "application/x-www-form-urlencoded"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "spec: */* beats Content-Type", give: WebAPIRequest{Accept: "*/*", ContentType: "application/xml"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "spec: application/xml, no Content-Type", give: WebAPIRequest{Accept: "application/xml"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "spec: application/xml, Content-Type json", give: WebAPIRequest{Accept: "application/xml", ContentType: "application/json"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "spec: application/xml, Content-Type text/xml", give: WebAPIRequest{Accept: "application/xml", ContentType: "text/xml; charset=utf-8"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "spec: application/xml, form post", give: WebAPIRequest{Accept: "application/xml", ContentType: "application/x-www-form-urlencoded"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "spec: equal q goes to formatter order", give: WebAPIRequest{Accept: "application/xml, application/json"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "spec: lower q json loses", give: WebAPIRequest{Accept: "application/json;q=0.5, application/xml"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "spec: text/*", give: WebAPIRequest{Accept: "text/*"},
			wantHub: "json:text/json", wantFLS: "json:text/json"},
		{name: "spec: application/*", give: WebAPIRequest{Accept: "application/*"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "spec: text/plain falls back, no 406", give: WebAPIRequest{Accept: "text/plain"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "spec: browser", give: WebAPIRequest{Accept: browserAccept},
			wantHub: "xml:application/xml", wantFLS: "json:text/html"},
		{name: "spec: q=0 never matches", give: WebAPIRequest{Accept: "application/xml;q=0"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "spec: XHR mapping beats Content-Type", give: WebAPIRequest{ContentType: "application/xml", XRequestedWith: "XMLHttpRequest"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},

		{name: "XHR with Accept */*", give: WebAPIRequest{Accept: "*/*", ContentType: "text/xml", XRequestedWith: "XMLHttpRequest"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "XHR with Accept */*;q=0.1", give: WebAPIRequest{Accept: "*/*;q=0.1", XRequestedWith: "xmlhttprequest"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "XHR value matched as substring", give: WebAPIRequest{ContentType: "text/xml", XRequestedWith: "Foo, XMLHttpRequest"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "XHR ignored when Accept is explicit", give: WebAPIRequest{Accept: "application/xml", XRequestedWith: "XMLHttpRequest"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "XHR ignored with two Accept elements", give: WebAPIRequest{Accept: "*/*, */*", ContentType: "text/xml", XRequestedWith: "XMLHttpRequest"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "other X-Requested-With is no mapping", give: WebAPIRequest{ContentType: "text/xml", XRequestedWith: "Fetch"},
			wantHub: "xml:text/xml", wantFLS: "xml:text/xml"},
		{name: "Content-Type beats can-write when Accept unmatched", give: WebAPIRequest{Accept: "text/plain", ContentType: "application/xml"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "Content-Type text/html", give: WebAPIRequest{ContentType: "text/html"},
			wantHub: "json:application/json", wantFLS: "json:text/html"},
		{name: "Accept parameters do not prevent a match", give: WebAPIRequest{Accept: "application/json;odata=verbose, application/xml;q=0.9"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "Accept charset parameter", give: WebAPIRequest{Accept: "application/xml; charset=utf-8"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "equal q literals: formatter order, Accept order ignored", give: WebAPIRequest{Accept: "text/xml, text/json"},
			wantHub: "json:text/json", wantFLS: "json:text/json"},
		{name: "subtype range tie: formatter order", give: WebAPIRequest{Accept: "text/*, application/xml;q=0.9"},
			wantHub: "json:text/json", wantFLS: "json:text/json"},
		{name: "literal with higher q beats */*", give: WebAPIRequest{Accept: "*/*;q=0.1, text/xml;q=0.2"},
			wantHub: "xml:text/xml", wantFLS: "xml:text/xml"},
		{name: "*/* sorted first claims both formatters", give: WebAPIRequest{Accept: "application/xml;q=0.5, */*"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "q=0 literal does not exclude */*", give: WebAPIRequest{Accept: "application/json;q=0, */*"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "literal beats subtype range on equal q", give: WebAPIRequest{Accept: "application/*, text/xml"},
			wantHub: "xml:text/xml", wantFLS: "xml:text/xml"},
		{name: "higher q subtype range beats literal", give: WebAPIRequest{Accept: "application/*, text/xml;q=0.5"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "case-insensitive Accept", give: WebAPIRequest{Accept: "APPLICATION/XML"},
			wantHub: "xml:application/xml", wantFLS: "xml:application/xml"},
		{name: "malformed Accept element drops the header", give: WebAPIRequest{Accept: "application/xml, garbage"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "malformed Accept then Content-Type", give: WebAPIRequest{Accept: "application/xml;", ContentType: "text/xml"},
			wantHub: "xml:text/xml", wantFLS: "xml:text/xml"},
		{name: "malformed Accept enables XHR mapping", give: WebAPIRequest{Accept: "application/xml, garbage", XRequestedWith: "XMLHttpRequest"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "unparsable Content-Type counts as absent", give: WebAPIRequest{ContentType: "xml"},
			wantHub: "json:application/json", wantFLS: "json:application/json"},
		{name: "Content-Type range text/*", give: WebAPIRequest{ContentType: "text/*"},
			wantHub: "json:text/json", wantFLS: "json:text/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hub, hubOK := NegotiateWebAPI(hubFormatters, tt.give)
			fls, flsOK := NegotiateWebAPI(flsFormatters, tt.give)
			mtCheck(t, "Hub outcome ("+hub.Reason+")", outcome(hub, hubOK), tt.wantHub)
			mtCheck(t, "FLS outcome ("+fls.Reason+")", outcome(fls, flsOK), tt.wantFLS)
		})
	}
}

func TestNegotiateWebAPIFormatterSets(t *testing.T) {
	xmlOnly := []Formatter{
		{Format: "json", MediaTypes: []string{"application/json"}, CanRead: true, Charsets: dotNetEncodings},
		hubFormatters[1],
	}
	tests := []struct {
		name       string
		formatters []Formatter
		give       WebAPIRequest
		want       string
	}{
		{name: "no formatters", formatters: nil, give: WebAPIRequest{}, want: "406"},
		{name: "only readers", formatters: hubFormatters[2:], give: WebAPIRequest{Accept: "*/*"}, want: "406"},
		{name: "json cannot write the type", formatters: xmlOnly, give: WebAPIRequest{Accept: "application/json"}, want: "xml:application/xml"},
		{name: "XHR without a json writer", formatters: xmlOnly, give: WebAPIRequest{XRequestedWith: "XMLHttpRequest"}, want: "xml:application/xml"},
		{name: "writer without media types", formatters: []Formatter{{Format: "raw", CanWrite: true}}, give: WebAPIRequest{Accept: "*/*"}, want: "raw:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := NegotiateWebAPI(tt.formatters, tt.give)
			mtCheck(t, "outcome ("+n.Reason+")", outcome(n, ok), tt.want)
		})
	}
}

func TestNegotiateWebAPICharset(t *testing.T) {
	tests := []struct {
		name            string
		give            WebAPIRequest
		want            string
		wantContentType string
	}{
		{name: "default", give: WebAPIRequest{},
			want: "utf-8", wantContentType: "application/json; charset=utf-8"},
		{name: "Accept-Charset utf-16", give: WebAPIRequest{AcceptCharset: "utf-16"},
			want: "utf-16", wantContentType: "application/json; charset=utf-16"},
		{name: "Accept-Charset is case-insensitive", give: WebAPIRequest{Accept: "text/xml", AcceptCharset: "UTF-16"},
			want: "utf-16", wantContentType: "text/xml; charset=utf-16"},
		{name: "unsupported first, supported second", give: WebAPIRequest{AcceptCharset: "iso-8859-1, utf-16;q=0.5"},
			want: "utf-16", wantContentType: "application/json; charset=utf-16"},
		{name: "sorted by q", give: WebAPIRequest{AcceptCharset: "utf-8;q=0.4, utf-16;q=0.5"},
			want: "utf-16", wantContentType: "application/json; charset=utf-16"},
		{name: "wildcard takes the first encoding", give: WebAPIRequest{AcceptCharset: "*"},
			want: "utf-8", wantContentType: "application/json; charset=utf-8"},
		{name: "wildcard with higher q wins", give: WebAPIRequest{AcceptCharset: "utf-16;q=0.5, *"},
			want: "utf-8", wantContentType: "application/json; charset=utf-8"},
		{name: "wildcard ranks below a name on equal q", give: WebAPIRequest{AcceptCharset: "*;q=0.5, utf-16;q=0.5"},
			want: "utf-16", wantContentType: "application/json; charset=utf-16"},
		{name: "q=0 never matches", give: WebAPIRequest{AcceptCharset: "utf-16;q=0"},
			want: "utf-8", wantContentType: "application/json; charset=utf-8"},
		{name: "request Content-Type charset", give: WebAPIRequest{ContentType: "application/json; charset=utf-16"},
			want: "utf-16", wantContentType: "application/json; charset=utf-16"},
		{name: "request Content-Type charset is case-insensitive", give: WebAPIRequest{ContentType: "text/xml; charset=\"UTF-16\""},
			want: "utf-16", wantContentType: "text/xml; charset=utf-16"},
		{name: "unsupported request charset", give: WebAPIRequest{ContentType: "application/json; charset=iso-8859-1"},
			want: "utf-8", wantContentType: "application/json; charset=utf-8"},
		{name: "unmatched Accept-Charset falls to Content-Type", give: WebAPIRequest{AcceptCharset: "iso-8859-1", ContentType: "application/json; charset=utf-16"},
			want: "utf-16", wantContentType: "application/json; charset=utf-16"},
		{name: "Accept-Charset beats Content-Type", give: WebAPIRequest{AcceptCharset: "utf-8", ContentType: "application/json; charset=utf-16"},
			want: "utf-8", wantContentType: "application/json; charset=utf-8"},
		{name: "malformed Accept-Charset element drops the header", give: WebAPIRequest{AcceptCharset: "utf-16;level=1", ContentType: "text/json"},
			want: "utf-8", wantContentType: "text/json; charset=utf-8"},
		{name: "Accept-Charset q above 1 is malformed", give: WebAPIRequest{AcceptCharset: "utf-16;q=2"},
			want: "utf-8", wantContentType: "application/json; charset=utf-8"},
		{name: "Accept-Charset q without leading digit is malformed", give: WebAPIRequest{AcceptCharset: "utf-16;q=.5"},
			want: "utf-8", wantContentType: "application/json; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := NegotiateWebAPI(hubFormatters, tt.give)
			mtCheck(t, "ok", ok, true)
			mtCheck(t, "Charset ("+n.Reason+")", n.Charset, tt.want)
			mtCheck(t, "ContentType()", n.ContentType(), tt.wantContentType)
		})
	}
}

func TestNegotiateWebAPIReason(t *testing.T) {
	tests := []struct {
		give WebAPIRequest
		want string
	}{
		{give: WebAPIRequest{Accept: "text/*"}, want: `accept "text/*" (q=1) matched text/json by subtype range; charset utf-8 (formatter default)`},
		{give: WebAPIRequest{Accept: browserAccept}, want: `accept "application/xml" (q=0.9) matched application/xml by literal; charset utf-8 (formatter default)`},
		{give: WebAPIRequest{Accept: "*/*;q=0.8"}, want: `accept "*/*" (q=0.8) matched application/json by all-media range; charset utf-8 (formatter default)`},
		{give: WebAPIRequest{ContentType: "text/xml; charset=utf-16"}, want: `request Content-Type "text/xml; charset=utf-16" matched text/xml; charset utf-16 from request Content-Type`},
		{give: WebAPIRequest{XRequestedWith: "XMLHttpRequest", AcceptCharset: "utf-16"}, want: `X-Requested-With: XMLHttpRequest mapped to application/json (Accept absent or */*); charset utf-16 from Accept-Charset "utf-16"`},
		{give: WebAPIRequest{}, want: `no Accept or Content-Type match; json formatter writes the type as its first media type application/json; charset utf-8 (formatter default)`},
		{give: WebAPIRequest{Accept: "x"}, want: `Accept ignored (malformed element); no Accept or Content-Type match; json formatter writes the type as its first media type application/json; charset utf-8 (formatter default)`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			n, _ := NegotiateWebAPI(hubFormatters, tt.give)
			mtCheck(t, "Reason", n.Reason, tt.want)
		})
	}
}

// unsupportedType returns the as-sent media type of an
// *UnsupportedMediaTypeError, "" otherwise.
func unsupportedType(err error) string {
	var u *UnsupportedMediaTypeError
	if errors.As(err, &u) {
		return u.MediaType
	}
	return ""
}

func TestSelectReader(t *testing.T) {
	tests := []struct {
		name        string
		formatters  []Formatter
		give        string
		wantFormat  string
		wantMedia   string
		wantErr     error
		wantRawType string
	}{
		{name: "json", formatters: hubFormatters, give: "application/json", wantFormat: "json", wantMedia: "application/json"},
		{name: "json with charset", formatters: hubFormatters, give: "application/json; charset=utf-16", wantFormat: "json", wantMedia: "application/json; charset=utf-16"},
		{name: "text/json", formatters: hubFormatters, give: "Text/JSON", wantFormat: "json", wantMedia: "text/json"},
		{name: "text/xml", formatters: hubFormatters, give: "text/xml;charset=utf-8", wantFormat: "xml", wantMedia: "text/xml; charset=utf-8"},
		{name: "form", formatters: hubFormatters, give: "application/x-www-form-urlencoded; charset=UTF-8", wantFormat: "form", wantMedia: "application/x-www-form-urlencoded; charset=UTF-8"},
		{name: "text/html on Hub", formatters: hubFormatters, give: "text/html", wantMedia: "text/html", wantErr: ErrUnsupportedMediaType, wantRawType: "text/html"},
		{name: "text/html on FLS reads JSON", formatters: flsFormatters, give: "text/html", wantFormat: "json", wantMedia: "text/html"},
		{name: "unsupported keeps case as sent", formatters: hubFormatters, give: "Text/Plain; charset=x", wantMedia: "text/plain; charset=x", wantErr: ErrUnsupportedMediaType, wantRawType: "Text/Plain"},
		{name: "missing", formatters: hubFormatters, give: "", wantErr: ErrNoContentType},
		{name: "blank", formatters: hubFormatters, give: "  ", wantErr: ErrNoContentType},
		{name: "unparsable", formatters: hubFormatters, give: "json", wantErr: ErrNoContentType},
		{name: "writer-only formatter does not read", formatters: []Formatter{{Format: "json", MediaTypes: []string{"application/json"}, CanWrite: true}}, give: "application/json", wantMedia: "application/json", wantErr: ErrUnsupportedMediaType, wantRawType: "application/json"},
		{name: "Content-Type range", formatters: hubFormatters, give: "application/*", wantFormat: "json", wantMedia: "application/*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, m, err := SelectReader(tt.formatters, tt.give)
			mtCheck(t, "format", f.Format, tt.wantFormat)
			mtCheck(t, "media type", m.String(), tt.wantMedia)
			mtCheck(t, "errors.Is(err, want) ("+errText(err)+")", errors.Is(err, tt.wantErr), true)
			mtCheck(t, "error is nil", err == nil, tt.wantErr == nil)
			mtCheck(t, "as-sent media type", unsupportedType(err), tt.wantRawType)
		})
	}
}

var (
	ssFormats = []Formatter{
		{Format: "json", MediaTypes: []string{"application/json", "text/json"}, CanRead: true, CanWrite: true, Charsets: []string{"utf-8"}},
		{Format: "xml", MediaTypes: []string{"application/xml", "text/xml"}, CanRead: true, CanWrite: true},
		{Format: "jsv", MediaTypes: []string{"application/jsv", "text/jsv"}, CanRead: true, CanWrite: true},
		{Format: "csv", MediaTypes: []string{"text/csv"}, CanRead: true, CanWrite: true},
		{Format: "html", MediaTypes: []string{"text/html"}, CanWrite: true},
	}
	ssPreferred = []string{"text/html", "application/json", "application/xml", "application/jsv"}

	// ssXMLDefault is a host whose DefaultContentType is application/xml.
	ssXMLDefault = []Formatter{ssFormats[1], ssFormats[0], ssFormats[2]}
)

func TestNegotiateServiceStack(t *testing.T) {
	tests := []struct {
		name    string
		formats []Formatter
		give    ServiceStackRequest
		want    string
	}{
		{name: "default", formats: ssFormats, give: ServiceStackRequest{}, want: "json:application/json"},
		{name: "default of an XML host", formats: ssXMLDefault, give: ServiceStackRequest{}, want: "xml:application/xml"},
		{name: "no formats: application/json", formats: nil, give: ServiceStackRequest{}, want: ":application/json"},

		{name: "JSONP forces JSON over ?format", formats: ssFormats, give: ServiceStackRequest{JSONP: true, Format: "xml", Accept: "application/xml"}, want: "json:application/json"},
		{name: "JSONP on an XML host", formats: ssXMLDefault, give: ServiceStackRequest{JSONP: true}, want: "json:application/json"},

		{name: "?format=xml", formats: ssFormats, give: ServiceStackRequest{Format: "xml", Accept: "application/json"}, want: "xml:application/xml"},
		{name: "?format= is lower-cased", formats: ssFormats, give: ServiceStackRequest{Format: "JSV"}, want: "jsv:application/jsv"},
		{name: "?format= part before '.'", formats: ssFormats, give: ServiceStackRequest{Format: "XML.debug"}, want: "xml:application/xml"},
		{name: "?format= registered plugin format", formats: ssFormats, give: ServiceStackRequest{Format: "csv"}, want: "csv:text/csv"},
		{name: "unknown ?format= ignored: Accept", formats: ssFormats, give: ServiceStackRequest{Format: "foo", Accept: "application/xml"}, want: "xml:application/xml"},
		{name: "unknown ?format= ignored: default", formats: ssFormats, give: ServiceStackRequest{Format: "foo"}, want: "json:application/json"},
		{name: "unknown ?format= ignored: path format", formats: ssFormats, give: ServiceStackRequest{Format: "foo", PathFormat: "jsv"}, want: "jsv:application/jsv"},
		{name: "?format= beats path format", formats: ssFormats, give: ServiceStackRequest{Format: "json", PathFormat: "xml"}, want: "json:application/json"},

		{name: "path format", formats: ssFormats, give: ServiceStackRequest{PathFormat: "xml", Accept: "application/json"}, want: "xml:application/xml"},
		{name: "path format is lower-cased", formats: ssFormats, give: ServiceStackRequest{PathFormat: "JSV"}, want: "jsv:application/jsv"},
		{name: "unknown path format ignored", formats: ssFormats, give: ServiceStackRequest{PathFormat: "reply", Accept: "application/xml"}, want: "xml:application/xml"},

		{name: "Accept application/xml", formats: ssFormats, give: ServiceStackRequest{Accept: "application/xml"}, want: "xml:application/xml"},
		{name: "Accept parameters stripped", formats: ssFormats, give: ServiceStackRequest{Accept: " application/jsv; q=0.5 "}, want: "jsv:application/jsv"},
		{name: "preferred order, not Accept order", formats: ssFormats, give: ServiceStackRequest{Accept: "application/xml, application/json"}, want: "json:application/json"},
		{name: "q ignored", formats: ssFormats, give: ServiceStackRequest{Accept: "application/json;q=0.1, application/xml"}, want: "json:application/json"},
		{name: "q=0 ignored too", formats: ssFormats, give: ServiceStackRequest{Accept: "application/xml;q=0"}, want: "xml:application/xml"},
		{name: "default moved to the front of preferred", formats: ssXMLDefault, give: ServiceStackRequest{Accept: "application/json, application/xml"}, want: "xml:application/xml"},
		{name: "accepted type equal to Content-Type wins", formats: ssFormats, give: ServiceStackRequest{Accept: "application/json, application/xml", ContentType: "application/xml"}, want: "xml:application/xml"},
		{name: "Content-Type rule is an exact comparison", formats: ssFormats, give: ServiceStackRequest{Accept: "application/json, application/xml", ContentType: "application/xml; charset=utf-8"}, want: "json:application/json"},
		{name: "Content-Type rule needs an accepted type", formats: ssFormats, give: ServiceStackRequest{Accept: "application/jsv", ContentType: "application/xml"}, want: "jsv:application/jsv"},
		{name: "Accept prefix match", formats: ssFormats, give: ServiceStackRequest{Accept: "application/json-patch+json"}, want: "json:application/json"},
		{name: "Accept is case-insensitive", formats: ssFormats, give: ServiceStackRequest{Accept: "Application/XML"}, want: "xml:application/xml"},
		{name: "browser gets text/html", formats: ssFormats, give: ServiceStackRequest{Accept: browserAccept}, want: "html:text/html"},
		{name: "browser without an HTML format", formats: ssFormats[:4], give: ServiceStackRequest{Accept: browserAccept}, want: ":text/html"},

		{name: "*/* returns the request Content-Type", formats: ssFormats, give: ServiceStackRequest{Accept: "*/*", ContentType: "application/xml"}, want: "xml:application/xml"},
		{name: "*/* with an alias Content-Type", formats: ssFormats, give: ServiceStackRequest{Accept: "*/*", ContentType: "text/xml; charset=utf-8"}, want: "xml:application/xml"},
		{name: "*/* with text/jsv", formats: ssFormats, give: ServiceStackRequest{Accept: "*/*", ContentType: "text/jsv"}, want: "jsv:application/jsv"},
		{name: "*/* with text/json", formats: ssXMLDefault, give: ServiceStackRequest{Accept: "*/*", ContentType: "text/json"}, want: "json:application/json"},
		{name: "*/* without Content-Type", formats: ssXMLDefault, give: ServiceStackRequest{Accept: "*/*"}, want: "xml:application/xml"},
		{name: "*/* form post counts as none", formats: ssFormats, give: ServiceStackRequest{Accept: "*/*", ContentType: "application/x-www-form-urlencoded"}, want: "json:application/json"},
		{name: "*/* multipart post counts as none", formats: ssXMLDefault, give: ServiceStackRequest{Accept: "*/*", ContentType: "multipart/form-data; boundary=x"}, want: "xml:application/xml"},
		{name: "*/* with unregistered Content-Type", formats: ssFormats, give: ServiceStackRequest{Accept: "*/*", ContentType: "text/plain"}, want: ":text/plain"},
		{name: "preferred beats */*", formats: ssFormats, give: ServiceStackRequest{Accept: "*/*, application/jsv", ContentType: "application/xml"}, want: "jsv:application/jsv"},

		{name: "registered non-preferred format", formats: ssFormats, give: ServiceStackRequest{Accept: "text/csv"}, want: "csv:text/csv"},
		{name: "alias in Accept is not a preferred type but matches its registered format", formats: ssXMLDefault, give: ServiceStackRequest{Accept: "text/json"}, want: "json:application/json"},
		{name: "text/jsv as the metadata pages send it", formats: ssFormats, give: ServiceStackRequest{Accept: "text/jsv"}, want: "jsv:application/jsv"},
		{name: "alias not registered: default", formats: []Formatter{{Format: "json", MediaTypes: []string{"application/json"}, CanWrite: true}, {Format: "jsv", MediaTypes: []string{"application/jsv"}, CanWrite: true}}, give: ServiceStackRequest{Accept: "text/jsv"}, want: "json:application/json"},
		{name: "unknown Accept: default", formats: ssFormats, give: ServiceStackRequest{Accept: "text/plain"}, want: "json:application/json"},
		{name: "unknown Accept: default of an XML host", formats: ssXMLDefault, give: ServiceStackRequest{Accept: "text/plain"}, want: "xml:application/xml"},
		{name: "empty Accept elements", formats: ssFormats, give: ServiceStackRequest{Accept: ", ,application/xml,"}, want: "xml:application/xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := NegotiateServiceStack(tt.formats, ssPreferred, tt.give)
			mtCheck(t, "outcome ("+n.Reason+")", outcome(n, true), tt.want)
		})
	}
}

func TestNegotiateServiceStackCharset(t *testing.T) {
	tests := []struct {
		give ServiceStackRequest
		want string
	}{
		{give: ServiceStackRequest{}, want: "application/json; charset=utf-8"},
		{give: ServiceStackRequest{Format: "xml"}, want: "application/xml"},
		{give: ServiceStackRequest{JSONP: true}, want: "application/json; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			mtCheck(t, "ContentType()", NegotiateServiceStack(ssFormats, ssPreferred, tt.give).ContentType(), tt.want)
		})
	}
}

func TestNegotiationContentType(t *testing.T) {
	tests := []struct {
		give Negotiation
		want string
	}{
		{give: Negotiation{MediaType: "application/json"}, want: "application/json"},
		{give: Negotiation{MediaType: "text/html", Charset: "utf-8"}, want: "text/html; charset=utf-8"},
		{give: Negotiation{MediaType: "application/json; charset=utf-16; x=1", Charset: "utf-8"}, want: "application/json; x=1; charset=utf-8"},
		{give: Negotiation{MediaType: "", Charset: "utf-8"}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			mtCheck(t, "ContentType()", tt.give.ContentType(), tt.want)
		})
	}
}

func BenchmarkNegotiateWebAPI(b *testing.B) {
	req := WebAPIRequest{
		Accept:         browserAccept,
		AcceptCharset:  "utf-8, iso-8859-1;q=0.5",
		ContentType:    "application/x-www-form-urlencoded",
		XRequestedWith: "",
	}
	b.ReportAllocs()
	for b.Loop() {
		if n, ok := NegotiateWebAPI(hubFormatters, req); !ok || n.Format != "xml" {
			b.Fatalf("unexpected %+v", n)
		}
	}
}
