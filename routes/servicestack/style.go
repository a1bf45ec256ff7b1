package servicestack

import (
	"errors"
	"hash/maphash"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/codecs/formcodec"
	"legacygate/codecs/registry"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
	"legacygate/routes/pipeline/bind"
	"legacygate/routes/pipeline/validate"
)

// Style implements pipeline.Style for ServiceStack hosts.
type Style struct{}

var _ pipeline.Style = Style{}

// preferred is HostConfig.PreferredContentTypes' default order; the host's
// default content type is moved to its front by the negotiator.
var preferred = []string{"text/html", "application/json", "application/xml", "application/jsv"}

// Negotiate runs ServiceStack's GetResponseContentType. JSON is sent with
// "; charset=utf-8" (AppendUtf8CharsetOnContentTypes); JSV and XML bare.
func (Style) Negotiate(h *contract.Host, m pipeline.Match, r *http.Request) (codecs.Negotiation, bool) {
	var q url.Values
	if r.URL.RawQuery != "" {
		q = r.URL.Query()
	}
	n := negotiate(h, codecs.ServiceStackRequest{
		Format:      q.Get("format"),
		PathFormat:  m.Format,
		Accept:      strings.Join(r.Header.Values("Accept"), ","),
		ContentType: r.Header.Get("Content-Type"),
		JSONP:       q.Get("callback") != "",
	})
	if n.Format == "" {
		// A content type no registered format writes (text/html without
		// the HTML plugin): ServiceStack falls back to its default.
		f := h.Formatters()[0]
		n.Format, n.MediaType, n.Reason = f.Format, f.MediaTypes[0], n.Reason+"; default format "+f.Format
	}
	if n.Format == "jsv" && m.Predefined && m.Format == "jsv" && q.Get("format") == "" &&
		strings.Contains(r.URL.Path, "/jsv/reply/") {
		// JsvReplyHandler's own content type is MimeTypes.JsvText; every
		// other JSV answer (custom routes, /jsv/oneway, ?format=jsv) is
		// MimeTypes.Jsv (docs/legacy/servicestack.md §1).
		n.MediaType = "text/jsv"
	}
	n.Charset = ""
	if n.Format == "json" {
		n.Charset = "utf-8"
	}
	return n, true
}

// negotiate is codecs.NegotiateServiceStack over the host's formatters and
// preferred, remembered per host and request (see negotiations).
func negotiate(h *contract.Host, req codecs.ServiceStackRequest) codecs.Negotiation {
	size := len(req.Format) + len(req.PathFormat) + len(req.Accept) + len(req.ContentType)
	return negotiations.Do(negotiationKey{host: h, req: req}, size, func() codecs.Negotiation {
		return codecs.NegotiateServiceStack(h.Formatters(), preferred, req)
	})
}

// negotiationKey is what NegotiateServiceStack's outcome depends on
// (preferred is constant). An entry holds its host, so a host's address is
// never reused while an entry names it.
type negotiationKey struct {
	host *contract.Host
	req  codecs.ServiceStackRequest
}

// negotiations remembers the latest outcomes (codecs.Memo: a fixed number
// of entries whatever clients send).
var negotiations = codecs.NewMemo[negotiationKey, codecs.Negotiation](func(seed maphash.Seed, k negotiationKey) uint64 {
	jsonp := ""
	if k.req.JSONP {
		jsonp = "p"
	}
	return codecs.HashStrings(seed, k.req.Format, k.req.PathFormat, k.req.Accept, k.req.ContentType, jsonp, k.host.Name)
})

// Headers adds HostConfig.GlobalResponseHeaders' Vary: Accept.
func (Style) Headers(_ *contract.Host, hdr http.Header) {
	hdr.Add("Vary", "Accept") // Add: CORS may have set Vary: Origin
}

