// Package terraform_test checks the Terraform module by parsing its HCL:
// the provider cannot be downloaded in CI, so `terraform validate` never
// runs, and these tests stand in for it on the properties that matter.
package terraform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// module is one directory of parsed .tf files.
type module struct {
	dir    string
	blocks []*hclsyntax.Block
}

// loadModule parses every .tf file directly inside dir.
func loadModule(t *testing.T, dir string) *module {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("glob %s/*.tf: %v (%d files)", dir, err, len(paths))
	}
	p := hclparse.NewParser()
	m := &module{dir: dir}
	for _, path := range paths {
		f, diags := p.ParseHCLFile(path)
		if diags.HasErrors() {
			t.Fatalf("parse %s: %s", path, diags.Error())
		}
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			t.Fatalf("parse %s: body is %T, want *hclsyntax.Body", path, f.Body)
		}
		m.blocks = append(m.blocks, body.Blocks...)
	}
	return m
}

// all returns the top-level blocks of type typ whose labels start with
// labels.
func (m *module) all(typ string, labels ...string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range m.blocks {
		if b.Type == typ && hasPrefix(b.Labels, labels) {
			out = append(out, b)
		}
	}
	return out
}

// one returns the single top-level block of type typ with exactly labels.
func (m *module) one(t *testing.T, typ string, labels ...string) *hclsyntax.Block {
	t.Helper()
	found := m.all(typ, labels...)
	if len(found) != 1 {
		t.Fatalf("%s %q: found %d blocks, want 1", typ, labels, len(found))
	}
	return found[0]
}

func hasPrefix(labels, prefix []string) bool {
	if len(labels) < len(prefix) {
		return false
	}
	for i, l := range prefix {
		if labels[i] != l {
			return false
		}
	}
	return true
}

// children returns the nested blocks of b of type typ.
func children(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, c := range b.Body.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// child returns the single nested block of b of type typ.
func child(t *testing.T, b *hclsyntax.Block, typ string) *hclsyntax.Block {
	t.Helper()
	found := children(b, typ)
	if len(found) != 1 {
		t.Fatalf("%s %q: found %d %q blocks, want 1", b.Type, b.Labels, len(found), typ)
	}
	return found[0]
}

// dynamics returns the dynamic blocks of b that generate typ blocks.
func dynamics(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, c := range children(b, "dynamic") {
		if len(c.Labels) == 1 && c.Labels[0] == typ {
			out = append(out, c)
		}
	}
	return out
}

// expr returns the expression of attribute name in b.
func expr(t *testing.T, b *hclsyntax.Block, name string) hclsyntax.Expression {
	t.Helper()
	a, ok := b.Body.Attributes[name]
	if !ok {
		t.Fatalf("%s %q: no attribute %q", b.Type, b.Labels, name)
	}
	return a.Expr
}

// literal evaluates attribute name of b without any variables.
func literal(t *testing.T, b *hclsyntax.Block, name string) cty.Value {
	t.Helper()
	v, diags := expr(t, b, name).Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s %q: attribute %q is not a literal: %s", b.Type, b.Labels, name, diags.Error())
	}
	return v
}

// ref renders a reference expression such as aws_s3_bucket.this[0].arn;
// anything else renders as "".
func ref(e hclsyntax.Expression) string {
	st, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return ""
	}
	return traversalString(st.Traversal)
}

func traversalString(tr hcl.Traversal) string {
	var sb strings.Builder
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			sb.WriteString(s.Name)
		case hcl.TraverseAttr:
			sb.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String {
				fmt.Fprintf(&sb, "[%q]", s.Key.AsString())
			} else {
				fmt.Fprintf(&sb, "[%s]", s.Key.AsBigFloat().String())
			}
		}
	}
	return sb.String()
}

// refs renders each element of a tuple expression like [a.b, c.d] with ref.
func refs(e hclsyntax.Expression) []string {
	tuple, ok := e.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(tuple.Exprs))
	for _, item := range tuple.Exprs {
		out = append(out, ref(item))
	}
	return out
}

// strings returns a literal list of strings as a Go slice.
func stringList(t *testing.T, v cty.Value) []string {
	t.Helper()
	if v.IsNull() || !v.CanIterateElements() {
		t.Fatalf("value %#v is not a list", v)
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.Type() != cty.String {
			t.Fatalf("element %#v is not a string", e)
		}
		out = append(out, e.AsString())
	}
	return out
}

// hclValue parses src as an HCL expression and evaluates it without
// variables; test tables write values this way.
func hclValue(t *testing.T, src string) cty.Value {
	t.Helper()
	e, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %q: %s", src, diags.Error())
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("evaluate %q: %s", src, diags.Error())
	}
	return v
}

// variableType returns the declared type of a variable block, with its
// optional-attribute defaults.
func variableType(t *testing.T, b *hclsyntax.Block) (cty.Type, *typeexpr.Defaults) {
	t.Helper()
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(expr(t, b, "type"))
	if diags.HasErrors() {
		t.Fatalf("variable %q: type: %s", b.Labels[0], diags.Error())
	}
	return ty, defaults
}

// asVariable converts v to variable b's type the way Terraform does:
// optional attributes filled in, then converted.
func asVariable(t *testing.T, b *hclsyntax.Block, v cty.Value) cty.Value {
	t.Helper()
	ty, defaults := variableType(t, b)
	if v.IsNull() {
		return cty.NullVal(ty)
	}
	if defaults != nil {
		v = defaults.Apply(v)
	}
	out, err := convert.Convert(v, ty)
	if err != nil {
		t.Fatalf("variable %q: convert %#v: %v", b.Labels[0], v, err)
	}
	return out
}

