package webapi

import (
	"errors"
	"hash/maphash"
	"net/http"
	"strconv"
	"strings"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/codecs/formcodec"
	"legacygate/codecs/registry"
	"legacygate/codecs/xmlcodec"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
	"legacygate/routes/pipeline/bind"
	"legacygate/routes/pipeline/validate"
)

// Style implements pipeline.Style for Web API hosts.
type Style struct{}

var _ pipeline.Style = Style{}

// The fixed HttpError texts (System.Web.Http SRResources).
const (
	msgInvalid      = "The request is invalid."
	msgErrorOccured = "An error has occurred."
)

// Negotiate runs DefaultContentNegotiator over the host's formatters.
// Its outcome depends on the host and four headers only, so it is
// remembered per host and header values (see negotiations).
func (Style) Negotiate(h *contract.Host, _ pipeline.Match, r *http.Request) (codecs.Negotiation, bool) {
	k := negotiationKey{host: h, req: codecs.WebAPIRequest{
		Accept:         strings.Join(r.Header.Values("Accept"), ","),
		AcceptCharset:  strings.Join(r.Header.Values("Accept-Charset"), ","),
		ContentType:    r.Header.Get("Content-Type"),
		XRequestedWith: r.Header.Get("X-Requested-With"),
	}}
	size := len(k.req.Accept) + len(k.req.AcceptCharset) + len(k.req.ContentType) + len(k.req.XRequestedWith)
	o := negotiations.Do(k, size, func() negotiated {
		n, ok := codecs.NegotiateWebAPI(h.Formatters(), k.req)
		return negotiated{n, ok}
	})
	return o.n, o.ok
}

// negotiationKey is what NegotiateWebAPI's outcome depends on. An entry
// holds its host, so a host's address is never reused while an entry
// names it.
type negotiationKey struct {
	host *contract.Host
	req  codecs.WebAPIRequest
}

type negotiated struct {
	n  codecs.Negotiation
	ok bool
}

// negotiations remembers the latest outcomes (codecs.Memo: a fixed number
// of entries whatever headers clients send).
var negotiations = codecs.NewMemo[negotiationKey, negotiated](func(seed maphash.Seed, k negotiationKey) uint64 {
	return codecs.HashStrings(seed, k.req.Accept, k.req.AcceptCharset, k.req.ContentType, k.req.XRequestedWith, k.host.Name)
})

// Read binds a query-bound operation from the URI; otherwise it picks the
// reader from Content-Type (415 when none can read it), transcodes the
// charset and decodes the body with the request type's schema.
func (Style) Read(m pipeline.Match, r *http.Request, body []byte) (pipeline.Input, *pipeline.Problem) {
	op := m.Op
	if op.Bind == contract.FromQuery {
		return pipeline.Input{Value: query(r), Format: "query"}, nil
	}
	if len(body) == 0 {
		return pipeline.Input{}, nil
	}
	h := op.Host()
	f, mt, err := codecs.SelectReader(h.Formatters(), r.Header.Get("Content-Type"))
	switch {
	case errors.Is(err, codecs.ErrNoContentType):
		return pipeline.Input{}, &pipeline.Problem{Kind: pipeline.UnsupportedMediaType, Status: http.StatusUnsupportedMediaType, NoType: true}
	case err != nil:
		return pipeline.Input{}, &pipeline.Problem{Kind: pipeline.UnsupportedMediaType, Status: http.StatusUnsupportedMediaType, MediaType: mt.Essence(), Err: err}
	}
	in := pipeline.Input{Format: f.Format}
	d := readDialect(h, f.Format)
	c, ok := registry.Lookup(f.Format, d)
	if d == "" || !ok || c.Read == nil {
		return in, &pipeline.Problem{Kind: pipeline.UnsupportedMediaType, Status: http.StatusUnsupportedMediaType, MediaType: mt.Essence()}
	}
	cs, _ := mt.Param("charset")
	in.Value, in.Err = c.Read(body, op.Request.Schema(), codecs.ReadOptions{Charset: cs, Transcode: true, MaxKeys: maxFormKeys})
	if errors.Is(in.Err, codecs.ErrEmpty) {
		in.Value, in.Err = codecs.Value{}, nil
	}
	return in, nil
}

// dialects are the dialects Web API's formatters speak, by format:
// JsonMediaTypeFormatter (Json.NET), XmlMediaTypeFormatter with
// DataContractSerializer, FormUrlEncodedMediaTypeFormatter's model binding.
var dialects = map[string]string{"json": registry.Newtonsoft, "xml": registry.DataContract, "form": registry.WebAPI}

// readDialect is the dialect host h reads format in (the same for every
// host: a StringEnumConverter changes only what Json.NET writes).
func readDialect(_ *contract.Host, format string) string { return dialects[format] }

