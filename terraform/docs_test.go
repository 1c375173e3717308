package terraform_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// source returns the text of an expression as written, whitespace
// collapsed to single spaces and lines joined by commas, as the README
// tables show it.
func source(t *testing.T, m *module, e hclsyntax.Expression) string {
	t.Helper()
	r := e.Range()
	src, err := os.ReadFile(filepath.Join(m.dir, filepath.Base(r.Filename)))
	if err != nil {
		t.Fatalf("read %s: %v", r.Filename, err)
	}
	var sb strings.Builder
	for _, line := range strings.Split(string(src[r.Start.Byte:r.End.Byte]), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		prev := sb.String()
		switch {
		case prev == "":
		case strings.HasSuffix(prev, "{") || strings.HasSuffix(prev, "(") ||
			strings.HasPrefix(line, "}") || strings.HasPrefix(line, ")"):
			sb.WriteString(" ")
		default:
			sb.WriteString(", ")
		}
		sb.WriteString(line)
	}
	return sb.String()
}

// inputRows renders the README inputs table the variables call for.
func inputRows(t *testing.T, m *module) []string {
	t.Helper()
	var rows []string
	for _, b := range m.all("variable") {
		def := "required"
		if a, ok := b.Body.Attributes["default"]; ok {
			def = "`" + source(t, m, a.Expr) + "`"
		}
		rows = append(rows, "| `"+b.Labels[0]+"` | "+literal(t, b, "description").AsString()+
			" | `"+source(t, m, expr(t, b, "type"))+"` | "+def+" |")
	}
	slices.Sort(rows)
	return rows
}

// outputRows renders the README outputs table the outputs call for.
func outputRows(t *testing.T, m *module) []string {
	t.Helper()
	var rows []string
	for _, b := range m.all("output") {
		rows = append(rows, "| `"+b.Labels[0]+"` | "+literal(t, b, "description").AsString()+" |")
	}
	slices.Sort(rows)
	return rows
}

// tableRows returns the body rows of the first table under heading.
func tableRows(t *testing.T, readme, heading string) []string {
	t.Helper()
	_, after, ok := strings.Cut(readme, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q section", heading)
	}
	var rows []string
	inTable := false
	for _, line := range strings.Split(after, "\n") {
		switch {
		case strings.HasPrefix(line, "|"):
			inTable = true
			rows = append(rows, line)
		case inTable:
			if len(rows) < 2 {
				t.Fatalf("%s: table has no header and separator", heading)
			}
			return rows[2:]
		case strings.HasPrefix(line, "#"):
			t.Fatalf("%s: no table before the next heading", heading)
		}
	}
	if len(rows) < 2 {
		t.Fatalf("%s: no table", heading)
	}
	return rows[2:]
}

func TestREADMETablesMatchModule(t *testing.T) {
	m := loadModule(t, ".")
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	readme := string(b)
	tables := []struct {
		heading string
		want    []string
	}{
		{"## Inputs", inputRows(t, m)},
		{"## Outputs", outputRows(t, m)},
	}
	for _, tt := range tables {
		if diff := cmp.Diff(tt.want, tableRows(t, readme, tt.heading)); diff != "" {
			t.Errorf("README %s table is out of date (-want +got):\n%s\nwant rows:\n%s",
				tt.heading, diff, strings.Join(tt.want, "\n"))
		}
	}
}

// moduleMeta are module block arguments that are not module inputs.
var moduleMeta = []string{"source", "version", "providers", "count", "for_each", "depends_on"}

