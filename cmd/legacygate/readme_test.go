package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"legacygate/backend/redisstore/redistest"
)

// readmeBlock is one fenced code block of README.md.
type readmeBlock struct {
	lang  string
	line  int // of the opening fence
	lines []string
}

func readmeBlocks(t *testing.T) []readmeBlock {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []readmeBlock
	var cur *readmeBlock
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &readmeBlock{lang: strings.TrimPrefix(l, "```"), line: i + 1}
		case cur != nil && l == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
	}
	return blocks
}

// readmeCommand is a command with the output README.md prints for it.
type readmeCommand struct {
	line     int
	cmd      string
	want     string
	comment  string // the comment lines just above it
	checkOut bool   // console blocks print output; sh blocks do not
}

// commands splits a block: in console blocks "$ " starts a command (a
// trailing backslash continues it) and the lines up to the next "$ " are
// its output; "$ # …" lines are remarks. In sh blocks every line that is
// not a comment is a command.
func (b readmeBlock) commands() []readmeCommand {
	var out []readmeCommand
	comment := ""
	for i := 0; i < len(b.lines); i++ {
		l := b.lines[i]
		if b.lang == "console" {
			if !strings.HasPrefix(l, "$ ") {
				continue
			}
			l = strings.TrimPrefix(l, "$ ")
		}
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			comment += strings.TrimSpace(l) + "\n"
			continue
		}
		if strings.TrimSpace(l) == "" {
			comment = ""
			continue
		}
		c := readmeCommand{line: b.line + 1 + i, comment: comment, checkOut: b.lang == "console"}
		comment = ""
		cmd := l
		for strings.HasSuffix(cmd, "\\") && i+1 < len(b.lines) {
			i++
			cmd += "\n" + b.lines[i]
		}
		c.cmd = cmd
		if b.lang == "console" {
			var want []string
			for i+1 < len(b.lines) && !strings.HasPrefix(b.lines[i+1], "$ ") {
				i++
				want = append(want, b.lines[i])
			}
			c.want = strings.TrimRight(strings.Join(want, "\n"), "\n ")
		}
		out = append(out, c)
	}
	return out
}

// volatile are the values that differ from run to run, as README.md says:
// request ids, dates, session cookies and session ids.
var volatile = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?m)^(Date|X-Request-Id): .*$`), "$1: *"},
	{regexp.MustCompile(`(ss-id|ss-pid)=[A-Za-z0-9_-]+`), "$1=*"},
	{regexp.MustCompile(`sessionId:[A-Za-z0-9_-]+`), "sessionId:*"},
}

func normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.repl)
	}
	lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// shell runs cmd with sh in the repository root, in its own process group.
func shell(ctx context.Context, cmd string, env []string) *exec.Cmd {
	c := exec.CommandContext(ctx, "sh", "-c", cmd)
	c.Dir = "../.."
	c.Env = append(os.Environ(), env...)
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	return c
}

// TestREADME runs README.md's examples as printed: the gateway starts as
// "Set up" says (go run ./cmd/legacygate, in the repository root, so
// ./config.yaml applies), on a free port instead of 8080 (through
// LEGACYGATE_LISTEN); every console command's output must equal the
// printed one but for the volatile values above; every sh command must
// succeed (Redis URLs point at the test's Redis, under the test's key
// prefix). scripts/test.sh, the other set-up command, is what runs this.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run and curl")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		if os.Getenv("LEGACYGATE_ACCEPTANCE") == "1" {
			t.Fatal("curl is missing; scripts/test.sh installs it")
		}
		t.Skip("NOTICE: curl is missing; README examples not run")
	}
	blocks := readmeBlocks(t)
	if len(blocks) == 0 || blocks[0].lang != "sh" || !strings.HasPrefix(blocks[0].lines[0], "go run ./cmd/legacygate ") ||
		!strings.HasPrefix(blocks[1-1].lines[1], "./scripts/test.sh") {
		t.Fatalf("README's first block is not the set-up block this test knows: %q", blocks[0].lines)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	addr := freeAddr(t)
	// No shutdown delay: no load balancer watches this gateway.
	gw := shell(ctx, "exec go run ./cmd/legacygate", []string{"LEGACYGATE_LISTEN=" + addr, "LEGACYGATE_TIMEOUTS_SHUTDOWN_DELAY=0s"})
	var gwLog strings.Builder
	gw.Stderr = &gwLog
	if err := gw.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = syscall.Kill(-gw.Process.Pid, syscall.SIGTERM)
		_ = gw.Wait()
		if t.Failed() {
			t.Logf("gateway log:\n%s", gwLog.String())
		}
	}()
	for i := 0; ; i++ {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			break
		}
		if i == 600 || ctx.Err() != nil {
			t.Fatalf("gateway did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond) // waiting for go run to build, not a timed assertion
	}

	_, prefix := redistest.Client(t)
	env := []string{"LEGACYGATE_REDIS_PREFIX=" + prefix}
	// Quoted: a Cluster or Sentinel URL has & between its addr= options.
	rewrite := strings.NewReplacer("127.0.0.1:8080", addr, "redis://127.0.0.1:6379", "'"+redistest.URL()+"'")
	n := 0
	for _, b := range blocks[1:] {
		if b.lang != "console" && b.lang != "sh" {
			continue
		}
		for _, c := range b.commands() {
			n++
			cmd := rewrite.Replace(c.cmd)
			t.Run(fmt.Sprintf("README.md:%d", c.line), func(t *testing.T) {
				if strings.Contains(c.comment, "runs until SIGINT/SIGTERM") {
					runUntilStarted(t, ctx, cmd, env)
					return
				}
				out, err := shell(ctx, cmd, env).CombinedOutput()
				if !c.checkOut {
					if err != nil {
						t.Fatalf("%s\n%v\n%s", c.cmd, err, out)
					}
					return
				}
				if got, want := normalize(string(out)), normalize(c.want); got != want {
					t.Errorf("%s\n--- README prints:\n%s\n--- got:\n%s", c.cmd, c.want, out)
				}
			})
		}
	}
	if n < 10 {
		t.Errorf("only %d README commands found", n)
	}
}

// runUntilStarted starts a long-running command, waits for its start line
// on stderr and stops its process group with SIGTERM, which must end it
// cleanly (its "stopped" line; sh itself dies of the signal).
func runUntilStarted(t *testing.T, ctx context.Context, cmd string, env []string) {
	c := shell(ctx, cmd, env)
	stderr, err := c.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	var seen []string
	sc := bufio.NewScanner(stderr)
	started := false
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if strings.Contains(sc.Text(), "started") {
			started = true
			break
		}
	}
	if !started {
		_ = c.Wait()
		t.Fatalf("%s did not start:\n%s", cmd, strings.Join(seen, "\n"))
	}
	_ = syscall.Kill(-c.Process.Pid, syscall.SIGTERM)
	stopped := false
	for sc.Scan() {
		seen = append(seen, sc.Text())
		stopped = stopped || strings.Contains(sc.Text(), "stopped")
	}
	_ = c.Wait()
	if !stopped {
		t.Errorf("%s did not stop cleanly on SIGTERM:\n%s", cmd, strings.Join(seen, "\n"))
	}
}