// Read deserialises the body by its Content-Type (an unknown or missing
// type, or an empty body, gives an empty request), then applies the
// key/value overlay: on custom routes path < query < form over the body;
// on predefined routes a form post is query then form, and otherwise the
// query only fills members the body left empty.
func (Style) Read(m pipeline.Match, r *http.Request, body []byte) (pipeline.Input, *pipeline.Problem) {
	op := m.Op
	schema := op.Request.Schema()
	ct := r.Header.Get("Content-Type")
	mt, _ := codecs.ParseMediaType(ct)
	essence := normalize(mt.Essence())
	if f, ok := bodyFormats[essence]; ok && !reads(op.Host(), f) {
		// A format the host does not register reads as an unknown
		// content type: ServiceStack finds no deserializer for it.
		essence = "unregistered/" + f
	}
	in := pipeline.Input{Value: codecs.Obj(), Format: "query"}
	isForm := essence == "application/x-www-form-urlencoded" || essence == "multipart/form-data"
	var form []formcodec.Pair
	if isForm {
		in.Format = "form"
		if essence == "application/x-www-form-urlencoded" {
			var err error
			if form, err = formcodec.Parse(string(body), maxKeys); err != nil {
				in.Err = deserializeError(essence, op)
				return in, nil
			}
		}
	} else if len(body) > 0 {
		v := codecs.Obj() // unknown content type: an empty request DTO
		if f, ok := bodyFormats[essence]; ok {
			in.Format = f
			c, ok := registry.Lookup(f, dialect(op.Host(), f))
			if !ok || c.Read == nil {
				in.Err = deserializeError(essence, op)
				return in, nil
			}
			var err error
			v, err = c.Read(body, schema, codecs.ReadOptions{})
			if errors.Is(err, codecs.ErrEmpty) {
				v, err = codecs.Obj(), nil
			}
			if err != nil || v.Kind != codecs.Object {
				in.Err = deserializeError(essence, op)
				return in, nil
			}
		}
		in.Value = v
	}
	var layers []formcodec.Layer
	query := queryPairs(r)
	switch {
	case !m.Predefined:
		var buf [4]formcodec.Pair // a route's few parameters, on the stack
		path := buf[:0]
		for _, p := range m.Params {
			path = append(path, formcodec.Pair{Key: p.Name, Value: p.Value})
		}
		layers = []formcodec.Layer{{Pairs: path, Overwrite: true}, {Pairs: query, Overwrite: true}, {Pairs: form, Overwrite: true}}
	case isForm:
		layers = []formcodec.Layer{{Pairs: query, Overwrite: true}, {Pairs: form, Overwrite: true}}
	default:
		layers = []formcodec.Layer{{Pairs: query}}
	}
	var err error
	in.Value, err = formcodec.ReadServiceStack(in.Value, schema, layers, op.Host().JSV)
	var fe formcodec.FieldErrors
	if errors.As(err, &fe) {
		for _, e := range fe {
			in.BindErrs = append(in.BindErrs, bind.Error{Path: e.Member, Msg: e.Msg, Raw: e.Raw, Display: e.Member})
		}
		in.Err = errors.New("servicestack: unable to bind request")
	}
	return in, nil
}

const maxKeys = 1000

func deserializeError(ct string, op *contract.Operation) error {
	return &serializationError{msg: "Could not deserialize '" + ct + "' request using " + op.Request.Name + "'"}
}

type serializationError struct{ msg string }

func (e *serializationError) Error() string { return e.msg }

// normalize maps ContentFormat.ContentTypeAliases (text/json, text/xml,
// text/jsv) to their application/* forms.
func normalize(ct string) string {
	switch ct {
	case "text/json":
		return "application/json"
	case "text/xml":
		return "application/xml"
	case "text/jsv":
		return "application/jsv"
	}
	return ct
}

func queryPairs(r *http.Request) []formcodec.Pair {
	if r.URL.RawQuery == "" {
		return nil
	}
	pairs, _ := formcodec.Parse(r.URL.RawQuery, maxKeys)
	return pairs
}

// BindOptions: ServiceStack matches member names case-insensitively only.
func (Style) BindOptions() bind.Options { return bind.Options{FoldOnly: true, TextSpans: true} }

// Messages returns FluentValidation's English texts.
func (Style) Messages() validate.Messages { return FluentValidation{} }

// Invalid builds a 400 ResponseStatus: binding failures as
// SerializationException (RequestBindingError entries), validation
// failures as ValidationError with one Errors[] entry per failure.
func (Style) Invalid(op *contract.Operation, in *pipeline.Input, bindErrs []bind.Error, fails []validate.Failure) *pipeline.Problem {
	if len(bindErrs) == 0 && len(fails) == 0 {
		return nil
	}
	p := &pipeline.Problem{Kind: pipeline.Invalid, Status: http.StatusBadRequest}
	if len(bindErrs) > 0 {
		p.Code = "SerializationException"
		var se *serializationError
		if in != nil && errors.As(in.Err, &se) {
			p.Message = se.msg
			p.Err = se
			return p
		}
		p.Message = "Unable to bind to request '" + op.Request.Name + "'"
		for _, e := range bindErrs {
			name := e.Path
			if name == "" {
				continue
			}
			p.Fields = append(p.Fields, pipeline.FieldError{Key: name, Code: "SerializationException",
				Message: "'" + e.Raw + "' is an Invalid value for '" + name + "'"})
		}
		p.Err = errors.New("unable to bind request")
		return p
	}
	for _, f := range fails {
		p.Fields = append(p.Fields, pipeline.FieldError{Key: f.Path, Code: errorCode(f.Rule), Message: f.Message})
	}
	keys := make([]string, len(p.Fields))
	for i, f := range p.Fields {
		keys[i] = f.Key
	}
	p.Err = errors.New("invalid: " + strings.Join(keys, ", "))
	return p
}

