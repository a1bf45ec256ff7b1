package xmlcodec

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"legacygate/codecs"
)

// hostile inputs: every one must fail (or succeed) quickly, in memory
// linear in its size.
var hostile = []string{
	strings.Repeat("<a>", 100000),
	regOpen + strings.Repeat("<a>", 100000),
	`<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><lolz>&lol2;</lolz>`,
	reg(`<Email>&lol9;</Email>`),
	`<!DOCTYPE r SYSTEM "file:///etc/passwd">` + reg(`<Email>&xxe;</Email>`),
	reg(`<Email a="` + strings.Repeat("x", 1<<20) + `"/>`),
	reg(`<` + strings.Repeat("n", 1<<20) + `/>`),
	reg(`<Email ` + strings.Repeat(`a="1" `, 20000) + `/>`),
	reg(`<Email ` + strings.Repeat(`xmlns:p="u" `, 20000) + `/>`),
	reg(strings.Repeat(`<Nope xmlns:p="urn:x"><p:a/></Nope>`, 20000)),
	reg(`<Email>` + strings.Repeat("&amp;", 200000) + `</Email>`),
	reg(strings.Repeat(`<!--`+strings.Repeat("-", 10)+`x-->`, 10000)),
}

func TestHostileInputsBounded(t *testing.T) {
	for i, in := range hostile {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Decode([]byte(in), registerT, DecodeOptions{})
		runtime.ReadMemStats(&after)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("#%d: error %T %v", i, err, err)
			}
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(40*len(in)+1<<20) {
			t.Errorf("#%d: allocated %d bytes for %d input bytes", i, alloc, len(in))
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range seedSamples {
		b, err := os.ReadFile(filepath.Join("testdata", s.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
		f.Add(b, uint8(1))
		f.Add(b, uint8(2))
		f.Add(b, uint8(3))
	}
	for _, s := range hostile {
		if len(s) < 4096 {
			f.Add([]byte(s), uint8(0))
		}
	}
	for _, s := range []string{
		"", " ", "\xef\xbb\xbf", `<?xml version="1.0"?>`, reg(`<Email i:nil="true"/>`),
		sc(`<A>1</A><B>2</B><C>3</C><D>4.5</D><E>INF</E><F>9f2e66d3077642c1910259b3bda9faab</F><G>2026-01-01</G>` +
			`<H xmlns:s="http://schemas.datacontract.org/2004/07/System"><s:DateTime>2026-01-01T00:00:00Z</s:DateTime><s:OffsetMinutes>-300</s:OffsetMinutes></H><I><![CDATA[x]]></I><J>Red</J>`),
		reg(`<Email>&#x10FFFF;&#xD800;&#0;</Email>`), reg(`<Email>a`), reg(`</x>`),
	} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(3))
	}
	for _, s := range []string{
		dicts(`<Counts><a:KeyValueOfstringint><a:Key>c</a:Key><a:Value>1</a:Value></a:KeyValueOfstringint></Counts>` +
			`<Meta><a:KeyValueOfstringstring><a:Key>k</a:Key><a:Value>v</a:Value></a:KeyValueOfstringstring><a:KeyValueOfstringstring><a:Key>k</a:Key><a:Value i:nil="true"/></a:KeyValueOfstringstring></Meta>` +
			`<Pages><a:ArrayOfKeyValueOfstringstring><a:KeyValueOfstringstring><a:Key/><a:Value/></a:KeyValueOfstringstring></a:ArrayOfKeyValueOfstringstring></Pages>` +
			`<Roles><a:KeyValueOfstringUserPartnerRolesqeATSXAp><a:Key>r</a:Key><a:Value xmlns:u="` + hubUsersNS + `"><u:RoleID>4</u:RoleID></a:Value></a:KeyValueOfstringUserPartnerRolesqeATSXAp></Roles>` +
			`<Tags><a:KeyValueOfstringArrayOfstringty7Ep6D1><a:Key>t</a:Key><a:Value><a:string>x</a:string></a:Value></a:KeyValueOfstringArrayOfstringty7Ep6D1></Tags>`),
		dicts(`<Meta><a:KeyValueOfstringstring><a:Value/></a:KeyValueOfstringstring></Meta>`),
	} {
		f.Add([]byte(s), uint8(4))
	}
	f.Add([]byte(wideXML), uint8(5))
	f.Add([]byte(strings.Replace(wideXML, "P1DT2H3M4.5S", "-P1Y2M3DT4H5M6.123456789S", 1)), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		ts := [...]*codecs.Type{registerT, userDetailT, userDetailsT, scalarsT, dictsT, wideT}
		tt := ts[int(which)%len(ts)]
		v, err := Decode(data, tt, DecodeOptions{})
		if err != nil {
			var e *Error
			if errors.Is(err, ErrEmpty) {
				return
			}
			if !errors.As(err, &e) || e.Msg == "" || e.Line < 1 || e.Pos < 1 || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("Decode(%q): bad error %#v", data, err)
			}
			return
		}
		if v.IsNull() {
			return
		}
		checkStable(t, v, tt)
	})
}
