package jsvcodec

import (
	"encoding/json"
	"testing"

	"legacygate/codecs"
)

const (
	clientRegisterJSV  = `{EMail:jane@example.com,FirstName:Jane,LastName:Doe,Password:s3cret!,ConfirmPassword:s3cret!,Company:"Acme, Inc.",PartnerUserID:42,Roles:[Partner,Admin]}`
	clientRegisterJSON = `{"EMail":"jane@example.com","FirstName":"Jane","LastName":"Doe","Password":"s3cret!","ConfirmPassword":"s3cret!","Company":"Acme, Inc.","PartnerUserID":42,"Roles":["Partner","Admin"]}`
	registerUserJSV    = `{confirmEmail:jane@example.com,forceResetPassword:False,salesRepId:17,salesRep:{id:17,name:Bob,isActive:True},role:Administrator,roles:[Administrator],personName:{first:Jane,last:Doe},meta:{src:web},userName:jane,email:jane@example.com,password:pw,autoLogin:True}`
	registerUserJSON   = `{"confirmEmail":"jane@example.com","forceResetPassword":false,"salesRepId":"17","salesRep":{"id":"17","name":"Bob","isActive":true},"role":"Administrator","roles":["Administrator"],"personName":{"first":"Jane","last":"Doe"},"meta":{"src":"web"},"userName":"jane","email":"jane@example.com","password":"pw","autoLogin":true}`
)

type clientRegisterGo struct {
	EMail, FirstName, LastName, Password, ConfirmPassword, Company string
	PartnerUserID                                                  int
	Roles                                                          []string
}

type registerUserGo struct {
	ConfirmEmail       string `json:"confirmEmail"`
	ForceResetPassword bool   `json:"forceResetPassword"`
	SalesRepID         string `json:"salesRepId"`
	SalesRep           struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		IsActive bool   `json:"isActive"`
	} `json:"salesRep"`
	Role       string   `json:"role"`
	Roles      []string `json:"roles"`
	PersonName struct {
		First string `json:"first"`
		Last  string `json:"last"`
	} `json:"personName"`
	Meta      map[string]string `json:"meta"`
	UserName  string            `json:"userName"`
	Email     string            `json:"email"`
	Password  string            `json:"password"`
	AutoLogin bool              `json:"autoLogin"`
}

var benchBodies = []struct {
	name      string
	jsv, js   string
	t         *codecs.Type
	camel     bool
	newStruct func() any
}{
	{"ClientRegister", clientRegisterJSV, clientRegisterJSON, tClientRegister, false, func() any { return new(clientRegisterGo) }},
	{"RegisterUser", registerUserJSV, registerUserJSON, tRegisterUser, true, func() any { return new(registerUserGo) }},
}

func TestBenchBodiesRoundTrip(t *testing.T) {
	for _, b := range benchBodies {
		v, err := Decode([]byte(b.jsv), b.t, DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		wantText(t, b.name, mustAppend(t, v, b.t, Options{CamelCase: b.camel}), b.jsv)
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, bb := range benchBodies {
		data, js := []byte(bb.jsv), []byte(bb.js)
		b.Run(bb.name+"/jsvcodec", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data, bb.t, DecodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := json.Unmarshal(js, bb.newStruct()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, bb := range benchBodies {
		v, err := Decode([]byte(bb.jsv), bb.t, DecodeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		s := bb.newStruct()
		if err := json.Unmarshal([]byte(bb.js), s); err != nil {
			b.Fatal(err)
		}
		opt := Options{CamelCase: bb.camel}
		b.Run(bb.name+"/jsvcodec", func(b *testing.B) {
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				if buf, err = Append(buf[:0], v, bb.t, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
