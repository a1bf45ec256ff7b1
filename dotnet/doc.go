// Package dotnet checks the gateway against a real .NET runtime (Mono):
// DataContractSerializer and Json.NET for the codecs, and the ASP.NET Web
// API client library (System.Net.Http.Formatting) against a running
// gateway.
//
// [CSharp] generates C# model classes from contract schemas (so a new host
// is covered without new C#); [Require] finds mono and mcs, skipping the
// caller's test when they are missing (failing it in CI, see [Required]);
// [Mono.Compile] builds the C# sources under cs/; [Helper] drives one
// long-lived C# process with one JSON request per line. The tests in this
// package are named TestDotNet… so that `go test -run DotNet ./...` selects
// them; docs/dotnet.md describes what they check.
//
// The package knows nothing about any particular host.
package dotnet
