package playground_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// walkthroughHeader starts the line after which the guide is bash.
const walkthroughHeader = "walk-through (bash"

// stepComment is a step's comment, "# 3. what it shows → 200", as bash
// -v echoes it; the status is optional.
var stepComment = regexp.MustCompile(`(?m)^# (\d+)\. .*?(?:→ (\d{3}))?$`)

// TestGuideWalkthrough runs the walk-through the guide prints, the text
// as a user would paste it, with bash and curl in a scratch folder, and
// checks the final HTTP status of every step whose comment names one.
func TestGuideWalkthrough(t *testing.T) {
	bash := needTool(t, "bash")
	needTool(t, "curl")
	p := start(t)
	guide := p.Guide()
	script := walkthroughText(t, guide)
	if !strings.Contains(script, p.Origin()+"/") {
		t.Fatalf("walk-through does not use the origin %s:\n%s", p.Origin(), guide)
	}
	steps := stepComment.FindAllStringSubmatch(script, -1)
	if len(steps) < 5 {
		t.Fatalf("walk-through has %d steps, want at least 5:\n%s", len(steps), script)
	}

	// bash -v echoes each line as it reads it, comments included, into
	// the same pipe as curl's output, so the output reads step by step.
	dir := t.TempDir()
	file := filepath.Join(dir, "walkthrough.sh")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), bash, "-v", "-e", "-u", "-o", "pipefail", file)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walk-through failed: %v\n%s", err, out)
	}

	bounds := stepComment.FindAllStringSubmatchIndex(string(out), -1)
	if len(bounds) != len(steps) {
		t.Fatalf("walk-through ran %d of %d steps:\n%s", len(bounds), len(steps), out)
	}
	for i, b := range bounds {
		end := len(out)
		if i+1 < len(bounds) {
			end = bounds[i+1][0]
		}
		chunk := string(out[b[0]:end])
		if b[4] < 0 {
			continue // the step names no status
		}
		want, _ := strconv.Atoi(string(out[b[4]:b[5]]))
		if got := lastStatus(chunk); got != want {
			t.Errorf("step %d: status %d, want %d\n%s", i+1, got, want, chunk)
		}
	}
}

// walkthroughText returns what follows the walk-through's header line.
func walkthroughText(t *testing.T, guide string) string {
	t.Helper()
	i := strings.Index(guide, "\n"+walkthroughHeader)
	if i < 0 {
		t.Fatalf("guide has no %q line:\n%s", walkthroughHeader, guide)
	}
	_, script, _ := strings.Cut(guide[i+1:], "\n")
	return script
}

var statusLine = regexp.MustCompile(`(?m)^HTTP/[0-9.]+ (\d{3})`)

// lastStatus returns the status of the last response in curl's output.
func lastStatus(out string) int {
	m := statusLine.FindAllStringSubmatch(out, -1)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n
}
