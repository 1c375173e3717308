package playground_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/devedge"
	"github.com/edgepass/edgepass/pkg/playground"
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
	reasons := 0
	for i, b := range bounds {
		end := len(out)
		if i+1 < len(bounds) {
			end = bounds[i+1][0]
		}
		chunk := string(out[b[0]:end])
		if comment := string(out[b[0]:b[1]]); strings.Contains(comment, devedge.DeniedHeader) {
			reasons++
			checkDeniedReason(t, i+1, chunk)
		}
		if b[4] < 0 {
			continue // the step names no status
		}
		want, _ := strconv.Atoi(string(out[b[4]:b[5]]))
		if got := lastStatus(chunk); got != want {
			t.Errorf("step %d: status %d, want %d\n%s", i+1, got, want, chunk)
		}
	}
	if reasons == 0 && strings.Contains(script, devedge.DeniedHeader) {
		t.Errorf("walk-through names %s, but in no step's comment:\n%s",
			devedge.DeniedHeader, script)
	}
}

// deniedLine is the header curl -D prints for a refusal's reason.
var deniedLine = regexp.MustCompile(`(?mi)^` + devedge.DeniedHeader + `: *(.*?)\r?$`)

// checkDeniedReason checks that the output of a step whose comment says
// the edge's refusal header tells why shows that header with a reason.
func checkDeniedReason(t *testing.T, step int, chunk string) {
	t.Helper()
	m := deniedLine.FindAllStringSubmatch(chunk, -1)
	if m == nil {
		t.Errorf("step %d: no %s header, though its comment names it\n%s",
			step, devedge.DeniedHeader, chunk)
		return
	}
	if reason := m[len(m)-1][1]; !knownReason.MatchString(reason) {
		t.Errorf("step %d: %s: %q, want a reason such as not_signed\n%s",
			step, devedge.DeniedHeader, reason, chunk)
	}
}

// knownReason matches the words of [devedge.Reason].
var knownReason = regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)

// TestGuideCommand checks the token command the guide prints starts with
// the words Options.Command gives, quoted for bash.
func TestGuideCommand(t *testing.T) {
	tests := []struct {
		name    string
		command []string
		want    string
	}{
		{"default", nil, "edgepass token "},
		{"go_run", []string{"go", "run", "./cmd/edgepass"}, "go run ./cmd/edgepass token "},
		{"path", []string{"./bin/edgepass"}, "./bin/edgepass token "},
		{"path_with_space", []string{"/home/ann/my tools/edgepass"},
			"'/home/ann/my tools/edgepass' token "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startWith(t, playground.Options{Command: tt.command})
			_, line, ok := strings.Cut(p.Guide(), "dev token    ")
			line, _, _ = strings.Cut(line, "\n")
			if !ok || !strings.HasPrefix(line, tt.want+"--sub alice --claim plan=premium") {
				t.Errorf("Options.Command %q: dev token line %q, want it to start with %q",
					tt.command, line, tt.want)
			}
		})
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
