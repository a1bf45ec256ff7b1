package dotnet

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"legacygate/codecs/xmlcodec"
	"legacygate/routes/contract"
)

// hostileXML are malformed and hostile request bodies: %s is the root
// start tag's name and namespace (`Name xmlns="…"`), %n the root name.
var hostileXML = []struct{ name, body string }{
	{"well-formed", `<%s><Email>a@b.c</Email></%n>`},
	{"empty root", `<%s/>`},
	{"declaration", `<?xml version="1.0" encoding="utf-8"?><%s><Email>a</Email></%n>`},
	{"BOM", "\ufeff<%s><Email>a</Email></%n>"},
	{"declaration says utf-16", `<?xml version="1.0" encoding="utf-16"?><%s></%n>`},
	{"declaration says UTF-8", `<?xml version="1.0" encoding="UTF-8"?><%s></%n>`},
	{"declaration says utf8", `<?xml version="1.0" encoding="utf8"?><%s></%n>`},
	{"declaration says unicode", `<?xml version="1.0" encoding="unicode"?><%s></%n>`},
	{"declaration says utf-16LE", `<?xml version="1.0" encoding="utf-16LE"?><%s></%n>`},
	{"declaration says iso-8859-1", `<?xml version="1.0" encoding="iso-8859-1"?><%s></%n>`},
	{"declaration says us-ascii", `<?xml version="1.0" encoding="us-ascii"?><%s></%n>`},
	{"declaration with single quotes", `<?xml version='1.0' encoding='utf-8'?><%s></%n>`},
	{"declaration without version", `<?xml encoding="utf-8"?><%s></%n>`},
	{"declaration standalone", `<?xml version="1.0" standalone="yes"?><%s></%n>`},
	{"declaration version 1.1", `<?xml version="1.1"?><%s></%n>`},
	{"invalid UTF-8 in a skipped member", "<%s><Nope>a\xffb</Nope></%n>"},
	{"invalid UTF-8 in a skipped attribute", "<%s><Email a=\"\xff\">x</Email></%n>"},
	{"invalid UTF-8 in a comment", "<%s><!-- \xff --></%n>"},
	{"declaration not first", ` <?xml version="1.0"?><%s></%n>`},
	{"DTD with internal entity", `<!DOCTYPE x [<!ENTITY a "b">]><%s><Email>&a;</Email></%n>`},
	{"billion laughs", `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><%s><Email>&c;</Email></%n>`},
	{"external entity", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><%s><Email>&e;</Email></%n>`},
	{"DOCTYPE inside", `<%s><!DOCTYPE x><Email>a</Email></%n>`},
	{"processing instruction", `<%s><?pi data?><Email>a</Email></%n>`},
	{"processing instruction after root", `<%s></%n><?pi?>`},
	{"undefined entity", `<%s><Email>&nbsp;</Email></%n>`},
	{"predefined entities", `<%s><Email>&lt;&gt;&amp;&quot;&apos;</Email></%n>`},
	{"char reference to a control character", `<%s><Email>a&#x1;b</Email></%n>`},
	{"char reference to NUL", `<%s><Email>&#0;</Email></%n>`},
	{"char reference to a surrogate", `<%s><Email>&#xD800;</Email></%n>`},
	{"char reference to U+FFFE", `<%s><Email>&#xFFFE;</Email></%n>`},
	{"char reference beyond Unicode", `<%s><Email>&#x110000;</Email></%n>`},
	{"raw control character", "<%s><Email>a\x01b</Email></%n>"},
	{"raw NUL", "<%s><Email>a\x00b</Email></%n>"},
	{"invalid UTF-8", "<%s><Email>a\xffb</Email></%n>"},
	{"CDATA", `<%s><Email><![CDATA[<x>&]]></Email></%n>`},
	{"comment", `<%s><!-- c --><Email>a<!-- d -->b</Email></%n>`},
	{"line ends", "<%s><Email>a\r\nb\rc</Email></%n>"},
	{"wrong root namespace", `<%n xmlns="urn:other"><Email>a</Email></%n>`},
	{"no root namespace", `<%n><Email>a</Email></%n>`},
	{"wrong root name", `<Wrong xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"></Wrong>`},
	{"prefixed root", `<p:%n xmlns:p="%ns"><p:Email>a</p:Email></p:%n>`},
	{"undeclared prefix", `<%s><q:Email>a</q:Email></%n>`},
	{"member in another namespace", `<%s><Email xmlns="urn:other">a</Email></%n>`},
	{"members out of order", `<%s><Username>z</Username><Email>a</Email></%n>`},
	{"repeated member", `<%s><Email>a</Email><Email>b</Email></%n>`},
	{"unknown member", `<%s><Nope>x</Nope><Email>a</Email></%n>`},
	{"attributes on a member", `<%s><Email a="1" b="2">a</Email></%n>`},
	{"duplicate attribute", `<%s><Email a="1" a="2">a</Email></%n>`},
	{"element inside a string", `<%s><Email><b>x</b></Email></%n>`},
	{"text in the root", `<%s>text<Email>a</Email></%n>`},
	{"bad nesting", `<%s><Email>a</Name></Email></%n>`},
	{"unclosed root", `<%s><Email>a</Email>`},
	{"unclosed member", `<%s><Email>a</%n>`},
	{"two roots", `<%s></%n><%s></%n>`},
	{"text after the root", `<%s></%n>tail`},
	{"comment after the root", `<%s></%n><!-- c -->`},
	{"nil string", `<%s><Email i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/></%n>`},
	{"nil root", `<%n i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="%ns"/>`},
	{"unknown i:type", `<%n xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="Other" xmlns="%ns"></%n>`},
	{"deep nesting", `<%s><Nope>` + strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300) + `</Nope></%n>`},
	{"number text", `<%s><PartnerID>abc</PartnerID></%n>`},
	{"number with spaces", `<%s><PartnerID> 7 </PartnerID></%n>`},
	{"number with sign", `<%s><PartnerID>+7</PartnerID></%n>`},
	{"number overflow", `<%s><PartnerID>99999999999</PartnerID></%n>`},
	{"number with fraction", `<%s><PartnerID>7.0</PartnerID></%n>`},
	{"empty number", `<%s><PartnerID></PartnerID></%n>`},
	{"guid forms", `<%s><PersonId>{0F8FAD5B-D9CB-469F-A165-70867728950E}</PersonId></%n>`},
	{"guid N form", `<%s><PersonId>0f8fad5bd9cb469fa16570867728950e</PersonId></%n>`},
	{"bad guid", `<%s><PersonId>not-a-guid</PersonId></%n>`},
	{"list item with a wrong name", `<%s><UserRoleIds xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:string>x</a:string><a:guid>0f8fad5b-d9cb-469f-a165-70867728950e</a:guid></UserRoleIds></%n>`},
	{"list item nil on a value type", `<%s><UserRoleIds xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><a:guid i:nil="true"/></UserRoleIds></%n>`},
	{"inherited member in the derived namespace", `<%s><Id>0f8fad5b-d9cb-469f-a165-70867728950e</Id></%n>`},
}

