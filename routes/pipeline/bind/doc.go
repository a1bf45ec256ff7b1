// Package bind is the pipeline's binding step: it turns the neutral value a
// codec read into the operation's request type, member by member, with
// Json.NET's (Web API) or ServiceStack's matching and coercion rules, and
// reports what it could not convert. It reads the contract's schema; it
// imports no style, no HTTP framework and no codec.
package bind
