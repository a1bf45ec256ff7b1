package xmlcodec

import (
	"encoding/xml"
	"testing"
)

// Typed baselines for encoding/xml on the same bytes. Dates are strings so
// that encoding/xml does no more work than necessary; ours types everything.
type xmlRegisterBindingModel struct {
	XMLName         xml.Name `xml:"http://schemas.datacontract.org/2004/07/Hub.Server.Models RegisterBindingModel"`
	ConfirmPassword string
	Email           string
	Name            string
	PartnerID       *int
	Password        string
	PhoneNumber     string
	Surname         string
	Username        string
}

type xmlUserPartnerRoles struct {
	PartnerID int
	RoleID    int
}

type xmlUserDetail struct {
	XMLName                  xml.Name `xml:"http://schemas.datacontract.org/2004/07/Hub.Server.Models UserDetail"`
	DateOfBirth              string
	Description              string
	Email                    string
	GDPRMarketingConsent     bool
	GDPRMarketingConsentDate string
	Gender                   string
	GenderID                 *int
	ID                       int
	ImageURL                 string
	IsStravaLinked           bool
	IsSuperUser              bool
	Locale                   string
	Name                     string
	PartnerID                *int
	PhoneNumber              string
	Surname                  string
	TechnicianID             *int
	TwoFactorEnabled         bool
	UnitsOfMeasureID         *int
	UserName                 string
	UserRoles                []xmlUserPartnerRoles `xml:"UserRoles>UserPartnerRoles"`
}

func benchBodies(b *testing.B) []struct {
	name string
	body []byte
	typ  any
} {
	reg := readSample(b, "register_binding_model.compact.xml")
	ud := readSample(b, "user_detail.compact.xml")
	return []struct {
		name string
		body []byte
		typ  any
	}{
		{"RegisterBindingModel", reg, registerT},
		{"UserDetail", ud, userDetailT},
	}
}

func TestBenchmarkBaselinesAgree(t *testing.T) {
	var r xmlRegisterBindingModel
	if err := xml.Unmarshal(readSample(t, "register_binding_model.compact.xml"), &r); err != nil || r.Username != "sample string 1" || *r.PartnerID != 8 {
		t.Fatalf("baseline register: %+v %v", r, err)
	}
	var u xmlUserDetail
	if err := xml.Unmarshal(readSample(t, "user_detail.compact.xml"), &u); err != nil || len(u.UserRoles) != 2 || u.UserRoles[1].RoleID != 1 {
		t.Fatalf("baseline user detail: %+v %v", u, err)
	}
}

func BenchmarkDecode(b *testing.B) {
	regT, udT := registerT, userDetailT
	for i, bb := range benchBodies(b) {
		typ := regT
		into := func() any { return new(xmlRegisterBindingModel) }
		if i == 1 {
			typ = udT
			into = func() any { return new(xmlUserDetail) }
		}
		b.Run(bb.name+"/xmlcodec", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(bb.body, typ, DecodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/encoding-xml-struct", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := xml.Unmarshal(bb.body, into()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/etree-dom", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := readTree(bb.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for i, bb := range benchBodies(b) {
		typ := registerT
		var typed any = new(xmlRegisterBindingModel)
		if i == 1 {
			typ = userDetailT
			typed = new(xmlUserDetail)
		}
		v, err := Decode(bb.body, typ, DecodeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := xml.Unmarshal(bb.body, typed); err != nil {
			b.Fatal(err)
		}
		b.Run(bb.name+"/xmlcodec", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				if buf, err = Append(buf[:0], v, typ); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/xmlcodec-new-buffer", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Append(nil, v, typ); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bb.name+"/encoding-xml-struct", func(b *testing.B) {
			b.SetBytes(int64(len(bb.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := xml.Marshal(typed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
