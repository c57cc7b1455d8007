// Package k8s_test validates the Kubernetes manifests of deploy/k8s and the
// Dockerfile: kubeconform and kubectl --dry-run need a schema download or an
// API server, so CI parses the files and checks the fields a wrong edit
// would break (shard count, the index variable, mounts, non-root, image).
package k8s_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the CronJobs' timeZone, without the system's zoneinfo

	"github.com/robfig/cron/v3"
	"sigs.k8s.io/yaml"

	"gkaudit/audit"
	"gkaudit/config"
)

// The subset of the Kubernetes API the checks read.
type object struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Data map[string]string `json:"data"`
	Spec map[string]any    `json:"spec"`
	file string
}

type jobSpec struct {
	CompletionMode        string `json:"completionMode"`
	Completions           *int   `json:"completions"`
	Parallelism           *int   `json:"parallelism"`
	ActiveDeadlineSeconds int    `json:"activeDeadlineSeconds"`
	Template              struct {
		Spec podSpec `json:"spec"`
	} `json:"template"`
}

type podSpec struct {
	RestartPolicy   string `json:"restartPolicy"`
	SecurityContext struct {
		RunAsNonRoot *bool `json:"runAsNonRoot"`
		RunAsUser    *int  `json:"runAsUser"`
	} `json:"securityContext"`
	Containers []struct {
		Name  string   `json:"name"`
		Image string   `json:"image"`
		Args  []string `json:"args"`
		Env   []struct {
			Name      string `json:"name"`
			ValueFrom struct {
				FieldRef struct {
					FieldPath string `json:"fieldPath"`
				} `json:"fieldRef"`
			} `json:"valueFrom"`
		} `json:"env"`
		SecurityContext struct {
			AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation"`
			ReadOnlyRootFilesystem   *bool `json:"readOnlyRootFilesystem"`
		} `json:"securityContext"`
		VolumeMounts []struct {
			Name      string `json:"name"`
			MountPath string `json:"mountPath"`
		} `json:"volumeMounts"`
	} `json:"containers"`
	Volumes []struct {
		Name      string `json:"name"`
		ConfigMap *struct {
			Name string `json:"name"`
		} `json:"configMap"`
		PersistentVolumeClaim *struct {
			ClaimName string `json:"claimName"`
		} `json:"persistentVolumeClaim"`
	} `json:"volumes"`
}

type cronSpec struct {
	Schedule          string `json:"schedule"`
	TimeZone          string `json:"timeZone"`
	ConcurrencyPolicy string `json:"concurrencyPolicy"`
	JobTemplate       struct {
		Spec jobSpec `json:"spec"`
	} `json:"jobTemplate"`
}

// load parses every document of every manifest.
func load(t *testing.T) []object {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	var out []object
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
			if strings.TrimSpace(stripComments(doc)) == "" {
				continue
			}
			var o object
			if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
				t.Fatalf("%s document %d: %v", f, i+1, err)
			}
			if o.APIVersion == "" || o.Kind == "" || o.Metadata.Name == "" {
				t.Fatalf("%s document %d: apiVersion, kind and metadata.name are required", f, i+1)
			}
			o.file = f
			out = append(out, o)
		}
	}
	return out
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// as re-decodes an object's spec into v.
func as(t *testing.T, o object, v any) {
	t.Helper()
	raw, err := yaml.Marshal(o.Spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s %s: %v", o.file, o.Metadata.Name, err)
	}
}

func find(objs []object, kind, name string) (object, bool) {
	for _, o := range objs {
		if o.Kind == kind && o.Metadata.Name == name {
			return o, true
		}
	}
	return object{}, false
}

