package dotnet

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"legacygate/backend/redisstore"
	"legacygate/codecs"
	"legacygate/codecs/jsoncodec"
	"legacygate/codecs/xmlcodec"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline/bind"
	"legacygate/routes/pipeline/validate"
	"legacygate/routes/routestest"
	"legacygate/routes/webapi"
)

// clientAnswer is one answer of WebApiClient.exe.
type clientAnswer struct {
	Status      int             `json:"status"`
	ContentType string          `json:"contentType"`
	Body        string          `json:"body"`
	Value       json.RawMessage `json:"value"`
	Error       *struct {
		Message    string         `json:"Message"`
		ModelState map[string]any `json:"ModelState"`
	} `json:"error"`
	Failure string `json:"failure"`
}

// TestDotNetWebAPIClient registers through the real ASP.NET Web API client
// library against a running gateway, for every Web API host, every
// register operation and every format the host reads: PostAsJsonAsync,
// PostAsXmlAsync or FormUrlEncodedContent with the generated legacy model
// classes; ReadAsAsync<TResponse> must see every member the response
// carries on the wire and the registered values; a second registration and
// an empty one must come back as HttpError with the ModelState keys and
// messages the contract promises.
func TestDotNetWebAPIClient(t *testing.T) {
	hs, _, m := build(t)
	exe := filepath.Join(workDir, "WebApiClient.exe")
	if err := m.Compile(exe, "exe", []string{"System.Net.Http", "System.Net.Http.Formatting", "System.Runtime.Serialization", "System.Xml"},
		filepath.Join(SourceDir(), "Neutral.cs"), filepath.Join(SourceDir(), "WebApiClient.cs")); err != nil {
		t.Fatal(err)
	}
	srv := startGateway(t, hs)
	p := startHelper(t, m, exe, hs)
	run := strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	cases := 0
	for _, h := range hs {
		if h.host.Style != contract.WebAPI || h.synthetic {
			continue
		}
		for _, op := range h.host.Operations {
			if op.Action != contract.ActionRegister || op.Bind != contract.FromBody {
				continue
			}
			for _, f := range h.host.Formats {
				if !f.Read {
					continue
				}
				t.Run(h.host.Name+"/"+op.Name+"/"+f.Name, func(t *testing.T) {
					cases++
					req := validRequest(op, run+f.Name)
					resp := ""
					if op.Response != nil && !op.Response.Primitive {
						resp = h.clrName(op.Response)
					}
					call := func(v codecs.Value) map[string]any {
						return map[string]any{"url": srv.URL + op.Routes[0].Path, "format": f.Name, "type": h.clrName(op.Request),
							"response": resp, "value": neutral(v, op.Request.Schema(), false)}
					}
					empty := codecs.Obj()
					answers, err := p.BatchRaw([]any{call(req), call(req), call(empty)})
					if err != nil {
						t.Fatal(err)
					}
					var as [3]clientAnswer
					for i := range as {
						if err := json.Unmarshal(answers[i], &as[i]); err != nil {
							t.Fatalf("answer %d: %v", i, err)
						}
					}
					checkRegistered(t, op, req, as[0])
					checkConflict(t, op, req, as[1])
					want := map[string][]string{}
					for _, fl := range validate.Request(op.Request, codecs.Obj(), webapi.DataAnnotations{}) {
						k := op.Parameter + "." + fl.Path
						want[k] = append(want[k], fl.Message)
					}
					checkModelState(t, "empty registration", as[2], want)
				})
			}
		}
	}
	if cases == 0 {
		t.Fatal("no Web API register operation found")
	}
}

