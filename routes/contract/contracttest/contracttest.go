// Package contracttest holds small contracts the step packages' tests share.
package contracttest

import (
	"testing"

	"legacygate/routes/contract"
)

// Base is a Web API host with a register operation whose request (Req)
// exercises every rule and scalar kind, and whose response (Resp) maps
// from the user, its attributes and a list of roles.
const Base = `
host: t
style: webapi
formats:
  - {format: json, media_types: [application/json]}
operations:
  - name: Register
    action: register
    routes: [{method: POST, path: /r}]
    request: Req
    parameter: model
    response: Resp
    command: {username: User, password: Pass, email: Mail}
types:
  Req:
    namespace: T.Models
    members:
      - {name: User, type: string, rules: [required]}
      - {name: Mail, type: string, rules: [email]}
      - {name: Pass, type: string, secret: true, rules: [required, {length: {min: 4, max: 8}}]}
      - {name: Confirm, type: string, secret: true, rules: [{compare: Pass}]}
      - {name: Age, type: int, rules: [{range: {min: 1, max: 150}}]}
      - {name: Partner, type: "int?"}
      - {name: Active, type: "bool?"}
      - {name: Id, type: "guid?"}
      - {name: Tags, type: "[]string"}
      - {name: Born, type: "datetime?"}
  Resp:
    members:
      - {name: ID, type: int, from: user.id}
      - {name: Name, type: string, from: user.username}
      - {name: Partner, type: "int?", from: user.attr.Partner}
      - {name: Missing, type: int}
      - {name: Flag, type: bool, from: "true"}
      - {name: Roles, type: "[]Role", from: user.roles}
  Role:
    members:
      - {name: RoleID, type: int, from: item}
`

// OpHost is a Web API host with one operation taking Req, whose types
// follow.
const OpHost = `
host: t
style: webapi
formats: [{format: json, media_types: [application/json]}]
operations:
  - {name: Op, action: is_available, routes: [{method: POST, path: /r}], request: Req, command: {username: Name}, response: bool}
types:
`

// Wide is a Web API host whose request Wide has a member of each type added
// for issue 11 (small and unsigned integers, timespan, []byte, set[T],
// lists of lists).
const Wide = `
host: w
style: webapi
formats:
  - {format: json, media_types: [application/json]}
operations:
  - name: Put
    action: register
    routes: [{method: POST, path: /w}]
    request: Wide
    parameter: model
    response: Wide
    command: {username: Name}
types:
  Wide:
    members:
      - {name: Name, type: string}
      - {name: B, type: byte, rules: [{range: [1, 200]}]}
      - {name: SB, type: sbyte}
      - {name: S, type: short}
      - {name: US, type: ushort}
      - {name: UI, type: uint}
      - {name: UL, type: ulong}
      - {name: MaybeUL, type: "ulong?"}
      - {name: TS, type: timespan}
      - {name: MaybeTS, type: "timespan?"}
      - {name: Bytes, type: "[]byte", rules: [required]}
      - {name: Tags, type: "set[string]", rules: [{minlength: 1}]}
      - {name: Ids, type: "set[int]"}
      - {name: Grid, type: "[][]string"}
`

// Whole is a Web API host whose operations take or answer a list, a
// dictionary or a scalar as a whole.
const Whole = `
host: whole
style: webapi
formats:
  - {format: json, media_types: [application/json]}
operations:
  - name: Import
    action: register
    routes: [{method: POST, path: /import}]
    request: "[]Item"
    parameter: items
    command: {username: .}
    response: "[]Role"
    response_from: user.roles
  - name: Check
    action: is_available
    routes: [{method: POST, path: /check}]
    request: string
    parameter: name
    command: {username: .}
    response: bool
  - name: Id
    action: register
    routes: [{method: POST, path: /id}]
    request: "map[string]Item"
    parameter: byKey
    command: {username: .}
    response: long
    response_from: user.id
types:
  Item:
    members:
      - {name: Name, type: string, rules: [required]}
      - {name: Count, type: ushort}
  Role:
    members:
      - {name: Name, type: string, from: item}
`

// Load loads src as t.yaml or fails the test.
func Load(t testing.TB, src string) *contract.Host {
	t.Helper()
	h, err := contract.Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return h
}