func TestExamplesUseDeclaredInputsAndOutputs(t *testing.T) {
	root := loadModule(t, ".")
	inputs := map[string]bool{}
	for _, b := range root.all("variable") {
		_, hasDefault := b.Body.Attributes["default"]
		inputs[b.Labels[0]] = !hasDefault
	}
	outputs := map[string]bool{}
	for _, b := range root.all("output") {
		outputs[b.Labels[0]] = true
	}

	for _, dir := range []string{"examples/minimal", "examples/complete"} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ex := loadModule(t, dir)
			calls := ex.all("module")
			if len(calls) != 1 {
				t.Fatalf("found %d module blocks, want 1", len(calls))
			}
			call := calls[0]
			src := literal(t, call, "source").AsString()
			if !strings.HasPrefix(src, "../") || filepath.Clean(filepath.Join(dir, src)) != "." {
				t.Errorf("module source = %q, want a relative path to the module", src)
			}
			for name := range call.Body.Attributes {
				if _, ok := inputs[name]; !ok && !slices.Contains(moduleMeta, name) {
					t.Errorf("module argument %q is not a declared input", name)
				}
			}
			for name, required := range inputs {
				if _, set := call.Body.Attributes[name]; required && !set {
					t.Errorf("required input %q is not set", name)
				}
			}
			for _, ref := range moduleRefs(ex, call.Labels[0]) {
				if !outputs[ref] {
					t.Errorf("module.%s.%s is not a declared output", call.Labels[0], ref)
				}
			}
			readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
			if err != nil {
				t.Fatalf("read README: %v", err)
			}
			if !regexp.MustCompile("edgepass serve").Match(readme) {
				t.Errorf("README does not say how the outputs feed edgepass serve")
			}
		})
	}
}

// moduleRefs lists the output names read as module.<name>.<output>
// anywhere in m.
func moduleRefs(m *module, name string) []string {
	var out []string
	var walk func(body *hclsyntax.Body)
	walk = func(body *hclsyntax.Body) {
		for _, a := range body.Attributes {
			for _, tr := range a.Expr.Variables() {
				if tr.RootName() != "module" || len(tr) < 3 {
					continue
				}
				mod, ok1 := tr[1].(hcl.TraverseAttr)
				out2, ok2 := tr[2].(hcl.TraverseAttr)
				if ok1 && ok2 && mod.Name == name {
					out = append(out, out2.Name)
				}
			}
		}
		for _, b := range body.Blocks {
			walk(b.Body)
		}
	}
	for _, b := range m.blocks {
		walk(b.Body)
	}
	return out
}

// keygenFlags returns the flags `edgepass keygen` defines, read from its
// source so that the READMEs cannot drift from the CLI.
func keygenFlags(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "cmd", "edgepass", "keygen.go"))
	if err != nil {
		t.Fatalf("read keygen source: %v", err)
	}
	var flags []string
	define := regexp.MustCompile(`c\.flags\.\w+Var\(&[^,]+, "([a-z-]+)"`)
	for _, m := range define.FindAllSubmatch(src, -1) {
		flags = append(flags, "--"+string(m[1]))
	}
	if len(flags) == 0 {
		t.Fatalf("found no flags in keygen.go")
	}
	return flags
}

// TestREADMEsShowKeygen requires the module's and each example's README to
// show the keygen step, with only flags the CLI has and --name, and to name
// the keys/NAME.pub.pem file the module uploads.
func TestREADMEsShowKeygen(t *testing.T) {
	flags := keygenFlags(t)
	// A command, then flags each with an optional value; \x60 is a backquote.
	command := regexp.MustCompile(
		`(?:go run \./cmd/edgepass|edgepass) keygen((?: +--?[a-z-]+(?:[ =][^\s\x60-][^\s\x60]*)?)*)`)
	readmes := []string{"README.md", "examples/minimal/README.md", "examples/complete/README.md"}
	for _, path := range readmes {
		t.Run(filepath.Dir(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read %s: %v", path, err)
			}
			found := command.FindAllStringSubmatch(string(b), -1)
			if len(found) == 0 {
				t.Fatalf("%s shows no edgepass keygen command", path)
			}
			for _, m := range found {
				used := regexp.MustCompile(`--?[a-z-]+`).FindAllString(m[1], -1)
				if !slices.Contains(used, "--name") {
					t.Errorf("%s: %q has no --name", path, m[0])
				}
				for _, f := range used {
					if !slices.Contains(flags, f) {
						t.Errorf("%s: %q uses %s; keygen has %q", path, m[0], f, flags)
					}
				}
			}
			if !regexp.MustCompile(`keys/[A-Za-z0-9._<>-]+\.pub\.pem`).Match(b) {
				t.Errorf("%s does not name the keys/NAME.pub.pem file the module uploads", path)
			}
		})
	}
}

// TestREADMEExplainsPreflight requires the note that a CORS preflight
// carries no cookies, so cookie-signed private paths refuse it.
func TestREADMEExplainsPreflight(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	for _, want := range []string{"preflight", "`OPTIONS`", "simple"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("README does not mention %q (CORS preflight to private paths)", want)
		}
	}
}
