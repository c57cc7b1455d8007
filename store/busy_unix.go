//go:build unix

package store

import "syscall"

// processAlive reports whether pid is a running process (signal 0 checks
// without sending): a note left by a killed holder names nobody.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
