package xmlcodec

import (
	"strings"
	"testing"
	"time"

	"legacygate/codecs"
)

const rootAttrs = ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"`

var (
	tagsItemT = &codecs.Type{Name: "Tagged", Namespace: hubUsersNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("Tags", listOf(tString), "Role", tIntN)}
	baseWithNameT = &codecs.Type{Name: "Base", Namespace: flsBaseNS, Shape: codecs.ObjectShape, Nullable: true,
		Fields: fields("Name", tString, "Id", tGuid)}
	writerT = &codecs.Type{Name: "W", Namespace: hubModelsNS, Shape: codecs.ObjectShape, Nullable: true, Base: baseWithNameT,
		Fields: append(fields("Phone", tString, "Count", tInt, "When", tDTON, "Items", listOf(tagsItemT), "Ratio", tDouble,
			"Money", tDecimal, "Born", tDate), codecs.Field{Name: "AFirst", Type: tString, Order: 1})}
)

func TestAppendRules(t *testing.T) {
	plus1 := time.FixedZone("", 3600)
	tests := []struct {
		name string
		v    codecs.Value
		want string // inner members after the base members, or full output when starting with '<'
	}{
		{"missing members: nil when nullable, else default", obj(),
			`<W` + rootAttrs + `><Id xmlns="` + flsBaseNS + `">00000000-0000-0000-0000-000000000000</Id><Name i:nil="true" xmlns="` + flsBaseNS + `" />` +
				`<Born>0001-01-01T00:00:00</Born><Count>0</Count><Items xmlns:d2p1="` + hubUsersNS + `" i:nil="true" /><Money>0</Money><Phone i:nil="true" /><Ratio>0</Ratio><When xmlns:d2p1="http://schemas.datacontract.org/2004/07/System" i:nil="true" /><AFirst i:nil="true" /></W>`},
		{"empty string, empty list, text escaping", obj(mem("Name", str("")), mem("Phone", str("a<b>&\"'\r\nc\nd\re\x01")), mem("Items", arr())),
			`<W` + rootAttrs + `><Id xmlns="` + flsBaseNS + `">00000000-0000-0000-0000-000000000000</Id><Name xmlns="` + flsBaseNS + `" />` +
				`<Born>0001-01-01T00:00:00</Born><Count>0</Count><Items xmlns:d2p1="` + hubUsersNS + `" /><Money>0</Money><Phone>a&lt;b&gt;&amp;"'` + "\r\nc\r\nd\r\ne&#x1;</Phone><Ratio>0</Ratio><When xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/System\" i:nil=\"true\" /><AFirst i:nil=\"true\" /></W>"},
		{"DateTimeOffset complex form, numbers, d4p1 in nested list",
			obj(mem("Name", str("n")), mem("Id", str("9F2E66D3077642C1910259B3BDA9FAAB")),
				mem("When", codecs.TimeV(time.Date(2026, 3, 21, 12, 24, 12, 916396700, plus1), codecs.Offset)),
				mem("Items", arr(obj(mem("Tags", arr(str("x"), null)), mem("Role", num("3"))), null)),
				mem("Ratio", num("-Infinity")), mem("Money", num("1.10")), mem("Count", num("-5")),
				mem("Born", codecs.TimeV(time.Date(2000, 1, 2, 3, 4, 5, 0, time.UTC), codecs.UTC)), mem("AFirst", str("z"))),
			`<W` + rootAttrs + `><Id xmlns="` + flsBaseNS + `">9f2e66d3-0776-42c1-9102-59b3bda9faab</Id><Name xmlns="` + flsBaseNS + `">n</Name>` +
				`<Born>2000-01-02T03:04:05Z</Born><Count>-5</Count>` +
				`<Items xmlns:d2p1="` + hubUsersNS + `"><d2p1:Tagged><d2p1:Role>3</d2p1:Role><d2p1:Tags xmlns:d4p1="` + arraysNS + `"><d4p1:string>x</d4p1:string><d4p1:string i:nil="true" /></d2p1:Tags></d2p1:Tagged><d2p1:Tagged i:nil="true" /></Items>` +
				`<Money>1.10</Money><Phone i:nil="true" /><Ratio>-INF</Ratio>` +
				`<When xmlns:d2p1="http://schemas.datacontract.org/2004/07/System"><d2p1:DateTime>2026-03-21T11:24:12.9163967Z</d2p1:DateTime><d2p1:OffsetMinutes>60</d2p1:OffsetMinutes></When>` +
				`<AFirst>z</AFirst></W>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustAppend(t, tt.v, writerT)
			if got != tt.want {
				t.Fatalf("\n got %s\nwant %s", got, tt.want)
			}
			// What we write, we read back (up to what XML cannot carry).
			back := mustDecode(t, got, writerT)
			if again := mustAppend(t, back, writerT); again != got {
				t.Fatalf("re-encode of decode differs:\n%s\n%s", again, got)
			}
		})
	}
}

func TestAppendRootForms(t *testing.T) {
	if got := mustAppend(t, null, registerT); got != `<RegisterBindingModel i:nil="true" xmlns="`+hubModelsNS+`" xmlns:i="`+xsiNS+`" />` {
		t.Errorf("null root: %s", got)
	}
	if got := mustAppend(t, obj(), &codecs.Type{Name: "Empty", Namespace: hubModelsNS, Shape: codecs.ObjectShape}); got != `<Empty`+rootAttrs+` />` {
		t.Errorf("empty object root: %s", got)
	}
	if got := mustAppend(t, str("a"), tString); got != `<string xmlns="`+serializationNS+`">a</string>` {
		t.Errorf("primitive root: %s", got)
	}
	if got := mustAppend(t, arr(num("1")), listOf(tInt)); got != `<ArrayOfint xmlns:i="`+xsiNS+`" xmlns="`+arraysNS+`"><int>1</int></ArrayOfint>` {
		t.Errorf("list root: %s", got)
	}
}

func TestAppendRejects(t *testing.T) {
	for _, c := range []struct {
		name string
		v    codecs.Value
	}{
		{"bad guid", obj(mem("Id", str("nope")))},
		{"bool as string", obj(mem("Count", yes))},
		{"bad literal", obj(mem("Count", num("1</Count>")))},
		{"array as object", arr()},
	} {
		if out, err := Append([]byte("keep"), c.v, writerT); err == nil || string(out) != "keep" {
			t.Errorf("%s: Append = %q, %v; want error and dst unchanged", c.name, out, err)
		}
	}
}

func TestAppendError(t *testing.T) {
	v := obj(mem("Message", str("The request is invalid.")),
		mem("ModelState", obj(
			mem("model.Password", arr(str("The Password field is required."), str("The Password must be at least 6 characters long."))),
			mem("model.UserRoleIds[0]", arr(str("a<b"))))),
		mem("StackTrace", null))
	got, err := AppendError(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	want := `<Error><Message>The request is invalid.</Message><ModelState><model.Password>The Password field is required. The Password must be at least 6 characters long.</model.Password>` +
		`<model.UserRoleIds_x005B_0_x005D_>a&lt;b</model.UserRoleIds_x005B_0_x005D_></ModelState><StackTrace /></Error>`
	if string(got) != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	if golden := string(readSample(t, "error_modelstate.xml")); strings.TrimSpace(golden) != want {
		t.Fatalf("golden differs: %s", golden)
	}
}

func TestEncodeLocalName(t *testing.T) {
	for in, want := range map[string]string{
		"Message":              "Message",
		"model.Password":       "model.Password",
		"model.UserRoleIds[0]": "model.UserRoleIds_x005B_0_x005D_",
		"a b":                  "a_x0020_b",
		"1st":                  "_x0031_st",
		"a:b":                  "a_x003A_b",
		"_x0041_":              "_x005F_x0041_",
		"x_y":                  "x_y",
		"😀":                    "_x0001F600_",
		"":                     "",
	} {
		if got := EncodeLocalName(in); got != want {
			t.Errorf("EncodeLocalName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatR(t *testing.T) {
	for in, want := range map[float64]string{
		1: "1", 0.1: "0.1", 1e15: "1E+15", 123456789012345: "123456789012345", 1e-5: "1E-05", 0.0001: "0.0001",
		0.30000000000000004: "0.30000000000000004", 1.5e300: "1.5E+300", -2.5: "-2.5", 123456789012345680: "1.2345678901234568E+17",
	} {
		if got := formatR(in); got != want {
			t.Errorf("formatR(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestAppendErrorPath(t *testing.T) {
	_, err := Append(nil, obj(mem("Id", yes)), writerT)
	if err == nil || err.Error() != "xmlcodec: W.Id: cannot write a bool value as guid" {
		t.Fatalf("error = %v", err)
	}
	_, err = Append(nil, obj(mem("Items", arr(null, obj(mem("Role", str("x")))))), writerT)
	if err == nil || err.Error() != `xmlcodec: W.Items[1].Role: invalid number literal "x"` {
		t.Fatalf("error = %v", err)
	}
}
