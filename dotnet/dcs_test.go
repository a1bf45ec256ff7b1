package dotnet

import (
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
	n := valuesPerType(400)
	for _, h := range hs {
		for _, ct := range h.objectTypes() {
			d := differential{their: "DataContractSerializer", writeOp: "xml-write", readOp: "xml-read", seed: 14, xml: true,
				encode: func(v codecs.Value) ([]byte, error) { return xmlcodec.Append(nil, v, ct.Schema()) },
				decode: func(data []byte) (codecs.Value, error) {
					return xmlcodec.Decode(data, ct.Schema(), xmlcodec.DecodeOptions{})
				}}
			t.Run(h.host.Name+"/"+ct.Name, func(t *testing.T) { d.run(t, p, h.clrName(ct), ct.Schema(), n) })
		}
	}
}
