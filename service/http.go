package service

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gkaudit/store"
)

// noUI is what / answers when the binary has no reviewer UI built in.
const noUI = "本程序未内置审核界面，仅提供 /healthz 与 /metrics。\n"

// Handler serves /healthz and /metrics, and ui at / (the reviewer web UI).
// With a nil ui, / answers 404 with a one-line note.
func (s *Service) Handler(ui http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", promhttp.InstrumentMetricHandler(s.metrics.reg,
		promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{Registry: s.metrics.reg})))
	if ui == nil {
		ui = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(noUI))
		})
	}
	mux.Handle("/", ui)
	return mux
}

// Health is the body of /healthz: whether the database opens, then the
// service's Status.
type Health struct {
	Healthy bool   `json:"healthy"`
	DB      string `json:"db"` // "ok", or why the file cannot be opened
	Status
}

// Health checks that the database can be opened and read (the run in
// progress holds it open; else the handle opens it for a moment).
func (s *Service) Health() Health {
	h := Health{Healthy: true, DB: "ok"}
	err := s.store.Do(func(db *store.DB) error {
		_, err := db.ResolveRun("latest")
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		h.Healthy, h.DB = false, err.Error()
	}
	h.Status = s.Status()
	return h
}

// healthz answers 200 with Health when the database opens, 503 when not.
func (s *Service) healthz(w http.ResponseWriter, r *http.Request) {
	h := s.Health()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !h.Healthy {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(h)
}
