package dotnet

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"legacygate/codecs"
	"legacygate/codecs/xmlcodec"
)

// maxReported bounds the mismatches printed per type.
const maxReported = 5

// TestDotNetDataContractSerializer compares xmlcodec with
// DataContractSerializer (Mono's, built from the .NET reference source)
// over generated values of every contract type of every host: our bytes
// must equal DCS's bytes (as Web API's XmlMediaTypeFormatter writes them),
// DCS must read our bytes to the value we meant, and we must read DCS's
// bytes to the value it meant.
func TestDotNetDataContractSerializer(t *testing.T) {
	p, hs := startSerializers(t)
	n := valuesPerType(500)
	for _, h := range hs {
		for _, ct := range h.objectTypes() {
			t.Run(h.host.Name+"/"+ct.Name, func(t *testing.T) {
				g := &gen{r: rand.New(rand.NewPCG(uint64(len(ct.Name)), 14)), omit: true}
				typ := h.clrName(ct)
				values := make([]codecs.Value, n)
				ours := make([][]byte, n)
				var reqs []any
				for i := range values {
					values[i] = g.value(ct.Schema, 0)
					if values[i].IsNull() {
						values[i] = codecs.Obj()
					}
					b, err := xmlcodec.Append(nil, values[i], ct.Schema)
					if err != nil {
						t.Fatalf("xmlcodec.Append(%v): %v", values[i], err)
					}
					ours[i] = b
					reqs = append(reqs,
						map[string]any{"op": "xml-write", "type": typ, "value": neutral(values[i], ct.Schema, false)},
						map[string]any{"op": "xml-read", "type": typ, "data": b})
				}
				bad := 0
				report := func(format string, args ...any) {
					bad++
					if bad <= maxReported {
						t.Errorf(format, args...)
					}
				}
				streamPairs(t, p, reqs, func(i int, w, r Response) {
					v := values[i]
					want := neutral(v, ct.Schema, true)
					if !w.OK {
						report("value %d: DCS cannot write %v: %s", i, v, w.Error)
						return
					}
					if !bytes.Equal(ours[i], w.Data) {
						report("value %d: bytes differ (theirs: DataContractSerializer) %s", i, diffAt(ours[i], w.Data))
					}
					// DCS reads our bytes.
					switch {
					case !r.OK:
						report("value %d: DCS cannot read our bytes %s: %s", i, clip(ours[i]), r.Error)
					case !sameRaw(r.Value, want):
						report("value %d: DCS read our bytes differently (ours: meant, theirs: read) %s", i, diffText(canon(want), canonRaw(r.Value)))
					}
					// We read DCS's bytes.
					got, err := xmlcodec.Decode(w.Data, ct.Schema, xmlcodec.DecodeOptions{})
					switch {
					case err != nil:
						report("value %d: xmlcodec cannot read DCS's bytes %s: %v", i, clip(w.Data), err)
					case !same(neutral(got, ct.Schema, true), want):
						report("value %d: xmlcodec read DCS's bytes differently (ours: read, theirs: meant) %s", i, diffText(canon(neutral(got, ct.Schema, true)), canon(want)))
					}
				})
				if bad > 0 {
					t.Errorf("%d of %d values mismatched", bad, n)
				}
				t.Logf("%s: %d values compared (write bytes, DCS read, xmlcodec read)", typ, n)
			})
		}
	}
}