// TestDotNetXMLErrors feeds malformed and hostile XML to
// DataContractSerializer and to xmlcodec for the request types of the Web
// API hosts that read XML, and compares what a remote client can tell
// apart: whether the body was refused (Web API then answers 400 with
// {"model": ["An error has occurred."]}: exception texts are local-only
// detail) and, when it was read, the values bound (which decide
// validation). The gateway itself must answer the refused bodies with that
// envelope. The local messages of both sides are logged side by side.
func TestDotNetXMLErrors(t *testing.T) {
	p, hs := startSerializers(t)
	srv := startGateway(t, hs)
	for _, h := range hs {
		if h.host.Style != contract.WebAPI || !readsXML(h.host) || h.synthetic {
			continue
		}
		for _, op := range h.host.Operations {
			if op.Action != contract.ActionRegister || op.Bind != contract.FromBody {
				continue
			}
			rt := op.Request
			t.Run(h.host.Name+"/"+rt.Name, func(t *testing.T) {
				typ := h.clrName(rt)
				var reqs []any
				bodies := make([][]byte, len(hostileXML))
				for i, c := range hostileXML {
					b := strings.NewReplacer("%s", rt.Name+` xmlns="`+rt.Schema().Namespace+`"`, "%n", rt.Name, "%ns", rt.Schema().Namespace).Replace(c.body)
					bodies[i] = []byte(b)
					reqs = append(reqs, map[string]any{"op": "xml-read", "type": typ, "data": bodies[i]})
				}
				res, err := p.Batch(reqs)
				if err != nil {
					t.Fatal(err)
				}
				for i, c := range hostileXML {
					dcs := res[i]
					ours, oerr := xmlcodec.Decode(bodies[i], rt.Schema(), xmlcodec.DecodeOptions{})
					switch {
					case dcs.OK != (oerr == nil):
						t.Errorf("%s: DataContractSerializer ok=%v (%s), xmlcodec err=%v\nbody %q", c.name, dcs.OK, dcs.Error, oerr, bodies[i])
					case dcs.OK && canonRaw(dcs.Value) != canon(neutral(ours, rt.Schema(), false)):
						t.Errorf("%s: DataContractSerializer read %s, xmlcodec %s", c.name, canonRaw(dcs.Value), canon(neutral(ours, rt.Schema(), false)))
					default:
						t.Logf("%-45s DCS: %s | xmlcodec: %v", c.name, orOK(dcs.Error), oerr)
					}
					// What a remote client sees from the gateway.
					hreq, _ := http.NewRequest(http.MethodPost, srv.URL+op.Routes[0].Path, strings.NewReader(string(bodies[i])))
					hreq.Header.Set("Content-Type", "application/xml")
					hreq.Header.Set("Accept", "application/json")
					resp, err := http.DefaultClient.Do(hreq)
					if err != nil {
						t.Fatal(err)
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					var env struct {
						Message    string
						ModelState map[string][]string
					}
					_ = json.Unmarshal(body, &env)
					refused := resp.StatusCode == 400 && len(env.ModelState[op.Parameter]) == 1 && env.ModelState[op.Parameter][0] == "An error has occurred."
					if !dcs.OK && (!refused || len(env.ModelState) != 1 || env.Message != "The request is invalid.") {
						t.Errorf("%s: DCS refuses the body, the gateway answered %d %s", c.name, resp.StatusCode, body)
					}
					if dcs.OK && refused {
						t.Errorf("%s: DCS reads the body, the gateway refused it: %s", c.name, body)
					}
				}
			})
		}
	}
}

func readsXML(h *contract.Host) bool {
	for _, f := range h.Formats {
		if f.Name == "xml" && f.Read {
			return true
		}
	}
	return false
}

func orOK(s string) string {
	if s == "" {
		return "ok"
	}
	return s
}
