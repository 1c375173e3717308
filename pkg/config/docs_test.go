package config_test

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/edgepass/edgepass/pkg/config"
)

// leaf is one documented key: its name, and its value in Default() when it
// has one (entries of lists have none).
type leaf struct {
	key   string
	value reflect.Value
}

// leaves lists every key of v's type by its koanf tags: fields of sections
// as "section.key", fields of list entries as "list[].key".
func leaves(v reflect.Value, prefix string) []leaf {
	var out []leaf
	for i := range v.NumField() {
		f := v.Type().Field(i)
		key := prefix + f.Tag.Get("koanf")
		fv := v.Field(i)
		switch {
		case f.Type.Kind() == reflect.Struct:
			out = append(out, leaves(fv, key+".")...)
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			out = append(out, leaf{key, fv})
			out = append(out, leaves(reflect.New(f.Type.Elem()).Elem(), key+"[].")...)
		default:
			out = append(out, leaf{key, fv})
		}
	}
	return out
}

// TestDocsListEveryKey keeps the key tables of docs/configuration.md and
// README.md in step with Config: every key has a row with its variable and its default, and
// every row names a key.
func TestDocsListEveryKey(t *testing.T) {
	for _, doc := range []string{"docs/configuration.md", "README.md"} {
		t.Run(strings.ReplaceAll(doc, "/", "_"), func(t *testing.T) {
			checkKeyTable(t, doc)
		})
	}
}

// checkKeyTable checks the configuration table of one Markdown file.
func checkKeyTable(t *testing.T, doc string) {
	t.Helper()
	rows := docRows(t, "../../"+doc)
	for _, l := range leaves(reflect.ValueOf(config.Default()), "") {
		row, ok := rows[l.key]
		if !ok {
			t.Errorf("%s has no row for %s", doc, l.key)
			continue
		}
		delete(rows, l.key)
		wantEnv, wantDefault := "—", "—"
		if !strings.Contains(l.key, "[]") {
			wantEnv = "`" + config.EnvPrefix +
				strings.ToUpper(strings.ReplaceAll(l.key, ".", "_")) + "`"
			wantDefault = "`" + docValue(l.value) + "`"
		}
		if row[1] != wantEnv {
			t.Errorf("docs row %s: env var %s, want %s", l.key, row[1], wantEnv)
		}
		if row[2] != wantDefault {
			t.Errorf("docs row %s: default %s, want %s", l.key, row[2], wantDefault)
		}
		if strings.TrimSpace(row[3]) == "" {
			t.Errorf("docs row %s: no meaning", l.key)
		}
	}
	for key := range rows {
		t.Errorf("%s documents %s, which Config lacks", doc, key)
	}
}

// docRows reads the key table: rows starting with a `key` cell, by key.
func docRows(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows := make(map[string][]string)
	for line := range strings.SplitSeq(string(b), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 4 {
			continue // another table
		}
		rows[strings.Trim(cells[0], "`")] = cells
	}
	return rows
}

// docValue writes a default the way the table does.
func docValue(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case time.Duration:
		s := x.String() // 1h0m0s, 15m0s, 30s
		if strings.HasSuffix(s, "m0s") {
			s = strings.TrimSuffix(s, "0s")
		}
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
		return s
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	}
	if v.Kind() == reflect.Slice {
		return "[]"
	}
	return fmt.Sprint(v.Interface())
}

func TestDocsListSigningKeyShortcut(t *testing.T) {
	b, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"EDGEPASS_SIGNING_KEY_ID",
		"EDGEPASS_SIGNING_PRIVATE_KEY_FILE", "EDGEPASS_SIGNING_PRIVATE_KEY"} {
		if !strings.Contains(string(b), "| `"+name+"` |") {
			t.Errorf("docs/configuration.md does not describe %s", name)
		}
	}
}
