package redistest

import (
	"os/exec"
	"syscall"
)

// setPdeathsig makes the kernel stop the server if the test binary dies
// without calling stop (a panic, a -timeout, a kill).
func setPdeathsig(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
