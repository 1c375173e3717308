package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// version is the release version, set at build time with
// -ldflags "-X main.version=v1.2.3". When empty, the module version
// recorded in the binary is used.
var version string

var versionHelp = help{
	name:    "version",
	summary: "print the version, the source revision and the Go version",
	usage:   "",
	example: "edgepass version",
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	c := newCommand(versionHelp, stdout, stderr)
	if code, ok := c.parseFlags(args); !ok {
		return code
	}
	info, _ := debug.ReadBuildInfo()
	return c.emit(describeBuild(version, info))
}

// describeBuild returns the version lines for a build: the version, then
// the VCS revision and time when recorded, then the Go version.
func describeBuild(v string, info *debug.BuildInfo) string {
	if info == nil {
		info = &debug.BuildInfo{}
	}
	if v == "" {
		v = info.Main.Version
	}
	if v == "" {
		v = "(devel)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "edgepass %s\n", v)

	vcs := map[string]string{}
	for _, s := range info.Settings {
		vcs[s.Key] = s.Value
	}
	if rev := vcs["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, "revision %s", rev)
		if t := vcs["vcs.time"]; t != "" {
			fmt.Fprintf(&b, " (%s)", t)
		}
		if vcs["vcs.modified"] == "true" {
			b.WriteString(" with local changes")
		}
		b.WriteByte('\n')
	}
	if info.GoVersion != "" {
		fmt.Fprintf(&b, "built with %s\n", info.GoVersion)
	}
	return b.String()
}