// validRequest fills every member of op's request so that the contract's
// rules pass, with a unique user name and email, non-ASCII and XML
// special characters where a free text goes.
func validRequest(op *contract.Operation, run string) codecs.Value {
	v := codecs.Obj()
	mapped := map[string]string{}
	for field, member := range op.Mapping {
		mapped[member] = field
	}
	email := "dotnet-" + run + "@example.com"
	var compares []*contract.Member
	for _, m := range op.Request.AllMembers() {
		ref := m.Type
		var val codecs.Value
		switch {
		case ref.List() && ref.Elem != nil && ref.Elem.Scalar == codecs.GuidT:
			val = codecs.Arr(codecs.Str("0f8fad5b-d9cb-469f-a165-70867728950e"), codecs.Str("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
		case ref.List():
			val = codecs.Arr(codecs.Str("a"), codecs.Str("b"))
		case ref.Object != nil || ref.Map():
			continue
		case ref.Scalar == codecs.StringT:
			val = codecs.Str(stringFor(m, mapped[m.Name], email, op.Host()))
			for _, r := range m.Rules {
				if r.Kind == contract.RuleCompare {
					compares = append(compares, m)
				}
			}
		case ref.Scalar == codecs.BoolT:
			val = codecs.BoolV(false)
		case ref.Scalar == codecs.Int32T || ref.Scalar == codecs.Int64T:
			val = codecs.Num("8")
		case ref.Scalar == codecs.GuidT:
			val = codecs.Str("3f2504e0-4f89-11d3-9a0c-0305e82c3301")
		case ref.Scalar == codecs.DateTimeT:
			val = codecs.TimeV(time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), codecs.Unspecified)
		default:
			continue
		}
		v.Members = append(v.Members, codecs.M(m.Name, val))
	}
	for _, m := range compares {
		for _, r := range m.Rules {
			if r.Kind == contract.RuleCompare {
				other, _ := v.Get(r.Other)
				v.Set(m.Name, other)
			}
		}
	}
	return v
}

func stringFor(m *contract.Member, field, email string, h *contract.Host) string {
	switch field {
	case "username", "email":
		return email
	case "password":
		return "Passw0rd!Zoë"
	}
	for _, r := range m.Rules {
		switch r.Kind {
		case contract.RuleIn:
			return h.Lookups[r.Lookup][0].Code
		case contract.RuleEmail:
			return email
		}
	}
	if m.Secret {
		return "Passw0rd!Zoë"
	}
	if strings.Contains(m.Name, "Url") || strings.Contains(m.Name, "Link") {
		// On the gateway's own origin: hosts may only allow links there.
		return gatewayPublicURL + "/confirm?from=dotnet"
	}
	s := "Zoë <&> 日本"
	for _, r := range m.Rules {
		if (r.Kind == contract.RuleLength || r.Kind == contract.RuleMaxLength) && r.Max > 0 && len([]rune(s)) > r.Max {
			s = string([]rune(s)[:r.Max])
		}
	}
	return s
}

// checkRegistered: the registration succeeded; the client's typed
// response holds every member that is on the wire (read by our codecs from
// the raw body) and the values the request sent.
func checkRegistered(t *testing.T, op *contract.Operation, req codecs.Value, a clientAnswer) {
	t.Helper()
	if a.Failure != "" || a.Status/100 != 2 {
		t.Fatalf("registration: status %d, failure %q, body %s", a.Status, a.Failure, a.Body)
	}
	rt := op.Response
	if rt == nil || rt.Primitive || rt.Schema() == nil {
		return
	}
	got := canonRaw(a.Value)
	// What is on the wire, read by our own codecs.
	var wire codecs.Value
	var err error
	if strings.Contains(a.ContentType, "xml") {
		wire, err = xmlcodec.Decode([]byte(a.Body), rt.Schema(), xmlcodec.DecodeOptions{})
	} else {
		var dv codecs.Value
		if dv, err = jsoncodec.Decode([]byte(a.Body), jsoncodec.DecodeOptions{DotNet: true}); err == nil {
			var errs []bind.Error
			if wire, errs = bind.Request(rt, dv, bind.Options{}); len(errs) > 0 {
				err = fmt.Errorf("%v", errs)
			}
		}
	}
	if err != nil {
		t.Fatalf("reading the response body %s: %v", a.Body, err)
	}
	if want := canon(neutral(wire, rt.Schema(), false)); got != want {
		t.Errorf("ReadAsAsync<%s> lost members:\n got %s\nwire %s\nbody %s", rt.Name, got, want, a.Body)
	}
	// The registered values came back where the contract maps them.
	var resp map[string]any
	_ = json.Unmarshal(a.Value, &resp)
	reqN := neutral(req, op.Request.Schema(), false).(map[string]any)
	for _, m := range rt.AllMembers() {
		if m.From == nil {
			continue
		}
		var from string
		switch m.From.Kind {
		case contract.ExprRequest:
			from = m.From.Name
		case contract.ExprUser:
			from = op.Mapping[m.From.Name]
		}
		if from == "" {
			continue
		}
		if g, w := canon(resp[m.Name]), canon(reqN[from]); g != w {
			t.Errorf("%s.%s = %s, want the request's %s = %s", rt.Name, m.Name, g, from, w)
		}
	}
}

// checkConflict: the same registration again is a 400 HttpError whose
// ModelState names the taken user name as the contract words it.
func checkConflict(t *testing.T, op *contract.Operation, req codecs.Value, a clientAnswer) {
	t.Helper()
	c, ok := op.Conflicts["username"]
	if !ok {
		return
	}
	name, _ := req.Get(op.Mapping["username"])
	checkModelState(t, "second registration", a, map[string][]string{c.Key: {strings.ReplaceAll(c.Message, "{0}", name.Str)}})
}

func checkModelState(t *testing.T, what string, a clientAnswer, want map[string][]string) {
	t.Helper()
	if a.Failure != "" || a.Status != 400 || a.Error == nil {
		t.Fatalf("%s: status %d, failure %q, body %s", what, a.Status, a.Failure, a.Body)
	}
	if a.Error.Message != "The request is invalid." {
		t.Errorf("%s: HttpError.Message = %q", what, a.Error.Message)
	}
	for k, msgs := range want {
		got, ok := a.Error.ModelState[k]
		if !ok {
			t.Errorf("%s: ModelState has no key %q: %v", what, k, a.Error.ModelState)
			continue
		}
		// JSON carries a list of messages; XML one text, space-joined.
		var gs string
		switch g := got.(type) {
		case string:
			gs = g
		case []any:
			var parts []string
			for _, x := range g {
				parts = append(parts, fmt.Sprint(x))
			}
			gs = strings.Join(parts, " ")
		}
		if gs != strings.Join(msgs, " ") {
			t.Errorf("%s: ModelState[%q] = %q, want %q", what, k, gs, strings.Join(msgs, " "))
		}
	}
	if len(a.Error.ModelState) != len(want) {
		t.Errorf("%s: ModelState %v, want keys of %v", what, a.Error.ModelState, want)
	}
}

// gatewayPublicURL is the gateway's external base URL in these tests.
const gatewayPublicURL = "http://gateway.test"

// startGateway serves every host over loopback HTTP on the test Redis.
func startGateway(t *testing.T, hs []*hostModel) *httptest.Server {
	t.Helper()
	var mounted []*contract.Host
	for _, h := range hs {
		if !h.synthetic {
			mounted = append(mounted, h.host)
		}
	}
	o := routestest.Options(mounted, routestest.Store(t, redisstore.Options{}))
	o.ActivationTTL, o.PublicURL = time.Hour, gatewayPublicURL
	return routestest.Serve(t, o)
}
