package formcodec

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"legacygate/codecs"
)

// ErrMissingBracket is returned (wrapped, with the key and .NET's message)
// by [DecodeWebAPI] for a key with a '[' that no ']' follows.
var ErrMissingBracket = errors.New("formcodec: invalid key")

// ErrTooComplex is returned by [DecodeWebAPI] when binding would take more
// than maxBindSteps steps. Plain repeated keys of nested collections and
// repeated ".index" values multiply: with a handful of keys per level, a
// form of a few hundred keys would bind more items than fit in memory (Web
// API keeps going; a gateway cannot).
var ErrTooComplex = errors.New("formcodec: form too complex to bind")

// maxBindSteps bounds the work of one DecodeWebAPI call, counted in values
// bound or tried; a form of 1000 keys binding 1000 objects of 100 members
// stays well below it.
const maxBindSteps = 1 << 18

// maxBindDepth bounds the nesting DecodeWebAPI follows. Keys bound the depth
// of objects and indexed collections, but a plain repeated key binds every
// level of a list of lists at the same name; a self-referencing schema would
// recurse forever (Web API overflows its stack).
const maxBindDepth = 64

// DecodeWebAPI binds pairs to the schema t as Web API 2's
// JQueryMvcFormUrlEncodedFormatter does (FormDataCollection.ReadAs with an
// empty model name: NameValuePairsValueProvider over the normalised keys,
// then the MVC-style binders), and returns the result as a neutral value:
//
//   - Keys are normalised first (NormalizeJQueryToMvc): "a[]" → "a",
//     "a[b]" → "a.b" when b does not start with a decimal digit, "a[0]" kept
//     as it is; a '[' without a later ']' is an [ErrMissingBracket] error.
//   - Keys match ignoring case (OrdinalIgnoreCase: simple upper-case mapping
//     of BMP characters); member names in the result are t's field names.
//   - An object binds when some key equals its name or starts with its name
//     followed by '.' or '[' (the top-level object, named "", binds when
//     there is any pair at all); its members are t.AllFields() in that
//     order, each present only if it bound. Nested members come from
//     "Address.City" (or "Address[City]").
//   - A scalar binds when its key is present. It takes the FIRST value of a
//     repeated key (so the MVC checkbox pair "IsActive=true&IsActive=false"
//     gives "true"); a value that is empty or only white space becomes
//     Null (ReplaceEmptyStringWithNull for strings, and the empty-input rule
//     of ValueProviderResult for every other type); any other value is kept
//     as a String, bools included, for the typed binder to convert.
//   - A list (or map) binds when some key has its name as a prefix. If the
//     plain key is present, each of its values is an item, in order
//     (a scalar item is Null when blank). Otherwise the indexes named by the
//     values of "<name>.index" are used, a missing one giving a Null item;
//     otherwise "<name>[0]", "[1]", … until the first index that does not
//     bind. An empty list is possible ("Tags[1]=x" alone binds Tags: []).
//     As the keys were normalised first, an ".index" name must start with a
//     digit to be found: "Tags[a]" has become "Tags.a".
//   - A map (Dictionary<string,T>) is a list of "[i].Key"/"[i].Value"
//     entries; the result is an Object whose member names are the keys, in
//     first-seen order, a later duplicate key (compared exactly) replacing
//     the value; entries whose key is blank or did not bind are dropped.
//
// A form whose binding would take too many steps (nested collections
// multiplying, see [ErrTooComplex]) is an error.
//
// With no pairs the result is Null (Web API passes the type's default, a
// null model); with pairs that match nothing it is an empty Object. A nil t
// is bound as a string.
//
// Unlike Web API, a value that its type cannot convert does not end an
// indexed list early ("Ids[0]=1&Ids[1]=x&Ids[2]=3" binds three items here,
// one in Web API, which reports the conversion error either way), and an
// item missing from an ".index" list is Null where Web API puts the
// element type's default (0 for an int); conversion is the typed binder's.
func DecodeWebAPI(pairs []Pair, t *codecs.Type) (codecs.Value, error) {
	if len(pairs) == 0 {
		return codecs.Value{}, nil
	}
	p, err := newProvider(pairs)
	if err != nil {
		return codecs.Value{}, err
	}
	b := binder{p: p}
	v, ok := b.bind("", t, nil, 0)
	if b.steps > maxBindSteps {
		return codecs.Value{}, ErrTooComplex
	}
	if !ok {
		return codecs.Value{}, nil
	}
	return v, nil
}

