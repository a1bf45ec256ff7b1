package servicestack

import "legacygate/codecs"

// ServiceStack's own DTOs serialise in this namespace ([assembly:
// ContractNamespace] in ServiceStack.Interfaces and ServiceStack.Client).
const typesNS = "http://schemas.servicestack.net/types"

var (
	strT = &codecs.Type{Name: "string", Namespace: "http://schemas.microsoft.com/2003/10/Serialization/", Shape: codecs.ScalarShape, Scalar: codecs.StringT, Nullable: true}
	// metaT is Dictionary<string,string>.
	metaT = &codecs.Type{Name: "ArrayOfKeyValueOfstringstring", Namespace: "http://schemas.microsoft.com/2003/10/Serialization/Arrays", Shape: codecs.MapShape, Elem: strT, Nullable: true}

	responseErrorType = &codecs.Type{Name: "ResponseError", Namespace: typesNS, Shape: codecs.ObjectShape, Nullable: true, Fields: []codecs.Field{
		{Name: "ErrorCode", Type: strT, Order: 1},
		{Name: "FieldName", Type: strT, Order: 2},
		{Name: "Message", Type: strT, Order: 3},
		{Name: "Meta", Type: metaT, Order: 4},
	}}
	responseStatusType = &codecs.Type{Name: "ResponseStatus", Namespace: typesNS, Shape: codecs.ObjectShape, Nullable: true, Fields: []codecs.Field{
		{Name: "ErrorCode", Type: strT, Order: 1},
		{Name: "Message", Type: strT, Order: 2},
		{Name: "StackTrace", Type: strT, Order: 3},
		{Name: "Errors", Type: &codecs.Type{Name: "ArrayOfResponseError", Namespace: typesNS, Shape: codecs.ListShape, Elem: responseErrorType, Nullable: true}, Order: 4},
		{Name: "Meta", Type: metaT, Order: 5},
	}}
	// errorResponseType is ServiceStack's generic ErrorResponse, the error
	// DTO of a request without a {Name}Response type.
	errorResponseType = &codecs.Type{Name: "ErrorResponse", Namespace: typesNS, Shape: codecs.ObjectShape, Nullable: true, Fields: []codecs.Field{
		{Name: "ResponseStatus", Type: responseStatusType, Order: 1},
	}}
)