// writeDialect is the dialect host h writes format in: Json.NET with a
// StringEnumConverter when the contract's json format says so.
func writeDialect(h *contract.Host, format string) string {
	if format == "json" && h != nil {
		for _, f := range h.Formats {
			if f.Name == "json" && f.StringEnums {
				return registry.NewtonsoftStringEnums
			}
		}
	}
	return dialects[format]
}

// maxFormKeys is MediaTypeFormatter.MaxHttpCollectionKeys' default.
const maxFormKeys = 1000

// query binds simple parameters from the URI in the order they were sent.
// The query is decoded as Web API decodes it (GetQueryNameValuePairs uses
// the same UrlDecode as form bodies: '+' is a space, an invalid escape
// stays literal); keys match ignoring case and the first value of a key
// wins, as in Web API's query-string value provider.
func query(r *http.Request) codecs.Value {
	v := codecs.Obj()
	pairs, _ := formcodec.Parse(r.URL.RawQuery, 0)
	// Keys seen, by lower case: a bucket holds the few keys that lower to
	// the same text, compared by Unicode simple folding (one scan of every
	// earlier key per key was quadratic in the query's length).
	seen := make(map[string][]string, len(pairs))
	for _, p := range pairs {
		if p.Key == "" {
			continue
		}
		lk := strings.ToLower(p.Key)
		dup := false
		for _, k := range seen[lk] {
			if strings.EqualFold(k, p.Key) {
				dup = true
				break
			}
		}
		if !dup {
			seen[lk] = append(seen[lk], p.Key)
			v.Members = append(v.Members, codecs.M(p.Key, codecs.Str(p.Value)))
		}
	}
	return v
}

// BindOptions: Json.NET matches exactly first, then ignoring case.
func (Style) BindOptions() bind.Options { return bind.Options{} }

// Messages returns the DataAnnotations catalog.
func (Style) Messages() validate.Messages { return DataAnnotations{} }

// Invalid builds the ModelState: formatter/binder errors first (they are
// logged during deserialisation), then validation failures, each under
// "<parameter>.<path>".
func (Style) Invalid(op *contract.Operation, in *pipeline.Input, bindErrs []bind.Error, fails []validate.Failure) *pipeline.Problem {
	if len(bindErrs) == 0 && len(fails) == 0 {
		return nil
	}
	p := &pipeline.Problem{Kind: pipeline.Invalid, Status: http.StatusBadRequest}
	for _, e := range bindErrs {
		msg := msgErrorOccured
		if in != nil && in.Format == "form" && in.Err == nil && e.Display != "" {
			// Model binders (TypeConverterModelBinder) record a message,
			// not an exception: ModelBinderConfig_ValueInvalid.
			msg = "The value '" + e.Raw + "' is not valid for " + e.Display + "."
		}
		p.Fields = append(p.Fields, pipeline.FieldError{Key: key(op.Parameter, e.Path), Message: msg})
	}
	var validation []pipeline.FieldError
	for _, f := range fails {
		if parent, ok := requiredNotFound(in, f); ok {
			// Json.NET's "Required property 'X' not found in JSON. Path
			// '…'": a formatter error under the containing object's key
			// (remote callers see "An error has occurred."), recorded
			// while reading, before validation; [Required] itself then
			// passes on the value type's default.
			p.Fields = append(p.Fields, pipeline.FieldError{Key: key(op.Parameter, parent), Message: msgErrorOccured})
			continue
		}
		validation = append(validation, pipeline.FieldError{Key: key(op.Parameter, f.Path), Message: f.Message})
	}
	p.Fields = append(p.Fields, validation...)
	p.Err = invalidSummary(p.Fields)
	return p
}

// requiredNotFound reports whether failure f is a [Required] non-nullable
// value-type member absent from a JSON body whose containing object was
// present (Web API's contract resolver makes such members Json.NET
// Required, so the formatter, not validation, reports them), and returns
// the containing object's path.
func requiredNotFound(in *pipeline.Input, f validate.Failure) (string, bool) {
	if in == nil || in.Format != "json" || in.Err != nil || f.Rule.Kind != contract.RuleRequired || f.Member == nil {
		return "", false
	}
	t := f.Member.Type
	if t.Nullable || t.List() || t.Map() || t.Object != nil || t.Scalar == codecs.StringT || strings.Contains(f.Path, "[") {
		return "", false
	}
	parent, name := "", f.Path
	if i := strings.LastIndexByte(f.Path, '.'); i >= 0 {
		parent, name = f.Path[:i], f.Path[i+1:]
	}
	obj := in.Value
	if parent != "" {
		for _, seg := range strings.Split(parent, ".") {
			v, ok := obj.GetFold(seg)
			if !ok {
				return "", false
			}
			obj = v
		}
	}
	if obj.Kind != codecs.Object {
		return "", false
	}
	_, present := obj.GetFold(name)
	return parent, !present
}

func key(param, path string) string {
	switch {
	case path == "":
		return param
	case param == "":
		return path
	case path[0] == '[':
		return param + path // a whole-list parameter: items[0].Name
	}
	return param + "." + path
}

