package dotnet

import (
	"math/rand/v2"
	"testing"

	"legacygate/codecs"
	"legacygate/codecs/jsoncodec"
	"legacygate/routes/contract"
)

// TestDotNetJsonNet compares the gateway's Web API JSON with Json.NET 6
// under JsonMediaTypeFormatter's default settings, for every type of every
// Web API host: our bytes (jsoncodec's Newtonsoft dialect over a value in
// the response mapping's member order) must equal Json.NET's, Json.NET
// must read them to the value we meant, and jsoncodec plus contract.Bind
// must read Json.NET's bytes to the value it meant. Dates of every kind,
// enums (numbers in JSON) and nulls included.
func TestDotNetJsonNet(t *testing.T) {
	p, hs := startSerializers(t)
	n := valuesPerType(500)
	for _, h := range hs {
		if h.host.Style != contract.WebAPI {
			continue
		}
		for _, ct := range h.objectTypes() {
			t.Run(h.host.Name+"/"+ct.Name, func(t *testing.T) {
				g := &gen{r: rand.New(rand.NewPCG(uint64(len(ct.Name)), 6)), enumNumbers: true}
				typ := h.clrName(ct)
				values := make([]codecs.Value, n)
				ours := make([][]byte, n)
				var reqs []any
				for i := range values {
					values[i] = g.value(ct.Schema, 0)
					for values[i].IsNull() {
						values[i] = g.value(ct.Schema, 0)
					}
					b, err := jsoncodec.Append(nil, values[i], ct.Schema, jsoncodec.NewtonsoftDialect)
					if err != nil {
						t.Fatalf("jsoncodec.Append(%v): %v", values[i], err)
					}
					ours[i] = b
					reqs = append(reqs,
						map[string]any{"op": "json-write", "type": typ, "value": neutral(values[i], ct.Schema, false)},
						map[string]any{"op": "json-read", "type": typ, "data": b})
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
					want := neutral(v, ct.Schema, false)
					if !w.OK {
						report("value %d: Json.NET cannot write %v: %s", i, v, w.Error)
						return
					}
					if string(ours[i]) != string(w.Data) {
						report("value %d: bytes differ (theirs: Json.NET) %s", i, diffAt(ours[i], w.Data))
					}
					switch {
					case !r.OK:
						report("value %d: Json.NET cannot read our bytes %s: %s", i, clip(ours[i]), r.Error)
					case !sameRaw(r.Value, want):
						report("value %d: Json.NET read our bytes differently (ours: meant, theirs: read) %s", i, diffText(canon(want), canonRaw(r.Value)))
					}
					dv, err := jsoncodec.Decode(w.Data, jsoncodec.DecodeOptions{DotNet: true})
					if err != nil {
						report("value %d: jsoncodec cannot read Json.NET's bytes %s: %v", i, clip(w.Data), err)
						return
					}
					bound, errs := contract.Bind(ct, dv, contract.BindOptions{})
					switch {
					case len(errs) > 0:
						report("value %d: binding Json.NET's bytes %s: %v", i, clip(w.Data), errs)
					case !same(neutral(bound, ct.Schema, false), want):
						report("value %d: we read Json.NET's bytes differently (ours: read, theirs: meant) %s", i, diffText(canon(neutral(bound, ct.Schema, false)), canon(want)))
					}
				})
				if bad > 0 {
					t.Errorf("%d of %d values mismatched", bad, n)
				}
				t.Logf("%s: %d values compared (write bytes, Json.NET read, jsoncodec+Bind read)", typ, n)
			})
		}
	}
}
