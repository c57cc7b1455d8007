package store_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"gkaudit/store"
)

// helperEnv names the file TestHelperWriter writes to; unset, it skips.
const helperEnv = "GKAUDIT_STORE_HELPER_DB"

const helperPages = 500 // pages per unit, so each unit spans several chunks

// helperBody is the body of page i of unit u: distinct, so the file grows.
func helperBody(u string) func(i int) []byte {
	return func(i int) []byte {
		return fmt.Appendf(nil, "<html><body><h1>%s 第%d页</h1>%s</body></html>", u, i, strings.Repeat(fmt.Sprintf("%s-%d ", u, i), 100))
	}
}

// TestHelperWriter is not a test: TestSaveSnapshot_Killed runs it in a child
// process that saves units until it is killed.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("helper process for TestSaveSnapshot_Killed")
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	units := make([]string, 1000)
	for i := range units {
		units[i] = fmt.Sprintf("u%04d", i)
	}
	r, err := db.BeginRun(store.Run{AsOf: "2025-06-30", Units: units})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute) // in case the parent never kills us
	for i, u := range units {
		if err := db.SaveSnapshot(r.ID, newSnapshot(u, helperPages, helperBody(u))); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			fmt.Println("ready")
		}
		if time.Now().After(deadline) {
			t.Fatal("not killed within a minute")
		}
	}
}

// Ensure that a process killed with SIGKILL while saving a run leaves a file
// that passes bbolt's consistency check, with the run incomplete and every
// committed page and body readable.
func TestSaveSnapshot_Killed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	path := tempPath(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "ready" {
				ready <- true
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			cmd.Wait()
			t.Fatalf("helper exited before ready: %s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper not ready after 30s: %s", stderr.String())
	}
	// Let it get well into later units, then kill it mid-write.
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cur, err := os.Stat(path); err == nil && cur.Size() > fi.Size() {
			break
		}
	}
	time.Sleep(137 * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	db, err := store.Open(path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatalf("consistency check after kill: %v", err)
	}
	r, err := db.NewestRun() // latest skips it: it is incomplete
	if err != nil {
		t.Fatal(err)
	}
	if r.Complete || !r.Finished.IsZero() {
		t.Errorf("killed run %s = %+v, want incomplete", r.ID, r)
	}
	var saved, complete int64
	for _, u := range r.Units {
		s, err := db.Snapshot(r.ID, u)
		if err != nil {
			continue // not reached
		}
		partial := strings.Contains(s.StopReason, "interrupted")
		if !partial {
			complete++
			if len(s.Pages) != helperPages {
				t.Errorf("unit %s saved complete with %d pages, want %d", u, len(s.Pages), helperPages)
			}
		}
		for _, p := range s.Pages {
			// Chunks hold pages sorted by URL: a partial save has some pages
			// from all over the unit, so the page number comes from the URL.
			var i int
			if _, err := fmt.Sscanf(p.URL[strings.LastIndexByte(p.URL, '/')+1:], "%d.html", &i); err != nil {
				t.Fatalf("unit %s: page URL %s: %v", u, p.URL, err)
			}
			body, err := db.Body(p.SHA256)
			if err != nil {
				t.Fatalf("unit %s page %d: %v", u, i, err)
			}
			if want := helperBody(u)(i); !bytes.Equal(body, want) {
				t.Fatalf("unit %s page %d body = %.40q..., want %.40q...", u, i, body, want)
			}
		}
		saved += int64(len(s.Pages))
	}
	if complete == 0 {
		t.Error("no unit saved completely before the kill")
	}
	if r.Pages != saved {
		t.Errorf("run.Pages = %d, want %d (pages readable)", r.Pages, saved)
	}
	t.Logf("killed after %d complete units, %d pages", complete, saved)

	// The file stays usable.
	r2, err := db.BeginRun(store.Run{})
	if err != nil {
		t.Fatal(err)
	}
	if r2.ID <= r.ID {
		t.Errorf("run after kill has ID %s, want after %s", r2.ID, r.ID)
	}
}
