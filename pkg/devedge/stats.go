package devedge

import (
	"encoding/json"
	"maps"
	"net/http"
)

// The edge's own endpoints. Nothing under "/_edge/" is ever an object.
const (
	adminPrefix = "/_edge/"

	// StatsPath answers GET and HEAD with the request counters as JSON,
	// {"requests": {"/private/a.jpg": 2, ...}}, uncached.
	StatsPath = adminPrefix + "stats"
	// StatsResetPath answers POST by setting every counter back to zero,
	// with 204 No Content.
	StatsResetPath = adminPrefix + "stats/reset"
)

// Requests returns how many requests for the object path p (decoded, as
// in "/private/users/alice/cat.jpg"; "/" for the root object) reached the
// edge: every method and outcome counts, 304 and 403 included, and only
// requests for invalid paths do not.
func (e *Edge) Requests(p string) int64 {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	return e.requests[p]
}

// Stats returns a copy of every request counter, by object path.
func (e *Edge) Stats() map[string]int64 {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	return maps.Clone(e.requests)
}

// ResetStats sets every request counter back to zero.
func (e *Edge) ResetStats() {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	clear(e.requests)
}

func (e *Edge) count(p string) {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	e.requests[p]++
}

// statsBody is the JSON document at StatsPath.
type statsBody struct {
	Requests map[string]int64 `json:"requests"`
}

func (e *Edge) serveAdmin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case r.URL.Path == StatsPath && isRead(r.Method):
		w.Header().Set("Content-Type", "application/json")
		// Encoding a map of strings to integers cannot fail.
		_ = json.NewEncoder(w).Encode(statsBody{Requests: e.Stats()})
	case r.URL.Path == StatsResetPath && r.Method == http.MethodPost:
		e.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == StatsPath:
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
	case r.URL.Path == StatsResetPath:
		w.Header().Set("Allow", "POST")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
	default:
		http.NotFound(w, r)
	}
}

func isRead(method string) bool {
	return method == http.MethodGet || method == http.MethodHead
}