// normalizeKey is FormDataCollectionExtensions.NormalizeJQueryToMvc.
func normalizeKey(key string) (string, error) {
	open := strings.IndexByte(key, '[')
	if open < 0 {
		return key, nil
	}
	var sb strings.Builder
	sb.Grow(len(key))
	i := 0
	for {
		open := strings.IndexByte(key[i:], '[')
		if open < 0 {
			sb.WriteString(key[i:])
			break
		}
		open += i
		sb.WriteString(key[i:open])
		end := strings.IndexByte(key[open:], ']')
		if end < 0 {
			return "", fmt.Errorf("%w %q: The key is invalid JQuery syntax because it is missing a closing bracket",
				ErrMissingBracket, key)
		}
		end += open
		if end > open+1 {
			inner := key[open+1 : end]
			if startsWithDigit(inner) {
				sb.WriteString(key[open : end+1]) // an index: kept
			} else {
				sb.WriteByte('.') // a member name: dot notation
				sb.WriteString(inner)
			}
		}
		i = end + 1
		if i >= len(key) {
			break
		}
	}
	return sb.String(), nil
}

// startsWithDigit is Char.IsDigit of the first UTF-16 code unit of s: a
// decimal digit (Unicode Nd) of the BMP; a supplementary character's high
// surrogate is not a digit.
func startsWithDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r < 0x10000 && unicode.IsDigit(r)
}

// fold maps s to the form in which OrdinalIgnoreCase compares it: each BMP
// character by its simple upper-case mapping; supplementary characters (two
// UTF-16 code units .NET does not case-map) and ill-formed bytes unchanged.
// Folding is per character, so prefixes and the delimiters '.' and '['
// survive it.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'a' <= c && c <= 'z' {
			return foldSlow(s, i)
		}
	}
	return s
}

func foldSlow(s string, i int) string {
	b := make([]byte, 0, len(s)+4)
	b = append(b, s[:i]...)
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1, r >= 0x10000:
			b = append(b, s[i:i+size]...)
		default:
			b = utf8.AppendRune(b, unicode.ToUpper(r))
		}
		i += size
	}
	return string(b)
}

// provider is NameValuePairsValueProvider over the normalised pairs, with
// the prefix search of PrefixContainer.
type provider struct {
	values map[string][]string // folded key → values in wire order
	keys   []string            // folded keys, sorted
}

func newProvider(pairs []Pair) (*provider, error) {
	p := &provider{values: make(map[string][]string, len(pairs))}
	for _, kv := range pairs {
		k, err := normalizeKey(kv.Key)
		if err != nil {
			return nil, err
		}
		k = fold(k)
		vs, seen := p.values[k]
		if !seen {
			p.keys = append(p.keys, k)
		}
		p.values[k] = append(vs, kv.Value)
	}
	slices.Sort(p.keys)
	return p, nil
}

// containsPrefix reports whether some key is the folded name itself or
// starts with it followed by '.' or '[' (PrefixContainer.ContainsPrefix);
// the empty name matches when there is any key.
func (p *provider) containsPrefix(name string) bool {
	if name == "" {
		return len(p.keys) > 0
	}
	if _, ok := p.values[name]; ok {
		return true
	}
	return p.hasKeyWithPrefix(name+".") || p.hasKeyWithPrefix(name+"[")
}

func (p *provider) hasKeyWithPrefix(prefix string) bool {
	i, _ := slices.BinarySearch(p.keys, prefix)
	return i < len(p.keys) && strings.HasPrefix(p.keys[i], prefix)
}

// elemental is the value an ElementalValueProvider puts in front of the
// value provider while a simple collection binds one of its raw values: a
// lookup of exactly the collection's name sees only that value.
type elemental struct {
	name  string // folded
	value string
}

type binder struct {
	p     *provider
	steps int
}

// get returns the raw values of the folded name, the elemental value first.
func (b *binder) get(name string, el *elemental) ([]string, bool) {
	if el != nil && el.name == name {
		return []string{el.value}, true
	}
	vs, ok := b.p.values[name]
	return vs, ok
}

func (b *binder) containsPrefix(name string, el *elemental) bool {
	return el != nil && el.name == name || b.p.containsPrefix(name)
}

// bind binds the schema t at the model name (folded), reporting whether
// anything bound (the binder's BindModel result).
func (b *binder) bind(name string, t *codecs.Type, el *elemental, depth int) (codecs.Value, bool) {
	b.steps++
	if depth > maxBindDepth || b.steps > maxBindSteps {
		return codecs.Value{}, false
	}
	switch {
	case t != nil && t.Shape == codecs.ScalarShape && t.Scalar == codecs.BytesT:
		// Web API has no byte[] binder of its own (MVC's Base64
		// ByteArrayModelBinder is not among its providers): a byte[]
		// binds as any array does, x=1&x=2 or x[0]=1.
		return b.collection(name, byteList, el, depth)
	case t == nil || t.Shape == codecs.ScalarShape:
		return b.scalar(name, el)
	case t.Shape == codecs.ObjectShape:
		return b.object(name, t, el, depth)
	case t.Shape == codecs.ListShape || t.Shape == codecs.MapShape:
		return b.collection(name, t, el, depth)
	}
	return codecs.Value{}, false
}

