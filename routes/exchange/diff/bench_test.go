package diff_test

import (
	"strings"
	"testing"

	"legacygate/routes/exchange/diff"
)

// The differ runs once per shadowed request on the shadow workers.
func BenchmarkCompare(b *testing.B) {
	cases := []struct{ name, ct, exp, act string }{
		{"json", ctJSON,
			`{"ID":{{int}},"UserName":"ann@example.com","Email":"ann@example.com","Name":"Ann","Surname":null,"Description":null,"PartnerID":8,"PhoneNumber":null,"IsSuperUser":false,"UserRoles":[]}`,
			`{"ID":42,"UserName":"ann@example.com","Email":"ann@example.com","Name":"Ann","Surname":null,"Description":null,"PartnerID":8,"PhoneNumber":null,"IsSuperUser":false,"UserRoles":[]}`},
		{"xml", ctXML,
			`<RegisterResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.servicestack.net/types"><UserId>{{int}}</UserId><SessionId i:nil="true" /><UserName>e4</UserName><ReferrerUrl i:nil="true" /><ResponseStatus i:nil="true" /></RegisterResponse>`,
			`<RegisterResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.servicestack.net/types"><UserId>7</UserId><SessionId i:nil="true" /><UserName>e4</UserName><ReferrerUrl i:nil="true" /><ResponseStatus i:nil="true" /></RegisterResponse>`},
		{"jsv", ctJSV, `{userId:{{int}},sessionId:{{any}},userName:ann}`, `{userId:1,sessionId:6zB3mi2sTQ5BCZDVYJg7,userName:ann}`},
	}
	for _, c := range cases {
		e, a := msg(c.ct, c.exp), msg(c.ct, c.act)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ds := diff.Compare(e, a, diff.Options{}); len(ds) != 0 {
					b.Fatal(ds)
				}
			}
		})
	}
}

// A large expected body with many placeholders is marked in linear time.
func BenchmarkCompareManyPlaceholders(b *testing.B) {
	exp := `"` + strings.Repeat(`{{int}} `, 20000) + `"`
	act := `"` + strings.Repeat(`7 `, 20000) + `"`
	e, a := msg(ctJSON, exp), msg(ctJSON, act)
	b.ReportAllocs()
	for b.Loop() {
		if ds := diff.Compare(e, a, diff.Options{}); len(ds) != 0 {
			b.Fatal(ds)
		}
	}
}
