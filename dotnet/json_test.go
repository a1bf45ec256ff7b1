package dotnet

import (
	"fmt"
	"testing"

	"legacygate/codecs"
	"legacygate/codecs/jsoncodec"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline/bind"
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
	n := valuesPerType(400)
	for _, h := range hs {
		if h.host.Style != contract.WebAPI {
			continue
		}
		for _, ct := range h.objectTypes() {
			d := differential{their: "Json.NET", writeOp: "json-write", readOp: "json-read", seed: 6, enumNumbers: true,
				encode: func(v codecs.Value) ([]byte, error) {
					return jsoncodec.Append(nil, v, ct.Schema(), jsoncodec.NewtonsoftDialect)
				},
				decode: func(data []byte) (codecs.Value, error) {
					dv, err := jsoncodec.Decode(data, jsoncodec.DecodeOptions{DotNet: true})
					if err != nil {
						return dv, err
					}
					bound, errs := bind.Request(ct, dv, bind.Options{})
					if len(errs) > 0 {
						return bound, fmt.Errorf("binding: %v", errs)
					}
					return bound, nil
				}}
			t.Run(h.host.Name+"/"+ct.Name, func(t *testing.T) { d.run(t, p, h.clrName(ct), ct.Schema(), n) })
		}
	}
}
