package main

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// repoRoot is the build context of the Dockerfile, seen from this package.
const repoRoot = "../.."

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, COPY, ...
	args string
}

// stage is one FROM and the instructions under it.
type stage struct {
	image, name string
	steps       []instruction
}

// parseDockerfile splits a Dockerfile into stages. It reads the subset of
// the format a plain build needs: comments, line continuations and
// instructions; parser directives and heredocs are refused.
func parseDockerfile(text string) ([]stage, error) {
	var stages []stage
	var line strings.Builder
	for _, raw := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue // Docker drops these inside continuations too
		}
		if rest, ok := strings.CutSuffix(raw, `\`); ok {
			line.WriteString(rest)
			continue
		}
		line.WriteString(raw)
		in, err := parseInstruction(line.String())
		line.Reset()
		if err != nil {
			return nil, err
		}
		if in.cmd == "FROM" {
			stages = append(stages, newStage(in.args))
			continue
		}
		if len(stages) == 0 {
			return nil, fmt.Errorf("%s before FROM", in.cmd)
		}
		last := &stages[len(stages)-1]
		last.steps = append(last.steps, in)
	}
	if line.Len() > 0 {
		return nil, fmt.Errorf("continuation at end of file: %q", line.String())
	}
	return stages, nil
}

func parseInstruction(line string) (instruction, error) {
	cmd, args, _ := strings.Cut(strings.TrimSpace(line), " ")
	in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
	if strings.Contains(in.args, "<<") {
		return in, fmt.Errorf("%s: heredocs are not supported", in.cmd)
	}
	return in, nil
}

func newStage(args string) stage {
	f := strings.Fields(args)
	s := stage{image: f[0]}
	if len(f) == 3 && strings.EqualFold(f[1], "AS") {
		s.name = f[2]
	}
	return s
}

// all returns the arguments of every instruction cmd in s, in order.
func (s stage) all(cmd string) []string {
	var out []string
	for _, in := range s.steps {
		if in.cmd == cmd {
			out = append(out, in.args)
		}
	}
	return out
}

// last returns the arguments of the stage's last cmd instruction, the
// one in effect.
func (s stage) last(cmd string) string {
	all := s.all(cmd)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

func readDockerfile(t *testing.T) []stage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	stages, err := parseDockerfile(string(data))
	if err != nil {
		t.Fatalf("parse Dockerfile: %v", err)
	}
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a build stage and a runtime stage",
			len(stages))
	}
	return stages
}

// TestDockerfileRuntimeStage checks the image that ships: an empty or
// distroless static base, a numeric non-root user, "edgepass serve" as the
// entry point, and a binary copied from the build stage.
func TestDockerfileRuntimeStage(t *testing.T) {
	stages := readDockerfile(t)
	final := stages[len(stages)-1]
	if final.image != "scratch" && !strings.Contains(final.image, "distroless/static") {
		t.Errorf("runtime base = %q, want scratch or distroless static", final.image)
	}
	if len(final.all("RUN")) > 0 {
		t.Errorf("runtime stage runs %q; an empty base has no shell", final.all("RUN"))
	}

	user := final.last("USER")
	uid, gid, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("USER = %q, want a numeric non-root uid (no /etc/passwd in the image)", user)
	}
	if n, err := strconv.Atoi(gid); gid != "" && (err != nil || n == 0) {
		t.Errorf("USER = %q, want a numeric non-root gid", user)
	}

	entryBinary(t, stages)
}

// entryBinary follows the entry point back to the build stage and returns
// where the build stage's go build writes it, relative to the context.
func entryBinary(t *testing.T, stages []stage) string {
	t.Helper()
	build, final := stages[0], stages[len(stages)-1]
	var entry []string
	if err := json.Unmarshal([]byte(final.last("ENTRYPOINT")), &entry); err != nil ||
		len(entry) != 2 || entry[1] != "serve" {
		t.Fatalf("ENTRYPOINT = %q, want the exec form [binary, \"serve\"]",
			final.last("ENTRYPOINT"))
	}
	src, ok := copiedFrom(final, build.name, entry[0])
	if !ok {
		t.Fatalf("no COPY --from=%s puts the entry point %s in the image",
			build.name, entry[0])
	}
	rel, err := builtBinary(build, src)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// copiedFrom returns the source path of the COPY that puts dst into the
// stage from stage from.
func copiedFrom(s stage, from, dst string) (string, bool) {
	for _, args := range s.all("COPY") {
		f := strings.Fields(args)
		if len(f) == 3 && f[0] == "--from="+from && f[2] == dst {
			return f[1], true
		}
	}
	return "", false
}

// builtBinary maps the build stage's path src to a path relative to the
// build context, checking that a go build writes it.
func builtBinary(build stage, src string) (string, error) {
	rel, ok := strings.CutPrefix(src, build.last("WORKDIR")+"/")
	if !ok {
		return "", fmt.Errorf("binary %s is outside WORKDIR %s", src, build.last("WORKDIR"))
	}
	run := goBuildLine(build)
	if !strings.Contains(run, " -o "+rel+" ") {
		return "", fmt.Errorf("go build line %q does not write %s", run, rel)
	}
	return filepath.FromSlash(rel), nil
}

// goBuildLine returns the build stage's RUN line that runs go build.
func goBuildLine(build stage) string {
	for _, run := range build.all("RUN") {
		if strings.Contains(run, "go build ") {
			return run
		}
	}
	return ""
}

// TestDockerfileBuildStage checks the build stage: a Go image at least as
// new as go.mod asks for, and a static go build.
func TestDockerfileBuildStage(t *testing.T) {
	build := readDockerfile(t)[0]
	if build.name == "" {
		t.Errorf("first stage %q has no name for COPY --from", build.image)
	}
	goMod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(goMod)
	if want == nil {
		t.Fatal("go.mod has no go line")
	}
	if image := build.image; !strings.HasPrefix(image, "golang:"+string(want[1])) {
		t.Errorf("build image = %q, want golang:%s (go.mod's go line)", image, want[1])
	}
	run := goBuildLine(build)
	if !strings.HasPrefix(run, "CGO_ENABLED=0 go build ") {
		t.Errorf("go build line = %q, want it to start CGO_ENABLED=0 go build", run)
	}
}

// TestDockerfileBuild runs the build stage's RUN lines, as the image build
// would, in a copy of the build context that .dockerignore selects, then
// checks that the result is a static binary that runs.
func TestDockerfileBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the image is linux; the binary is checked as ELF")
	}
	stages := readDockerfile(t)
	build := stages[0]
	rel := entryBinary(t, stages)
	ctxDir := copyBuildContext(t)

	// RUN sees build arguments as variables, set to their defaults.
	env := withoutEdgepassEnv(os.Environ())
	args := map[string]string{}
	for _, arg := range build.all("ARG") {
		name, value, _ := strings.Cut(arg, "=")
		args[name] = value
		env = append(env, name+"="+value)
	}
	for _, run := range build.all("RUN") {
		cmd := exec.CommandContext(t.Context(), "/bin/sh", "-c", run)
		cmd.Dir, cmd.Env = ctxDir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("RUN %s: %v\n%s", run, err, out)
		}
	}

	bin := filepath.Join(ctxDir, rel)
	checkStatic(t, bin)

	// The version comes from the VERSION build argument.
	want := "edgepass " + args["VERSION"] + "\n"
	out, err := exec.CommandContext(t.Context(), bin, "version").Output()
	if err != nil || args["VERSION"] == "" || !strings.HasPrefix(string(out), want) {
		t.Errorf("%s version = %q, %v; want %q first (ARG VERSION)", rel, out, err, want)
	}
}

// checkStatic fails unless bin is an ELF executable that needs no dynamic
// loader and no shared library, as an empty base image requires.
func checkStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s has a %v program header, want a static binary", bin, p.Type)
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil || len(libs) > 0 {
		t.Errorf("%s needs libraries %q (%v), want none", bin, libs, err)
	}
}

// copyBuildContext copies the files of the repository that .dockerignore
// lets into the build context to a new directory, and returns it.
func copyBuildContext(t *testing.T) string {
	t.Helper()
	ignore, err := readDockerignore(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	err = filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == repoRoot {
			return err
		}
		rel, err := filepath.Rel(repoRoot, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir() && ignore.excludes(rel) && !ignore.mayInclude(rel):
			return filepath.SkipDir
		case d.IsDir() || ignore.excludes(rel):
			return nil
		}
		return copyFile(filepath.Join(dst, filepath.FromSlash(rel)), p)
	})
	if err != nil {
		t.Fatalf("copy build context: %v", err)
	}
	return dst
}

func copyFile(dst, src string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ignoreRule is one .dockerignore line.
type ignoreRule struct {
	pattern string // cleaned, slash-separated, no leading "/" or "!"
	re      *regexp.Regexp
	include bool // the line started with "!"
}

// dockerignore holds .dockerignore rules, matched as Docker matches them:
// a path is excluded when the last rule matching it or one of its parent
// directories is not an exception.
type dockerignore []ignoreRule

func readDockerignore(name string) (dockerignore, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rules dockerignore
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rules = append(rules, newIgnoreRule(line))
	}
	return rules, sc.Err()
}

func newIgnoreRule(line string) ignoreRule {
	r := ignoreRule{}
	line, r.include = strings.CutPrefix(line, "!")
	r.pattern = strings.TrimPrefix(path.Clean(strings.TrimSpace(line)), "/")
	r.re = regexp.MustCompile("^" + globRegexp(r.pattern) + "$")
	return r
}

// globRegexp translates a pattern: "**" matches any number of
// directories, "*" any run within one name, "?" one character of a name.
func globRegexp(pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case strings.HasPrefix(pattern[i:], "**/"):
			b.WriteString("(.*/)?")
			i += 2
		case strings.HasPrefix(pattern[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// excludes reports whether the slash-separated path rel stays out of the
// build context.
func (d dockerignore) excludes(rel string) bool {
	excluded := false
	for _, r := range d {
		if r.matches(rel) {
			excluded = !r.include
		}
	}
	return excluded
}

// matches reports whether rel or one of its parent directories matches.
func (r ignoreRule) matches(rel string) bool {
	for p := rel; p != "."; p = path.Dir(p) {
		if r.re.MatchString(p) {
			return true
		}
	}
	return false
}

// mayInclude reports whether an exception could bring back a path below
// the directory dir, so that a walk must enter it.
func (d dockerignore) mayInclude(dir string) bool {
	for _, r := range d {
		if r.include && (strings.Contains(r.pattern, "**") ||
			strings.HasPrefix(r.pattern, dir+"/")) {
			return true
		}
	}
	return false
}

func TestDockerignoreRules(t *testing.T) {
	rules := dockerignore{
		newIgnoreRule("*"), newIgnoreRule("!src/"), newIgnoreRule("**/*.pem"),
		newIgnoreRule("!src/keep.pem"), newIgnoreRule("/src/gen?"),
	}
	tests := []struct {
		path string
		want bool
	}{
		{"README.md", true},
		{"keys/a.pem", true},
		{"src", false},
		{"src/a/b.go", false},
		{"src/a/b.pem", true},
		{"src/keep.pem", false},
		{"src/gen1/x.go", true},
		{"src/gen12/x.go", false},
	}
	for _, tt := range tests {
		if got := rules.excludes(tt.path); got != tt.want {
			t.Errorf("excludes(%q) = %t, want %t", tt.path, got, tt.want)
		}
	}
}

// TestDockerignore checks that the real .dockerignore keeps private keys,
// the repository history and everything but the Go sources out of images.
func TestDockerignore(t *testing.T) {
	ignore, err := readDockerignore(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want bool
	}{
		{"keys/edgepass-2026-12.pem", true},
		{"keys/edgepass-2026-12.pub.pem", true},
		{"pkg/cfsign/testdata/p256.test.pem", true},
		{"pkg/cfsign/sign_test.go", true},
		{".git/config", true},
		{"terraform/main.tf", true},
		{"bin/edgepass", true},
		{"edgepass.yaml", true},
		{"go.mod", false},
		{"go.sum", false},
		{"cmd/edgepass/main.go", false},
		{"pkg/config/example.yaml", false},
	}
	for _, tt := range tests {
		if got := ignore.excludes(tt.path); got != tt.want {
			t.Errorf("excludes(%q) = %t, want %t", tt.path, got, tt.want)
		}
	}
}
