package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gkaudit/config"
	"gkaudit/sim"
	"gkaudit/store"
)

// crashChildEnv, set, makes TestHelperAuditChild run gkaudit with the
// arguments it holds (a JSON list) and exit with its code.
const crashChildEnv = "GKAUDIT_CRASH_CHILD_ARGS"

// TestHelperAuditChild is not a test: TestAudit_KilledAtRandomMoments runs
// it in a child process, which it kills.
func TestHelperAuditChild(t *testing.T) {
	raw := os.Getenv(crashChildEnv)
	if raw == "" {
		t.Skip("child process of TestAudit_KilledAtRandomMoments")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	os.Stderr.Write(errb.Bytes())
	os.Exit(code)
}

// runDigests hashes what each complete run of the file holds: its record,
// its findings and every unit's snapshot (pages with their metadata).
func runDigests(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := store.OpenWith(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, err := db.Runs()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range runs {
		if !r.Complete {
			continue
		}
		h := sha256.New()
		enc := json.NewEncoder(h)
		enc.Encode(r)
		fs, err := db.Findings(r.ID)
		if err != nil {
			t.Fatal(err)
		}
		enc.Encode(fs)
		for _, u := range r.Units {
			s, err := db.Snapshot(r.ID, u)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			enc.Encode(s)
		}
		out[r.ID] = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

// Ensure that an audit killed with SIGKILL at 20 random moments leaves,
// each time, a file that passes gkaudit check, with the earlier runs
// reading back unchanged and the killed run marked interrupted; and that
// the next run completes.
func TestAudit_KilledAtRandomMoments(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 20 child processes")
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err := sim.New(sim.Options{Seed: 3, Size: sim.SizeDemo, Units: cfg.Units})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	dir := t.TempDir()
	cfg.Units = d.Units()[:2] // a small district keeps 20 runs quick
	cfg.Crawl = loopbackPolicy(cfg.Crawl)
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	cfgPath, dbPath := filepath.Join(dir, "sim.yaml"), filepath.Join(dir, "audit.db")
	if err := os.WriteFile(cfgPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"audit", "--config", cfgPath, "--db", dbPath, "--as-of", d.AsOf().Format("2006-01-02")}

	// Two complete runs first, the second timed: the children's runs are
	// re-crawls like it, and kills land within its length.
	var length time.Duration
	for range 2 {
		start := time.Now()
		if code, out, stderr := gk(t, args...); code != exitOK {
			t.Fatalf("audit = %d\n%s\n%s", code, out, stderr)
		}
		length = time.Since(start)
	}
	want := runDigests(t, dbPath)

	seed := time.Now().UnixNano()
	t.Logf("random seed %d; a run takes about %v", seed, length)
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	childArgs, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	midRun, runs := 0, 2
	var killing time.Duration
	for i := range 20 {
		span := length + 50*time.Millisecond // and the child's start
		if i%2 == 1 {
			span = length
		}
		delay := time.Duration(rng.Int64N(int64(span)))
		killing += delay
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAuditChild$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+string(childArgs))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		busy := dbPath + ".busy"
		os.Remove(busy) // the last child's, left by the kill
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			// Odd kills count from when the child holds the file (its
			// busy note appears), so that most land inside the run; even
			// ones from its start, which also hits starting and opening.
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if _, err := os.Stat(busy); err == nil {
					break
				}
			}
		}
		time.Sleep(delay)
		cmd.Process.Kill() // SIGKILL
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() > 0 {
			// Exited by itself: it must have finished the run.
			if err != nil {
				t.Fatalf("kill %d: child failed before the kill (%v): %s", i, err, stderr.String())
			}
		}

		rep, err := store.Verify(dbPath, store.Options{})
		if err != nil || !rep.OK() {
			t.Fatalf("kill %d after %v: check = %v, problems %q", i, delay, err, rep.Problems)
		}
		if i%5 == 4 { // the command too, now and then (Verify above is its check)
			if code, out, stderr := gk(t, "check", "--db", dbPath); code != exitOK {
				t.Fatalf("kill %d after %v: gkaudit check = %d\n%s%s", i, delay, code, out, stderr)
			}
		}
		got := runDigests(t, dbPath)
		for id, sum := range want {
			if got[id] != sum {
				t.Fatalf("kill %d after %v: complete run %s reads back changed", i, delay, id)
			}
		}
		for id, sum := range got {
			want[id] = sum // a child the kill came too late for finished its run
		}
		for _, r := range rep.Runs {
			if _, ok := want[r.ID]; !ok && r.Complete {
				t.Errorf("kill %d: run %s complete but not digested", i, r.ID)
			}
		}
		outcome := "before its run began"
		if n := len(rep.Runs); n > runs && !rep.Runs[n-1].Complete {
			midRun++ // the killed run: begun, left interrupted
			outcome = "inside run " + rep.Runs[n-1].ID
		} else if n > runs {
			outcome = "after run " + rep.Runs[n-1].ID + " completed"
		}
		t.Logf("kill %d after %v: %s", i, delay, outcome)
		runs = len(rep.Runs)
	}
	t.Logf("%d of 20 kills landed inside a run; %v of the test was waiting to kill", midRun, killing)
	if midRun == 0 {
		t.Error("no kill landed inside a run: the test tested nothing")
	}

	// The next run completes, and latest is it.
	if code, out, stderr := gk(t, args...); code != exitOK {
		t.Fatalf("audit after the kills = %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ := gk(t, "runs", "--db", dbPath, "--format", "json")
	var rs []runOut
	if err := json.Unmarshal([]byte(out), &rs); code != exitOK || err != nil || len(rs) < 2 || !rs[len(rs)-1].Complete {
		t.Fatalf("runs after the last audit = %d, %v: %s", code, err, out)
	}
	interrupted := 0
	for _, r := range rs {
		if !r.Complete {
			interrupted++
			if r.Status != "interrupted" {
				t.Errorf("run %s status %q, want interrupted", r.ID, r.Status)
			}
		}
	}
	if interrupted != midRun {
		t.Errorf("%d runs marked interrupted, want the %d killed mid-run", interrupted, midRun)
	}
}
