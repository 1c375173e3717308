package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeBuild(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "ec3d93c0a1b2"},
		{Key: "vcs.time", Value: "2026-12-03T20:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	tests := []struct {
		name    string
		version string
		info    *debug.BuildInfo
		want    string
	}{
		{"no_info", "", nil, "edgepass (devel)\n"},
		{"ldflags_version_wins", "v1.2.3",
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.0.0"}},
			"edgepass v1.2.3\nbuilt with go1.26.8\n"},
		{"module_version", "",
			&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.0.0"}},
			"edgepass v1.0.0\nbuilt with go1.26.8\n"},
		{"vcs", "", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			"edgepass (devel)\nrevision ec3d93c0a1b2 (2026-12-03T20:00:00Z)" +
				" with local changes\nbuilt with go1.26.8\n"},
		{"vcs_clean_no_time", "", &debug.BuildInfo{Settings: vcs[1:2]},
			"edgepass (devel)\nrevision ec3d93c0a1b2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describeBuild(tt.version, tt.info); got != tt.want {
				t.Errorf("describeBuild(%q, %+v) = %q, want %q",
					tt.version, tt.info, got, tt.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	r := edgepass("version")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "edgepass ") ||
		!strings.Contains(r.stdout, "\nbuilt with go") || r.stderr != "" {
		t.Errorf("edgepass version: %v; want exit 0 and a version", r)
	}
}
