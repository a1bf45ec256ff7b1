package dotnet

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"legacygate/codecs"
)

// differential is one format's comparison between our codec and a .NET
// serializer driven by the helper.
type differential struct {
	their            string // the serializer's name, for messages
	writeOp, readOp  string // the helper's operations
	seed             uint64
	enumNumbers, xml bool // generator and neutral-form switches
	// encode is our writer; decode our reader, returning the bound value.
	encode func(v codecs.Value) ([]byte, error)
	decode func(data []byte) (codecs.Value, error)
}

// run compares n generated values of type schema (the helper's type name
// typ): our bytes must be theirs, they must read ours to the value meant,
// and we must read theirs to the value meant.
func (d differential) run(t *testing.T, p *Helper, typ string, schema *codecs.Type, n int) {
	g := &gen{r: rand.New(rand.NewPCG(uint64(len(schema.Name)), d.seed)), enumNumbers: d.enumNumbers, omit: d.xml}
	values := make([]codecs.Value, n)
	ours := make([][]byte, n)
	reqs := make([]any, 0, 2*n)
	for i := range values {
		values[i] = g.value(schema, 0)
		for values[i].IsNull() {
			values[i] = g.value(schema, 0)
		}
		b, err := d.encode(values[i])
		if err != nil {
			t.Fatalf("encoding %v: %v", values[i], err)
		}
		ours[i] = b
		reqs = append(reqs,
			map[string]any{"op": d.writeOp, "type": typ, "value": neutral(values[i], schema, false)},
			map[string]any{"op": d.readOp, "type": typ, "data": b})
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
		want := neutral(v, schema, d.xml)
		if !w.OK {
			report("value %d: %s cannot write %v: %s", i, d.their, v, w.Error)
			return
		}
		if !bytes.Equal(ours[i], w.Data) {
			report("value %d: bytes differ (theirs: %s) %s", i, d.their, diffAt(ours[i], w.Data))
		}
		switch {
		case !r.OK:
			report("value %d: %s cannot read our bytes %s: %s", i, d.their, clip(ours[i]), r.Error)
		case !sameRaw(r.Value, want):
			report("value %d: %s read our bytes differently (ours: meant, theirs: read) %s", i, d.their, diffText(canon(want), canonRaw(r.Value)))
		}
		got, err := d.decode(w.Data)
		switch {
		case err != nil:
			report("value %d: we cannot read %s's bytes %s: %v", i, d.their, clip(w.Data), err)
		case !same(neutral(got, schema, d.xml), want):
			report("value %d: we read %s's bytes differently (ours: read, theirs: meant) %s", i, d.their, diffText(canon(neutral(got, schema, d.xml)), canon(want)))
		}
	})
	if bad > 0 {
		t.Errorf("%d of %d values mismatched", bad, n)
	}
	t.Logf("%s: %d values compared with %s (bytes written, read both ways)", typ, n, d.their)
}
