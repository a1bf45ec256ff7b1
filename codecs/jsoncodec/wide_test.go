package jsoncodec

import (
	"testing"

	"legacygate/codecs"
)

// TestEncodeWideTypes: Json.NET writes a TimeSpan as TimeSpan.ToString()
// and ServiceStack.Text as an XSD duration (JsonTypeSerializer
// .WriteTimeSpan); both write byte[] as Base64 and the unsigned integers
// as numbers (Json.NET's output checked on Mono, see dotnet/).
func TestEncodeWideTypes(t *testing.T) {
	span := &codecs.Type{Name: "duration", Shape: codecs.ScalarShape, Scalar: codecs.TimeSpanT}
	wide := &codecs.Type{Name: "Wide", Shape: codecs.ObjectShape, Fields: []codecs.Field{
		{Name: "TS", Type: span, Order: -1},
		{Name: "Neg", Type: span, Order: -1},
		{Name: "Zero", Type: span, Order: -1},
		{Name: "UL", Type: &codecs.Type{Shape: codecs.ScalarShape, Scalar: codecs.UInt64T}, Order: -1},
		{Name: "Blob", Type: &codecs.Type{Shape: codecs.ScalarShape, Scalar: codecs.BytesT, Nullable: true}, Order: -1},
		{Name: "Grid", Type: &codecs.Type{Shape: codecs.ListShape, Elem: &codecs.Type{Shape: codecs.ListShape, Elem: span}}, Order: -1},
	}}
	v := codecs.Obj(codecs.M("TS", codecs.Str("1.02:03:04.5000000")), codecs.M("Neg", codecs.Str("-00:00:00.0000015")),
		codecs.M("Zero", codecs.Str("PT0S")), codecs.M("UL", codecs.Num("18446744073709551615")), codecs.M("Blob", codecs.Str("AQL/")),
		codecs.M("Grid", codecs.Arr(codecs.Arr(codecs.Str("01:00:00")))))
	tests := []struct {
		d    Dialect
		want string
	}{
		{NewtonsoftDialect, `{"TS":"1.02:03:04.5000000","Neg":"-00:00:00.0000015","Zero":"00:00:00","UL":18446744073709551615,"Blob":"AQL/","Grid":[["01:00:00"]]}`},
		{NewtonsoftStringEnumsDialect, `{"TS":"1.02:03:04.5000000","Neg":"-00:00:00.0000015","Zero":"00:00:00","UL":18446744073709551615,"Blob":"AQL/","Grid":[["01:00:00"]]}`},
		{ServiceStackDialect, `{"TS":"P1DT2H3M4.5S","Neg":"-PT0.0000015S","Zero":"PT0S","UL":18446744073709551615,"Blob":"AQL/","Grid":[["PT1H"]]}`},
	}
	for _, tt := range tests {
		got, err := Append(nil, v, wide, tt.d)
		if err != nil || string(got) != tt.want {
			t.Errorf("%v:\n got %s %v\nwant %s", tt.d, got, err, tt.want)
		}
	}
}
