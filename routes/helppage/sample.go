package helppage

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// The sample values follow ASP.NET Web API's HelpPage template
// (aspnetwebstack, src/WebApiHelpPage/Areas/HelpPage/SampleGeneration/
// ObjectGenerator.cs; the copy read is in the OData/WebApi repository at
// the same path):
//
//   - one generator, with its own counter starting at 0, per complex
//     object, per collection, per dictionary and per Nullable<T>;
//   - every simple member of an object takes the object generator's next
//     index: strings "sample string N", integers N, decimals N+0.1, bool
//     true, DateTime DateTime.Now (Local), Guid a new random Guid;
//   - a Nullable<T> member gets a fresh generator, so it is always 1 (or
//     true, now, a new Guid) and does not move the object's counter;
//   - collections hold two items from one fresh generator (1, 2), a
//     dictionary two entries whose keys and values share one generator
//     (key 1, value 2, key 3, value 4);
//   - a complex type is generated once per sample and reused, so both
//     items of a List<T> of objects are the same object;
//   - an enum is its first declared value and takes no index.
//
// The template's DefaultCollectionSize was 2 in the versions the seeds
// were rendered with (two items in every list sample); later copies of the
// template use 3.
const collectionSize = 2

// sampler builds one sample value (one request or response body).
type sampler struct {
	now     time.Time
	newGUID func() string
	cache   map[*contract.Type]*codecs.Value
}

func newSampler(now time.Time, newGUID func() string) *sampler {
	if newGUID == nil {
		newGUID = func() string { return uuid.NewString() }
	}
	return &sampler{now: now, newGUID: newGUID, cache: map[*contract.Type]*codecs.Value{}}
}

// generator is one ObjectGenerator's simple-value counter.
type generator struct{ index int }

// object returns the sample of an object type (cached per sample).
func (s *sampler) object(t *contract.Type) codecs.Value {
	if v, ok := s.cache[t]; ok {
		if v == nil { // a cycle: the legacy serialiser would loop; stop here
			return codecs.Value{}
		}
		return *v
	}
	s.cache[t] = nil
	g := &generator{}
	out := codecs.Obj()
	for _, m := range t.AllMembers() {
		if _, dup := out.Get(m.Name); dup {
			continue
		}
		out.Members = append(out.Members, codecs.M(m.Name, s.member(g, m.Type)))
	}
	s.cache[t] = &out
	return out
}

// member generates one member's value with its object's generator.
func (s *sampler) member(g *generator, ref contract.TypeRef) codecs.Value {
	switch {
	case ref.Map():
		cg := &generator{}
		out := codecs.Obj()
		for i := 0; i < collectionSize; i++ {
			k := s.simpleString(cg)
			out.Members = append(out.Members, codecs.M(k, s.member(cg, *ref.Elem)))
		}
		return out
	case ref.List():
		cg := &generator{}
		out := codecs.Arr()
		for i := 0; i < collectionSize; i++ {
			out.Items = append(out.Items, s.member(cg, *ref.Elem))
		}
		return out
	case ref.Object != nil:
		return s.object(ref.Object)
	case ref.Scalar == codecs.EnumT:
		if ref.Enum != nil && len(ref.Enum.Enum) > 0 {
			return codecs.Str(ref.Enum.Enum[0])
		}
		return codecs.Num("0")
	case IsNullableValue(ref):
		return s.simple(&generator{}, ref.Scalar)
	}
	return s.simple(g, ref.Scalar)
}

// IsNullableValue reports whether ref is a Nullable<T> of a value type
// (int?, bool?, DateTime?, Guid?), as opposed to a reference type.
func IsNullableValue(ref contract.TypeRef) bool {
	return ref.Scalar != codecs.NotScalar && ref.Scalar != codecs.StringT && strings.HasSuffix(ref.Spec, "?")
}

func (s *sampler) simpleString(g *generator) string {
	g.index++
	return "sample string " + strconv.Itoa(g.index)
}

func (s *sampler) simple(g *generator, sc codecs.Scalar) codecs.Value {
	g.index++
	n := strconv.Itoa(g.index)
	switch sc {
	case codecs.BoolT:
		return codecs.BoolV(true)
	case codecs.Int32T, codecs.Int64T, codecs.DecimalT:
		return codecs.Num(n)
	case codecs.DoubleT:
		return codecs.Num(n + ".1")
	case codecs.GuidT:
		return codecs.Str(s.newGUID())
	case codecs.DateTimeT:
		return codecs.TimeV(s.now, codecs.Local)
	case codecs.DateTimeOffsetT:
		return codecs.TimeV(s.now, codecs.Offset)
	// HelpPage's ObjectGenerator: (Byte) 64, (SByte) 64, the index for the
	// other integers, TimeSpan.FromTicks(1234567), and a byte[] generated
	// as any array (two items of 64).
	case codecs.ByteT, codecs.SByteT:
		return codecs.Num("64")
	case codecs.Int16T, codecs.UInt16T, codecs.UInt32T, codecs.UInt64T:
		return codecs.Num(n)
	case codecs.TimeSpanT:
		return codecs.Str(codecs.FormatTimeSpan(1234567))
	case codecs.BytesT:
		return codecs.Str("QEA=")
	}
	return codecs.Str("sample string " + n)
}