// Conflict reports a taken name as the contract says.
func (Style) Conflict(op *contract.Operation, err *backend.ConflictError) *pipeline.Problem {
	c, ok := op.Conflicts[string(err.Field)]
	if !ok {
		c = contract.Conflict{Key: op.Parameter, Message: string(err.Field) + " '{0}' is already taken."}
	}
	msg := strings.ReplaceAll(c.Message, "{0}", err.Value)
	return &pipeline.Problem{Kind: pipeline.Invalid, Status: http.StatusBadRequest,
		Fields: []pipeline.FieldError{{Key: c.Key, Code: c.Code, Message: msg}}}
}

// Render builds the HttpError dictionary.
func (Style) Render(r *http.Request, p *pipeline.Problem) codecs.Value {
	switch p.Kind {
	case pipeline.Invalid:
		if len(p.Fields) == 0 {
			return message(msgInvalid)
		}
		return codecs.Obj(codecs.M("Message", codecs.Str(msgInvalid)), codecs.M("ModelState", modelState(p.Fields)))
	case pipeline.UnsupportedMediaType:
		if p.NoType {
			return message("The request contains an entity body but no Content-Type header. The inferred media type 'application/octet-stream' is not supported for this resource.")
		}
		return message("The request entity's media type '" + p.MediaType + "' is not supported for this resource.")
	case pipeline.NotFound:
		return message("No HTTP resource was found that matches the request URI '" + absoluteURI(r) + "'.")
	case pipeline.MethodNotAllowed:
		return message("The requested resource does not support http method '" + r.Method + "'.")
	case pipeline.TooLarge:
		return message("The request entity is too large.")
	case pipeline.Throttled, pipeline.Unauthorized:
		if p.Message != "" {
			return message(p.Message)
		}
	case pipeline.Overloaded:
		secs := int(p.RetryAfter.Seconds())
		if secs < 1 {
			secs = 1
		}
		return message("The service is temporarily overloaded. Retry after " + strconv.Itoa(secs) + " seconds.")
	}
	return message(msgErrorOccured)
}

func message(s string) codecs.Value { return codecs.Obj(codecs.M("Message", codecs.Str(s))) }

// modelState groups messages by key in first-insertion order.
func modelState(fields []pipeline.FieldError) codecs.Value {
	ms := codecs.Obj()
	index := map[string]int{}
	for _, f := range fields {
		i, ok := index[f.Key]
		if !ok {
			i = len(ms.Members)
			index[f.Key] = i
			ms.Members = append(ms.Members, codecs.M(f.Key, codecs.Arr()))
		}
		ms.Members[i].Value.Items = append(ms.Members[i].Value.Items, codecs.Str(f.Message))
	}
	return ms
}

// absoluteURI is the request URI as IIS reported it to Web API.
func absoluteURI(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

// Encoder returns the registry's writer of the host's dialect of format;
// a form is never written (Web API has no form writer).
func (Style) Encoder(h *contract.Host, format string) pipeline.Encoder {
	d := writeDialect(h, format)
	if d == "" || format == "form" {
		return nil
	}
	c, ok := registry.Lookup(format, d)
	if !ok || c.Write == nil {
		return nil
	}
	if format == "xml" {
		return xmlWriter{c.Write}
	}
	return writer{c.Write}
}

// writer adapts a registry writer to pipeline.Encoder.
type writer struct{ w codecs.Writer }

func (e writer) Append(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error) {
	return e.w(dst, v, t, codecs.WriteOptions{})
}

// Headers: Web API adds none of its own.
func (Style) Headers(*contract.Host, http.Header) {}

// Authenticator: the Web API hosts sign nobody in (no [Authorize] in their
// contracts).
func (Style) Authenticator(pipeline.AuthDeps) pipeline.Authenticator { return nil }

// Routes are the operations' declared routes (attribute routing); Web API
// adds none of its own.
func (Style) Routes(h *contract.Host, prefix string, handler func(*contract.Operation) http.Handler) []pipeline.Route {
	var out []pipeline.Route
	for _, op := range h.Operations {
		hd := handler(op)
		for _, rt := range op.Routes {
			out = append(out, pipeline.Route{Method: rt.Method, Path: prefix + rt.Path, Handler: hd})
		}
	}
	return out
}

// xmlWriter is XmlMediaTypeFormatter with DataContractSerializer; a value
// without a schema is an HttpError dictionary.
type xmlWriter struct{ w codecs.Writer }

func (e xmlWriter) Append(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error) {
	if t == nil {
		return xmlcodec.AppendError(dst, v)
	}
	return e.w(dst, v, t, codecs.WriteOptions{})
}

// invalidSummary names the refused keys for the log. Parser messages are
// left out: they quote request text, which may be a password.
func invalidSummary(fields []pipeline.FieldError) error {
	keys := make([]string, 0, len(fields))
	for _, f := range fields {
		keys = append(keys, f.Key)
	}
	return errors.New("invalid: " + strings.Join(keys, ", "))
}
