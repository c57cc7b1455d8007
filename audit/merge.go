package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"gkaudit/checks"
	"gkaudit/config"
	"gkaudit/store"
)

// MergeOptions configure a merge of shard runs into one run.
type MergeOptions struct {
	Config *config.Config // the config the shards were audited with
	Out    *store.DB      // where the merged run goes (new or existing file)
	Shards []*store.DB    // each shard's file; its newest complete run is taken
	Names  []string       // the shards' file names, for messages
	Note   string
}

// Merge combines the newest complete run of each shard into one new run in
// Out: every unit's snapshot (with its bodies), findings and counts, then the
// district-level checks (volume.low) judged over all the units' counts, as a
// single process would have judged them. The shards must have been audited
// with the same config (its SHA-256) at the same as-of date, and no unit may
// be in two of them.
func Merge(ctx context.Context, opt MergeOptions) (store.Run, error) {
	cfg := opt.Config
	cfgText, err := cfg.Marshal()
	if err != nil {
		return store.Run{}, fmt.Errorf("audit: config: %w", err)
	}
	sum := sha256.Sum256(cfgText)
	cfgSHA := hex.EncodeToString(sum[:])
	name := func(i int) string {
		if i < len(opt.Names) {
			return opt.Names[i]
		}
		return fmt.Sprintf("#%d", i+1)
	}
	runs := make([]store.Run, len(opt.Shards))
	owner := map[string]int{}
	for i, db := range opt.Shards {
		r, err := db.LatestComplete("")
		if errors.Is(err, store.ErrNotFound) {
			return store.Run{}, fmt.Errorf("%s 中没有完成的运行：请先运行 gkaudit audit --shard 完成该分片", name(i))
		}
		if err != nil {
			return store.Run{}, fmt.Errorf("audit: merge %s: %w", name(i), err)
		}
		if r.ConfigSHA256 != cfgSHA {
			return store.Run{}, fmt.Errorf("%s 的运行 %s 所用配置与 --config 不同（SHA-256 %.12s ≠ %.12s）：请用分片运行时的同一配置文件合并", name(i), r.ID, r.ConfigSHA256, cfgSHA)
		}
		if r.AsOf != runs[0].AsOf && i > 0 {
			return store.Run{}, fmt.Errorf("%s 的运行 %s 判定日期为 %s，%s 为 %s：各分片须以同一 --as-of 运行", name(i), r.ID, r.AsOf, name(0), runs[0].AsOf)
		}
		for _, u := range r.Units {
			if j, dup := owner[u]; dup {
				return store.Run{}, fmt.Errorf("单位 %s 同时在 %s 和 %s 中：各分片须用同一 N 的不同 K 运行", u, name(j), name(i))
			}
			owner[u] = i
		}
		runs[i] = r
	}
	if len(runs) == 0 {
		return store.Run{}, errors.New("没有要合并的分片数据库")
	}
	// The merged run lists its units in config order, as a single run does.
	var ids []string
	var units []config.Unit
	for _, u := range cfg.Units {
		if _, ok := owner[u.ID]; ok {
			ids = append(ids, u.ID)
			units = append(units, u)
		}
	}
	if len(ids) != len(owner) {
		for u := range owner {
			if !slices.Contains(ids, u) {
				return store.Run{}, fmt.Errorf("单位 %s 不在 --config 的单位列表中：请用分片运行时的同一配置文件合并", u)
			}
		}
	}
	run, err := opt.Out.BeginRun(store.Run{AsOf: runs[0].AsOf, ConfigSource: cfg.Source, Units: ids, Note: opt.Note, ConfigSHA256: cfgSHA})
	if err != nil {
		return store.Run{}, fmt.Errorf("audit: merge: %w", err)
	}
	counts := map[string]store.UnitCount{}
	for i, db := range opt.Shards {
		if err := copyRun(ctx, db, runs[i], opt.Out, run.ID); err != nil {
			return run, fmt.Errorf("audit: merge %s: %w", name(i), err)
		}
		cs, err := db.UnitCounts(runs[i].ID)
		if err != nil {
			return run, fmt.Errorf("audit: merge %s: %w", name(i), err)
		}
		for _, c := range cs {
			counts[c.Unit] = c
		}
		if err := opt.Out.SaveUnitCounts(run.ID, cs); err != nil {
			return run, fmt.Errorf("audit: merge: %w", err)
		}
	}
	vc := make([]checks.UnitCount, 0, len(units))
	for _, u := range units {
		c, ok := counts[u.ID]
		if !ok {
			return run, fmt.Errorf("单位 %s 的运行没有记录单位统计（由旧版本 gkaudit 运行？）：请用本版本重新运行该分片", u.ID)
		}
		vc = append(vc, checks.UnitCount{Unit: u, Items: c.Items, Reachable: c.Reachable, Unread: c.Unread})
	}
	if err := opt.Out.SaveFindings(run.ID, checks.RunDistrict(vc, checks.Env{Config: cfg})); err != nil {
		return run, fmt.Errorf("audit: merge: save %s findings: %w", checks.VolumeLowID, err)
	}
	if err := opt.Out.FinishRun(run.ID); err != nil {
		return run, fmt.Errorf("audit: merge: %w", err)
	}
	return opt.Out.Run(run.ID)
}

// copyRun copies each unit's snapshot, bodies included, and findings of run
// in src into the run dst of out. District-level findings are not copied:
// Merge judges them over every shard.
func copyRun(ctx context.Context, src *store.DB, run store.Run, out *store.DB, dst string) error {
	fs, err := src.Findings(run.ID)
	if err != nil {
		return err
	}
	for _, u := range run.Units {
		if err := ctx.Err(); err != nil {
			return err
		}
		snap, err := src.Snapshot(run.ID, u)
		if errors.Is(err, store.ErrNotFound) {
			continue // the shard saved nothing for it (its process was stopped mid-unit)
		}
		if err != nil {
			return err
		}
		for _, p := range snap.Pages {
			if p.SHA256 != "" {
				if p.Body, err = src.Body(p.SHA256); err != nil {
					return fmt.Errorf("page %s: %w", p.URL, err)
				}
			}
			if p.RawSHA256 != "" {
				if p.RawBody, err = src.Body(p.RawSHA256); err != nil {
					return fmt.Errorf("page %s (as served): %w", p.URL, err)
				}
			}
		}
		if err := out.SaveSnapshot(dst, snap); err != nil {
			return err
		}
		var mine []checks.Finding
		for _, f := range fs {
			if f.Unit == u && f.Check != checks.VolumeLowID {
				f.ID = ""
				// A shard's reuse names a run of the shard's file, which
				// the merged file does not have.
				f.Evidence.ReusedFrom = ""
				mine = append(mine, f)
			}
		}
		if err := out.SaveFindings(dst, mine); err != nil {
			return err
		}
	}
	return nil
}
