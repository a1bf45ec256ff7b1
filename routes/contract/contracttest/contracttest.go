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

// Load loads src as t.yaml or fails the test.
func Load(t testing.TB, src string) *contract.Host {
	t.Helper()
	h, err := contract.Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return h
}