// Dockerfile's runtime user, which the pods' runAsUser must match.
func dockerUser(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	from := regexp.MustCompile(`(?m)^FROM `).FindAllIndex(data, -1)
	if len(from) < 2 {
		t.Errorf("Dockerfile: %d stages, want a multi-stage build", len(from))
	}
	if !bytes.Contains(data, []byte("CGO_ENABLED=0")) {
		t.Error("Dockerfile: the binary is not built with CGO_ENABLED=0 (static)")
	}
	m := regexp.MustCompile(`(?m)^USER (\d+)(?::\d+)?\s*$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("Dockerfile: no numeric USER (runAsNonRoot needs a numeric, non-zero uid)")
	}
	uid, _ := strconv.Atoi(string(m[1]))
	if uid == 0 {
		t.Error("Dockerfile: USER 0 is root")
	}
	return uid
}

// checkPod checks what every gkaudit pod needs: the image, non-root, the
// config and data volumes mounted where the args point.
func checkPod(t *testing.T, where string, p podSpec, objs []object, uid int, image *string) []string {
	t.Helper()
	if p.RestartPolicy != "Never" && p.RestartPolicy != "OnFailure" {
		t.Errorf("%s: restartPolicy %q", where, p.RestartPolicy)
	}
	sc := p.SecurityContext
	if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != uid {
		t.Errorf("%s: securityContext wants runAsNonRoot: true and runAsUser: %d (the Dockerfile's USER)", where, uid)
	}
	if len(p.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", where, len(p.Containers))
	}
	c := p.Containers[0]
	if *image == "" {
		*image = c.Image
	}
	if c.Image != *image || !strings.Contains(c.Image, "gkaudit") || strings.HasSuffix(c.Image, ":latest") {
		t.Errorf("%s: image %q, want %q in every manifest, with a version tag", where, c.Image, *image)
	}
	if e := c.SecurityContext.AllowPrivilegeEscalation; e == nil || *e {
		t.Errorf("%s: allowPrivilegeEscalation must be false", where)
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		mounts[m.Name] = m.MountPath
	}
	vols := map[string]bool{}
	for _, v := range p.Volumes {
		vols[v.Name] = true
		switch {
		case v.ConfigMap != nil:
			if _, ok := find(objs, "ConfigMap", v.ConfigMap.Name); !ok {
				t.Errorf("%s: volume %s: no ConfigMap %q", where, v.Name, v.ConfigMap.Name)
			}
			arg := flagValue(c.Args, "--config")
			if mp := mounts[v.Name]; mp == "" || !strings.HasPrefix(arg, mp+"/") {
				t.Errorf("%s: --config=%s is not under the config volume's mount %q", where, arg, mp)
			}
		case v.PersistentVolumeClaim != nil:
			if _, ok := find(objs, "PersistentVolumeClaim", v.PersistentVolumeClaim.ClaimName); !ok {
				t.Errorf("%s: volume %s: no PersistentVolumeClaim %q", where, v.Name, v.PersistentVolumeClaim.ClaimName)
			}
			mp := mounts[v.Name]
			for _, a := range dbArgs(c.Args) {
				if mp == "" || !strings.HasPrefix(a, mp+"/") {
					t.Errorf("%s: database %s is not on the data volume (mounted at %q)", where, a, mp)
				}
			}
		}
	}
	for name := range mounts {
		if !vols[name] {
			t.Errorf("%s: volumeMount %s has no volume", where, name)
		}
	}
	return c.Args
}

func flagValue(args []string, name string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// dbArgs are the database files an audit or merge reads or writes.
func dbArgs(args []string) []string {
	var out []string
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--db="); ok {
			out = append(out, v)
		} else if v, ok := strings.CutPrefix(a, "--out="); ok {
			out = append(out, v)
		} else if strings.HasSuffix(a, ".db") && !strings.HasPrefix(a, "-") {
			out = append(out, a)
		}
	}
	return out
}

// checkShards checks an Indexed Job of shards and returns N.
func checkShards(t *testing.T, where string, js jobSpec, objs []object, uid int, image *string) (int, int) {
	t.Helper()
	if js.CompletionMode != "Indexed" {
		t.Errorf("%s: completionMode %q, want Indexed", where, js.CompletionMode)
	}
	if js.Completions == nil || js.Parallelism == nil || *js.Completions != *js.Parallelism || *js.Completions < 1 {
		t.Fatalf("%s: completions and parallelism must be set and equal", where)
	}
	n := *js.Completions
	args := checkPod(t, where, js.Template.Spec, objs, uid, image)
	if len(args) == 0 || args[0] != "audit" {
		t.Errorf("%s: args %v, want gkaudit audit", where, args)
	}
	env := js.Template.Spec.Containers[0].Env
	if !slices.ContainsFunc(env, func(e struct {
		Name      string `json:"name"`
		ValueFrom struct {
			FieldRef struct {
				FieldPath string `json:"fieldPath"`
			} `json:"fieldRef"`
		} `json:"valueFrom"`
	}) bool {
		return e.Name == "JOB_COMPLETION_INDEX" &&
			e.ValueFrom.FieldRef.FieldPath == "metadata.annotations['batch.kubernetes.io/job-completion-index']"
	}) {
		t.Errorf("%s: no env JOB_COMPLETION_INDEX from the job-completion-index annotation", where)
	}
	shard := flagValue(args, "--shard")
	// Every index 0..n-1 must give a valid, distinct shard K/n.
	seen := map[int]bool{}
	for i := range n {
		sh, err := audit.ParseShard(strings.ReplaceAll(shard, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i)))
		if err != nil || sh.N != n || seen[sh.K] {
			t.Errorf("%s: --shard=%s at index %d gives %v, %v; want shard %d/%d", where, shard, i, sh, err, i+1, n)
		}
		seen[sh.K] = true
	}
	if db := flagValue(args, "--db"); !strings.Contains(db, "$(JOB_COMPLETION_INDEX)") {
		t.Errorf("%s: --db=%s: every index needs a file of its own", where, db)
	}
	return n, js.ActiveDeadlineSeconds
}

// checkMerge checks a merge Job against the shards' N and file names.
func checkMerge(t *testing.T, where string, js jobSpec, objs []object, uid int, image *string, n int, shardDB string) {
	t.Helper()
	args := checkPod(t, where, js.Template.Spec, objs, uid, image)
	if len(args) == 0 || args[0] != "merge" || flagValue(args, "--out") == "" {
		t.Fatalf("%s: args %v, want gkaudit merge --out=...", where, args)
	}
	var inputs []string
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "-") {
			inputs = append(inputs, a)
		}
	}
	var want []string
	for i := range n {
		want = append(want, strings.ReplaceAll(shardDB, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i)))
	}
	if !slices.Equal(inputs, want) {
		t.Errorf("%s: merges %v, want the %d shard files %v", where, inputs, n, want)
	}
}

// Ensure that the manifests parse and agree with each other, the Dockerfile
// and the CLI: the trap is a manifest edited in one place only (a fifth
// shard with four merge inputs, an image tag bumped in one Job, a config
// mounted where --config does not look, a root container).
func TestManifests_Consistent(t *testing.T) {
	objs := load(t)
	uid := dockerUser(t)
	var image string

	cm, ok := find(objs, "ConfigMap", "gkaudit-config")
	if !ok {
		t.Fatal("no ConfigMap gkaudit-config")
	}
	for name, text := range cm.Data {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := config.Load(p); err != nil {
			t.Errorf("ConfigMap %s: %v", name, err)
		}
	}

	sj, ok := find(objs, "Job", "gkaudit-shards")
	if !ok {
		t.Fatal("no Job gkaudit-shards")
	}
	var shards jobSpec
	as(t, sj, &shards)
	n, _ := checkShards(t, "Job gkaudit-shards", shards, objs, uid, &image)
	shardDB := flagValue(shards.Template.Spec.Containers[0].Args, "--db")

	mj, ok := find(objs, "Job", "gkaudit-merge")
	if !ok {
		t.Fatal("no Job gkaudit-merge")
	}
	var merge jobSpec
	as(t, mj, &merge)
	checkMerge(t, "Job gkaudit-merge", merge, objs, uid, &image, n, shardDB)

	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)
	var shardAt, mergeAt time.Time
	deadline := 0
	for _, o := range objs {
		if o.Kind != "CronJob" {
			continue
		}
		var cs cronSpec
		as(t, o, &cs)
		where := "CronJob " + o.Metadata.Name
		loc, err := time.LoadLocation(cs.TimeZone)
		if err != nil || cs.TimeZone != "Asia/Shanghai" {
			t.Errorf("%s: timeZone %q (%v), want Asia/Shanghai", where, cs.TimeZone, err)
			loc = time.UTC
		}
		sched, err := parser.Parse(cs.Schedule)
		if err != nil {
			t.Errorf("%s: schedule %q: %v", where, cs.Schedule, err)
			continue
		}
		if cs.ConcurrencyPolicy != "Forbid" {
			t.Errorf("%s: concurrencyPolicy %q, want Forbid (nights never overlap)", where, cs.ConcurrencyPolicy)
		}
		next := sched.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
		js := cs.JobTemplate.Spec
		if js.CompletionMode == "Indexed" {
			var cn int
			cn, deadline = checkShards(t, where, js, objs, uid, &image)
			if cn != n || flagValue(js.Template.Spec.Containers[0].Args, "--db") != shardDB {
				t.Errorf("%s: %d shards into %s, the Job has %d into %s", where, cn, flagValue(js.Template.Spec.Containers[0].Args, "--db"), n, shardDB)
			}
			shardAt = next
		} else {
			checkMerge(t, where, js, objs, uid, &image, n, shardDB)
			mergeAt = next
		}
	}
	if shardAt.IsZero() || mergeAt.IsZero() {
		t.Fatal("want a CronJob for the shards and one for the merge")
	}
	if gap := mergeAt.Sub(shardAt); gap < time.Duration(deadline)*time.Second {
		t.Errorf("merge starts %s after the shards, before their activeDeadlineSeconds (%ds): it would merge last night's runs", gap, deadline)
	}
}
