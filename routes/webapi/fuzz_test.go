package webapi

import (
	"net/http/httptest"
	"strings"
	"testing"

	"legacygate/codecs/jsoncodec"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/pipeline"
	"legacygate/routes/pipeline/bind"
	"legacygate/routes/pipeline/validate"
)

// FuzzRegisterBody drives any body through the Web API request steps of
// Hub's Register — read, decode, bind, validate, envelope, encode — and
// checks that every refusal is a well-formed HttpError.
func FuzzRegisterBody(f *testing.F) {
	all, err := hosts.Load()
	if err != nil {
		f.Fatal(err)
	}
	var op *contract.Operation
	for _, h := range all {
		if o := h.Operation("Register"); o != nil && h.Style == contract.WebAPI {
			op = o
		}
	}
	if op == nil {
		f.Skip("no Web API Register operation")
	}
	f.Add([]byte(`{"Username":"a","Email":"a@b.c","Password":"abcd","ConfirmPassword":"abcd","PartnerID":8}`), "application/json")
	f.Add([]byte(`{"PartnerID":"x","UserRoles":[{}],"Password":{}}`), "text/json; charset=utf-16")
	f.Add([]byte("\xff\xfe{\x00}\x00"), "application/json; charset=utf-16")
	f.Add([]byte(`[1,2`), "application/json")
	f.Add([]byte(`<RegisterBindingModel xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"><Email>a</Email><PartnerID>x</PartnerID></RegisterBindingModel>`), "application/xml")
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY a "aa">]><a>&a;</a>`), "text/xml")
	f.Add([]byte(`Username=a&Email=b&PartnerID=x&PartnerID=1&Password=`), "application/x-www-form-urlencoded")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		s := Style{}
		r := httptest.NewRequest("POST", "/Account/Register", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", ct)
		in, p := s.Read(pipeline.Match{Op: op}, r, body)
		if p == nil && in.Err != nil {
			p = s.Invalid(op, &in, []bind.Error{{Msg: in.Err.Error()}}, nil)
		}
		if p == nil {
			bound, bindErrs := bind.Request(op.Request, in.Value, s.BindOptions())
			p = s.Invalid(op, &in, bindErrs, validate.Request(op.Request, bound, s.Messages()))
		}
		if p == nil {
			return
		}
		if p.Kind != pipeline.Invalid && p.Kind != pipeline.UnsupportedMediaType {
			t.Fatalf("unexpected problem kind %d", p.Kind)
		}
		out, err := s.Encoder(op.Host(), "json").Append(nil, s.Render(r, p), nil)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := jsoncodec.Decode(out, jsoncodec.DecodeOptions{})
		if err != nil {
			t.Fatalf("error body is not JSON: %s", out)
		}
		if m, ok := ev.Get("Message"); !ok || m.Str == "" {
			t.Fatalf("error body without Message: %s", out)
		}
	})
}
