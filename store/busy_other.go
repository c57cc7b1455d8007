//go:build !unix

package store

import "os"

// processAlive reports whether pid is a running process.
func processAlive(pid int) bool {
	_, err := os.FindProcess(pid)
	return err == nil
}