// Conflict is the RegistrationValidator's AlreadyExists (or the contract's
// own wording).
func (Style) Conflict(op *contract.Operation, err *backend.ConflictError) *pipeline.Problem {
	c, ok := op.Conflicts[string(err.Field)]
	if !ok {
		c = contract.Conflict{Key: "UserName", Code: "AlreadyExists", Message: "Username already exists"}
		if err.Field == backend.FieldEmail {
			c = contract.Conflict{Key: "Email", Code: "AlreadyExists", Message: "Email already exists"}
		}
	}
	msg := strings.ReplaceAll(c.Message, "{PropertyValue}", err.Value)
	return &pipeline.Problem{Kind: pipeline.Invalid, Status: http.StatusBadRequest,
		Fields: []pipeline.FieldError{{Key: c.Key, Code: c.Code, Message: msg}}}
}

// Render builds {ResponseStatus:{ErrorCode, Message, Errors:[...]}}.
// StackTrace is never sent (in debug mode the legacy host put the request,
// password included, in it).
func (Style) Render(r *http.Request, p *pipeline.Problem) codecs.Value {
	code, msg := p.Code, p.Message
	if code == "" && len(p.Fields) > 0 {
		code, msg = p.Fields[0].Code, p.Fields[0].Message
	}
	if code == "" {
		code, msg = problemText(r, p)
	}
	errs := make([]codecs.Value, 0, len(p.Fields))
	for _, f := range p.Fields {
		errs = append(errs, codecs.Obj(
			codecs.M("ErrorCode", codecs.Str(f.Code)),
			codecs.M("FieldName", codecs.Str(f.Key)),
			codecs.M("Message", codecs.Str(f.Message)),
		))
	}
	return codecs.Obj(codecs.M("ResponseStatus", codecs.Obj(
		codecs.M("ErrorCode", codecs.Str(code)),
		codecs.M("Message", codecs.Str(msg)),
		codecs.M("Errors", codecs.Arr(errs...)),
	)))
}

// problemText words the problems a request never reached a service for.
func problemText(r *http.Request, p *pipeline.Problem) (string, string) {
	switch p.Kind {
	case pipeline.NotFound:
		return "NotFound", "Handler for Request not found: " + r.Method + " " + r.URL.Path
	case pipeline.MethodNotAllowed:
		return "NotImplementedException", "Could not find method named " + r.Method + " or Any"
	case pipeline.TooLarge:
		return "RequestEntityTooLarge", "The request entity is too large."
	case pipeline.UnsupportedMediaType:
		return "NotSupportedException", "The request's content type is not supported."
	case pipeline.Overloaded:
		return "ServiceUnavailable", "The service is temporarily overloaded. Retry later."
	case pipeline.Unauthorized:
		return "Unauthorized", "Not Authenticated"
	case pipeline.Forbidden:
		return "Forbidden", "Invalid Role"
	}
	return "Exception", "An error has occurred."
}

// Encoder returns ServiceStack.Text's writer for the host's naming.
func (Style) Encoder(h *contract.Host, format string) pipeline.Encoder {
	d := dialect(h, format)
	if d == "" {
		return nil
	}
	k := encoderKey{format: format, dialect: d, camel: h != nil && h.Naming == contract.CamelCase}
	if e, ok := encoders.Load(k); ok {
		return e.(pipeline.Encoder)
	}
	c, ok := registry.Lookup(format, d)
	if !ok || c.Write == nil {
		return nil
	}
	w, opt := c.Write, codecs.WriteOptions{CamelCase: k.camel}
	var e pipeline.Encoder
	switch {
	case format == "xml":
		// DataContractSerializer ignores JsConfig's casing; an error
		// without a schema is ServiceStack's ErrorResponse.
		e = pipeline.EncoderFunc(func(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error) {
			if t == nil {
				t = errorResponseType
			}
			return w(dst, v, t, codecs.WriteOptions{})
		})
	case format == "json" && k.camel:
		// ServiceStack.Text's JSON writer camelCases as TextCase does.
		e = pipeline.EncoderFunc(func(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error) {
			return w(dst, Camelize(v, t), t, codecs.WriteOptions{})
		})
	default:
		e = pipeline.EncoderFunc(func(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error) {
			return w(dst, v, t, opt)
		})
	}
	encoders.Store(k, e)
	return e
}

// encoders are the writers built so far, one per format, dialect and
// casing: built once, not per response.
var encoders sync.Map

type encoderKey struct {
	format, dialect string
	camel           bool
}

// dialects are the dialects ServiceStack speaks, by format:
// ServiceStack.Text's JSON, DataContractSerializer XML, its form overlay.
// JSV is ServiceStack.Text's too, of the host's release line.
var dialects = map[string]string{"json": registry.ServiceStack, "xml": registry.DataContract, "form": registry.ServiceStack}

// dialect is the dialect host h speaks format in ("" for none).
func dialect(h *contract.Host, format string) string {
	if format == "jsv" {
		if h == nil {
			return contract.DefaultServiceStack
		}
		return h.ServiceStack
	}
	if format == "form" {
		return "" // ServiceStack writes no forms
	}
	return dialects[format]
}
