package jsoncodec

import (
	"encoding/json"
	"testing"
	"time"

	"legacygate/codecs"
)

// The Hub.Server Account/Register exchange (HelpPage samples): the request
// body RegisterBindingModel and the response UserDetail as Json.NET writes
// them (compact), plus the pretty-printed sample as published.
const (
	registerBody = `{"Username":"sample string 1","Email":"sample string 2","PhoneNumber":"sample string 3","Password":"sample string 4","ConfirmPassword":"sample string 5","Name":"sample string 6","Surname":"sample string 7","PartnerID":8}`

	userDetailBody = `{"ID":1,"UserName":"sample string 2","Email":"sample string 3","Name":"sample string 4","Surname":"sample string 5","Description":"sample string 6","PartnerID":7,"PhoneNumber":"sample string 8","IsSuperUser":true,"IsStravaLinked":true,"ImageURL":"sample string 11","GenderID":12,"Gender":"sample string 13","DateOfBirth":"2026-03-21T11:24:12.9163967+00:00","UnitsOfMeasureID":14,"TechnicianID":15,"Locale":"sample string 16","TwoFactorEnabled":true,"GDPRMarketingConsent":true,"GDPRMarketingConsentDate":"2026-03-21T11:24:12.9163967+00:00","UserRoles":[{"RoleID":1,"PartnerID":2},{"RoleID":1,"PartnerID":2}]}`

	userDetailPretty = `{
"ID": 1,
"UserName": "sample string 2",
"Email": "sample string 3",
"Name": "sample string 4",
"Surname": "sample string 5",
"Description": "sample string 6",
"PartnerID": 7,
"PhoneNumber": "sample string 8",
"IsSuperUser": true,
"IsStravaLinked": true,
"ImageURL": "sample string 11",
"GenderID": 12,
"Gender": "sample string 13",
"DateOfBirth": "2026-03-21T11:24:12.9163967+00:00",
"UnitsOfMeasureID": 14,
"TechnicianID": 15,
"Locale": "sample string 16",
"TwoFactorEnabled": true,
"GDPRMarketingConsent": true,
"GDPRMarketingConsentDate": "2026-03-21T11:24:12.9163967+00:00",
"UserRoles": [
{
"RoleID": 1,
"PartnerID": 2
},
{
"RoleID": 1,
"PartnerID": 2
}
]
}`
)

// Typed baselines for encoding/json. Dates are strings so that the struct
// decode does no more work than ours (which leaves dates to the binder).
type registerBindingModel struct {
	Username        string
	Email           string
	PhoneNumber     string
	Password        string
	ConfirmPassword string
	Name            string
	Surname         string
	PartnerID       int
}

type userPartnerRoles struct {
	RoleID    int
	PartnerID int
}

type userDetail struct {
	ID                       int
	UserName                 string
	Email                    string
	Name                     string
	Surname                  string
	Description              string
	PartnerID                int
	PhoneNumber              string
	IsSuperUser              bool
	IsStravaLinked           bool
	ImageURL                 string
	GenderID                 int
	Gender                   string
	DateOfBirth              string
	UnitsOfMeasureID         int
	TechnicianID             int
	Locale                   string
	TwoFactorEnabled         bool
	GDPRMarketingConsent     bool
	GDPRMarketingConsentDate string
	UserRoles                []userPartnerRoles
}

func TestBenchmarkBodiesAgree(t *testing.T) {
	for _, body := range []string{registerBody, userDetailBody} {
		v, err := Decode([]byte(body), DecodeOptions{})
		wantNoError(t, err)
		out, err := Append(nil, v, nil, NewtonsoftDialect)
		wantNoError(t, err)
		wantText(t, "re-encoded", string(out), body)
	}
	// The encode benchmark's tree, with real times, writes the sample too.
	out, err := Append(nil, userDetailValue(t), nil, NewtonsoftDialect)
	wantNoError(t, err)
	wantText(t, "UserDetail with times", string(out), userDetailBody)
	pretty, err := Decode([]byte(userDetailPretty), DecodeOptions{})
	wantNoError(t, err)
	compact, _ := Decode([]byte(userDetailBody), DecodeOptions{})
	wantValue(t, pretty, compact)
}

// userDetailValue is the UserDetail response as the pipeline would hand it
// to the encoder: dates as Local-kind times of a UTC server.
func userDetailValue(tb testing.TB) codecs.Value {
	v, err := Decode([]byte(userDetailBody), DecodeOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	dob := codecs.TimeV(time.Date(2026, 3, 21, 11, 24, 12, 916396700, time.UTC), codecs.Local)
	v.Set("DateOfBirth", dob)
	v.Set("GDPRMarketingConsentDate", dob)
	return v
}

func BenchmarkDecode(b *testing.B) {
	bodies := []struct {
		name string
		body []byte
		into func() any
	}{
		{"RegisterBindingModel", []byte(registerBody), func() any { return new(registerBindingModel) }},
		{"UserDetail", []byte(userDetailBody), func() any { return new(userDetail) }},
	}
	for _, bb := range bodies {
		b.Run(bb.name+"/jsoncodec", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(bb.body, DecodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/jsoncodec-dotnet", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(bb.body, DecodeOptions{DotNet: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/encoding-json-map", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				var m map[string]any
				if err := json.Unmarshal(bb.body, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/encoding-json-struct", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := json.Unmarshal(bb.body, bb.into()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	register, err := Decode([]byte(registerBody), DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var rs registerBindingModel
	var us userDetail
	if err := json.Unmarshal([]byte(registerBody), &rs); err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal([]byte(userDetailBody), &us); err != nil {
		b.Fatal(err)
	}
	values := []struct {
		name   string
		v      codecs.Value
		typed  any
		length int
	}{
		{"RegisterBindingModel", register, &rs, len(registerBody)},
		{"UserDetail", userDetailValue(b), &us, len(userDetailBody)},
	}
	for _, vv := range values {
		b.Run(vv.name+"/jsoncodec", func(b *testing.B) {
			b.SetBytes(int64(vv.length))
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				var err error
				if buf, err = Append(buf[:0], vv.v, nil, NewtonsoftDialect); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(vv.name+"/jsoncodec-new-buffer", func(b *testing.B) {
			b.SetBytes(int64(vv.length))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Append(nil, vv.v, nil, NewtonsoftDialect); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(vv.name+"/encoding-json-struct", func(b *testing.B) {
			b.SetBytes(int64(vv.length))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(vv.typed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