// vars returns the module's `var` object: every variable at its default,
// except those in overrides (name => HCL expression source).
func (m *module) vars(t *testing.T, overrides map[string]string) cty.Value {
	t.Helper()
	out := map[string]cty.Value{}
	for _, b := range m.all("variable") {
		name := b.Labels[0]
		var v cty.Value
		switch src, ok := overrides[name]; {
		case ok:
			v = hclValue(t, src)
		case b.Body.Attributes["default"] != nil:
			v = literal(t, b, "default")
		default:
			t.Fatalf("variable %q has no default and no override", name)
		}
		out[name] = asVariable(t, b, v)
	}
	for name := range overrides {
		if _, ok := out[name]; !ok {
			t.Fatalf("override of undeclared variable %q", name)
		}
	}
	return cty.ObjectVal(out)
}

// evalContext holds the functions the module's expressions use, with the
// semantics Terraform gives them. file and fileset read relative to the
// test's working directory, which is the module directory.
func evalContext(vars map[string]cty.Value) *hcl.EvalContext {
	return &hcl.EvalContext{
		Variables: vars,
		Functions: map[string]function.Function{
			"alltrue":    allTrueFunc,
			"can":        tryfunc.CanFunc,
			"concat":     stdlib.ConcatFunc,
			"contains":   stdlib.ContainsFunc,
			"file":       fileFunc,
			"fileset":    filesetFunc,
			"floor":      stdlib.FloorFunc,
			"jsonencode": stdlib.JSONEncodeFunc,
			"keys":       stdlib.KeysFunc,
			"length":     lengthFunc,
			"regex":      stdlib.RegexFunc,
			"sort":       stdlib.SortFunc,
			"startswith": startsWithFunc,
			"trimsuffix": stdlib.TrimSuffixFunc,
			"try":        tryfunc.TryFunc,
			"values":     stdlib.ValuesFunc,
		},
	}
}

var startsWithFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "string", Type: cty.String}, {Name: "prefix", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(strings.HasPrefix(args[0].AsString(), args[1].AsString())), nil
	},
})

var allTrueFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			if v.IsNull() || v.False() {
				return cty.False, nil
			}
		}
		return cty.True, nil
	},
})

// lengthFunc counts like Terraform's length: characters of a string,
// attributes of an object, elements of anything else.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		switch {
		case v.Type() == cty.String:
			return stdlib.Strlen(v)
		case v.Type().IsObjectType():
			return cty.NumberIntVal(int64(len(v.Type().AttributeTypes()))), nil
		case v.CanIterateElements():
			return v.Length(), nil
		}
		return cty.NilVal, fmt.Errorf("length of %s", v.Type().FriendlyName())
	},
})

var fileFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "path", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		b, err := os.ReadFile(args[0].AsString())
		if err != nil {
			return cty.NilVal, fmt.Errorf("file: %w", err)
		}
		return cty.StringVal(string(b)), nil
	},
})

var filesetFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "path", Type: cty.String},
		{Name: "pattern", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.Set(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		dir := args[0].AsString()
		matches, err := filepath.Glob(filepath.Join(dir, args[1].AsString()))
		if err != nil {
			return cty.NilVal, fmt.Errorf("fileset: %w", err)
		}
		if len(matches) == 0 {
			return cty.SetValEmpty(cty.String), nil
		}
		sort.Strings(matches)
		vals := make([]cty.Value, 0, len(matches))
		for _, p := range matches {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return cty.NilVal, fmt.Errorf("fileset: %w", err)
			}
			vals = append(vals, cty.StringVal(rel))
		}
		return cty.SetVal(vals), nil
	},
})

// eval evaluates e with root variables built from the HCL object source
// world (resource mocks) plus var.
func eval(t *testing.T, e hcl.Expression, varObj cty.Value, world string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	roots := map[string]cty.Value{"var": varObj}
	if world != "" {
		for name, v := range hclValue(t, world).AsValueMap() {
			roots[name] = v
		}
	}
	return e.Value(evalContext(roots))
}

// locals evaluates the module's locals against var and the mocked world,
// repeating until no further local can be evaluated. It returns the
// values found and the last error of each local that could not be.
func (m *module) locals(t *testing.T, varObj cty.Value, world string) (map[string]cty.Value, map[string]string) {
	t.Helper()
	exprs := map[string]hcl.Expression{}
	for _, b := range m.all("locals") {
		for name, a := range b.Body.Attributes {
			exprs[name] = a.Expr
		}
	}
	got := map[string]cty.Value{}
	failed := map[string]string{}
	for progress := true; progress; {
		progress = false
		worldLocals := world
		for name, e := range exprs {
			if _, done := got[name]; done {
				continue
			}
			roots := map[string]cty.Value{"var": varObj, "local": cty.ObjectVal(got)}
			if worldLocals != "" {
				for root, v := range hclValue(t, worldLocals).AsValueMap() {
					roots[root] = v
				}
			}
			v, diags := e.Value(evalContext(roots))
			if diags.HasErrors() || !v.IsWhollyKnown() {
				failed[name] = diags.Error()
				continue
			}
			got[name] = v
			delete(failed, name)
			progress = true
		}
	}
	return got, failed
}
