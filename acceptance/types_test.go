package acceptance

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"legacygate/routes/routestest"
)

// csStub stands in for ServiceStack.Interfaces when the generated C# is
// compiled: the types the DTOs reference (IReturn<T>, IReturnVoid,
// [Route]).
const csStub = `namespace ServiceStack {
  public interface IReturn {}
  public interface IReturn<T> : IReturn {}
  public interface IReturnVoid : IReturn {}
  [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = true)]
  public class RouteAttribute : System.Attribute {
    public RouteAttribute(string path) {}
    public RouteAttribute(string path, string verbs) {}
  }
}
`

// useTS uses the generated DTOs the way an app does, with the real
// @servicestack/client typings: IReturn<T> must give post() its type.
const useTS = `import { JsonServiceClient } from '@servicestack/client';
import { RegisterUser, RegisterResponse, Roles } from './emun1.dtos';
import { ClientRegister, UserAuth } from './digitaluapi.dtos';
const c = new JsonServiceClient('http://127.0.0.1/service');
export const r: Promise<RegisterResponse> = c.post(new RegisterUser({ userName: 'ann', password: 'p', role: Roles.Customer, tags: { a: ['b'] } }));
export const d: Promise<UserAuth> = c.post(new ClientRegister({ EMail: 'a@b.c', Company: 'x', Roles: ['a'], PartnerUserID: 3 }));
`

// TestAddServiceStackReference runs the real @servicestack/cli
// (typescript-ref, csharp-ref) against the gateway's /types endpoints,
// updates a reference after editing its options as a user does, then
// type-checks the TypeScript with tsc --strict against the real client
// and compiles the C# with mcs when Mono is installed.
func TestAddServiceStackReference(t *testing.T) {
	node, err := exec.LookPath("node")
	abs, _ := filepath.Abs("node_modules")
	cli := filepath.Join(abs, "@servicestack", "cli", "bin")
	tsc := filepath.Join(abs, "typescript", "bin", "tsc")
	_, cliErr := os.Stat(cli)
	_, tscErr := os.Stat(tsc)
	if err != nil || cliErr != nil || tscErr != nil {
		if os.Getenv("LEGACYGATE_ACCEPTANCE") == "1" {
			t.Fatalf("node (%v), @servicestack/cli (%v) or typescript (%v) missing: run npm ci in acceptance/", err, cliErr, tscErr)
		}
		t.Skip("node or acceptance/node_modules missing; run `npm ci` in acceptance/ (scripts/test.sh does)")
	}
	srv := routestest.Serve(t, routestest.Options(routestest.Hosts(t), nil))
	dir := t.TempDir()
	if err := os.Symlink(abs, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		// The CLI reports each reference to servicestack.net unless told not to.
		cmd.Env = append(os.Environ(), "SERVICESTACK_TELEMETRY_OPTOUT=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	for _, ref := range []struct{ base, name string }{{srv.URL + "/service", "emun1"}, {srv.URL, "digitaluapi"}} {
		out := run(node, filepath.Join(cli, "typescript-ref.js"), ref.base, ref.name+".dtos.ts")
		if !strings.Contains(out, "Saved to: "+ref.name+".dtos.ts") {
			t.Errorf("typescript-ref: %s", out)
		}
		run(node, filepath.Join(cli, "csharp-ref.js"), ref.base, ref.name+".dtos.cs")
	}
	// Update a reference the way a user does: un-comment an option, run
	// the CLI on the file; it sends the option back as a query string.
	path := filepath.Join(dir, "digitaluapi.dtos.cs")
	src, _ := os.ReadFile(path)
	edited := strings.Replace(string(src), "//ExcludeTypes: ", "ExcludeTypes: Authenticate,AuthenticateResponse", 1)
	os.WriteFile(path, []byte(edited), 0o644)
	if out := run(node, filepath.Join(cli, "csharp-ref.js"), "digitaluapi.dtos.cs"); !strings.Contains(out, "Updated: digitaluapi.dtos.cs") {
		t.Errorf("csharp-ref update: %s", out)
	}
	src, _ = os.ReadFile(path)
	if strings.Contains(string(src), "class Authenticate") || !strings.Contains(string(src), "ExcludeTypes: Authenticate,AuthenticateResponse") || !strings.Contains(string(src), "class ClientRegister") {
		t.Errorf("updated reference ignores ExcludeTypes:\n%s", src)
	}

	os.WriteFile(filepath.Join(dir, "use.ts"), []byte(useTS), 0o644)
	run(node, tsc, "--noEmit", "--strict", "--target", "es2020", "--module", "nodenext", "--moduleResolution", "nodenext",
		"--skipLibCheck", "use.ts", "emun1.dtos.ts", "digitaluapi.dtos.ts")

	if mcs, err := exec.LookPath("mcs"); err == nil {
		os.WriteFile(filepath.Join(dir, "stub.cs"), []byte(csStub), 0o644)
		for _, n := range []string{"emun1", "digitaluapi"} {
			run(mcs, "-target:library", "-r:System.Runtime.Serialization.dll", "-out:"+n+".dll", "stub.cs", n+".dtos.cs")
		}
	} else {
		t.Log("NOTICE: mcs (Mono) not installed; the generated C# was not compiled")
	}

	// /types/metadata: the operations with routes, auth and roles.
	res, err := http.Get(srv.URL + "/types/metadata")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var md struct {
		Operations []struct {
			Request       struct{ Name string }
			RequiresAuth  bool
			RequiredRoles []string
			Routes        []struct{ Path, Verbs string }
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&md); err != nil {
		t.Fatal(err)
	}
	if len(md.Operations) != 2 || md.Operations[0].Request.Name != "ClientRegister" || !md.Operations[0].RequiresAuth ||
		len(md.Operations[0].RequiredRoles) != 1 || md.Operations[0].Routes[0].Path != "/clientregister" {
		t.Errorf("metadata operations: %+v", md.Operations)
	}
}
