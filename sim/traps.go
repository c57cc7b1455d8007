package sim

import (
	"fmt"
	"net"
	"sync"
)

// trapHosts are the addresses of the two units that cannot be audited: one
// whose port is closed, one that accepts connections and never answers.
type trapHosts struct {
	closedAddr string
	hangAddr   string

	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

// start opens the traps on the given addresses (port 0: any free port).
func (t *trapHosts) start(closedAddr, hangAddr string) error {
	// A port that was free a moment ago and is closed now.
	ln, err := net.Listen("tcp", closedAddr)
	if err != nil {
		return fmt.Errorf("sim: closed-port trap: listen %s: %w", closedAddr, err)
	}
	t.closedAddr = ln.Addr().String()
	ln.Close()

	t.ln, err = net.Listen("tcp", hangAddr)
	if err != nil {
		return fmt.Errorf("sim: hanging trap: listen %s: %w", hangAddr, err)
	}
	t.hangAddr = t.ln.Addr().String()
	t.wg.Add(1)
	go func(ln net.Listener) {
		defer t.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.mu.Lock()
			t.conns = append(t.conns, c)
			t.mu.Unlock()
		}
	}(t.ln)
	return nil
}

// close stops accepting and drops the connections held open.
func (t *trapHosts) close() {
	if t.ln == nil {
		return
	}
	t.ln.Close()
	t.wg.Wait()
	t.mu.Lock()
	for _, c := range t.conns {
		c.Close()
	}
	t.conns = nil
	t.mu.Unlock()
	t.ln = nil
}