// byteList is byte[] seen as a collection of bytes.
var byteList = &codecs.Type{Shape: codecs.ListShape, Elem: &codecs.Type{Shape: codecs.ScalarShape, Scalar: codecs.ByteT}}

// scalar is TypeConverterModelBinder with the conversion left out: the
// first value (ValueProviderResult.UnwrapPossibleListType), blank → null.
func (b *binder) scalar(name string, el *elemental) (codecs.Value, bool) {
	vs, ok := b.get(name, el)
	if !ok {
		return codecs.Value{}, false
	}
	return scalarValue(vs[0]), true
}

func scalarValue(s string) codecs.Value {
	if strings.TrimFunc(s, unicode.IsSpace) == "" { // String.IsNullOrWhiteSpace
		return codecs.Value{}
	}
	return codecs.Str(s)
}

// object is MutableObjectModelBinder with ComplexModelDtoModelBinder.
func (b *binder) object(name string, t *codecs.Type, el *elemental, depth int) (codecs.Value, bool) {
	if !b.containsPrefix(name, el) {
		return codecs.Value{}, false
	}
	fields := t.AllFields()
	members := make([]codecs.Member, 0, len(fields))
	for _, f := range fields {
		v, ok := b.bind(propertyName(name, fold(f.Name)), f.Type, el, depth+1)
		if ok {
			members = append(members, codecs.M(f.Name, v))
		}
	}
	return codecs.Obj(members...), true
}

// propertyName is ModelBindingHelper.CreatePropertyModelName.
func propertyName(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// collection is CollectionModelBinder (and ArrayModelBinder, and
// DictionaryModelBinder over KeyValuePairModelBinder for a map).
func (b *binder) collection(name string, t *codecs.Type, el *elemental, depth int) (codecs.Value, bool) {
	if !b.containsPrefix(name, el) {
		return codecs.Value{}, false
	}
	isMap := t.Shape == codecs.MapShape
	item := func(itemName string, el *elemental) (codecs.Value, bool) {
		if isMap {
			return b.entry(itemName, t.Elem, el, depth+1)
		}
		return b.bind(itemName, t.Elem, el, depth+1)
	}
	var items []codecs.Value
	if raw, ok := b.get(name, el); ok {
		// BindSimpleCollection: each raw value binds at the same name.
		items = make([]codecs.Value, 0, len(raw))
		for _, r := range raw {
			v, _ := item(name, &elemental{name: name, value: r})
			items = append(items, v)
		}
	} else if indexes, ok := b.p.values[propertyName(name, "INDEX")]; ok {
		// BindComplexCollectionFromIndexes over the ".index" values.
		items = make([]codecs.Value, 0, len(indexes))
		for _, ix := range indexes {
			v, _ := item(name+"["+fold(ix)+"]", el)
			items = append(items, v)
		}
	} else {
		// Zero-based indexes, stopping at the first that does not bind.
		items = []codecs.Value{}
		for i := 0; ; i++ {
			v, ok := item(name+"["+strconv.Itoa(i)+"]", el)
			if !ok {
				break
			}
			items = append(items, v)
		}
	}
	if !isMap {
		return codecs.Arr(items...), true
	}
	out := codecs.Obj()
	index := make(map[string]int, len(items)) // a later key wins, linearly
	for _, it := range items {
		// Entries are pairs [key, value]; a null item is one that did not
		// bind both halves (default KeyValuePair, null key).
		if it.Kind == codecs.Array && it.Items[0].Kind == codecs.String {
			k := it.Items[0].Str
			if i, dup := index[k]; dup {
				out.Members[i].Value = it.Items[1]
				continue
			}
			index[k] = len(out.Members)
			out.Members = append(out.Members, codecs.M(k, it.Items[1]))
		}
	}
	return out, true
}

// entry is KeyValuePairModelBinder: "<name>.key" and "<name>.value". It
// binds if either half binds, but yields a pair only when both do;
// otherwise the entry is the default KeyValuePair (Null here), whose null
// key the dictionary skips.
func (b *binder) entry(name string, elem *codecs.Type, el *elemental, depth int) (codecs.Value, bool) {
	k, kok := b.scalar(propertyName(name, "KEY"), el)
	v, vok := b.bind(propertyName(name, "VALUE"), elem, el, depth+1)
	if kok && vok {
		return codecs.Arr(k, v), true
	}
	return codecs.Value{}, kok || vok
}
