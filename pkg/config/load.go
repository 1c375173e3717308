package config

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/providers/rawbytes"
	"github.com/knadh/koanf/providers/structs"
	"github.com/knadh/koanf/v2"
)

// EnvPrefix starts the name of every environment variable config reads.
const EnvPrefix = "EDGEPASS_"

// ErrUnknownKey is wrapped by the error for a YAML key that names no
// setting, so that a typo never passes unnoticed, and by the warning for an
// EDGEPASS_ variable that names none (see [LoadWithWarnings]).
var ErrUnknownKey = errors.New("unknown key")

// KeyError is a problem with the value of one configuration key.
type KeyError struct {
	// Key is the key in YAML form ("urls.ttl", "grants[0].paths") or, for
	// a problem only the environment can have, the variable's name.
	Key string
	// Err says what is wrong.
	Err error
}

// Error returns the key, a colon and the problem: "urls.ttl: must be positive".
func (e *KeyError) Error() string { return e.Key + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *KeyError) Unwrap() error { return e.Err }

// Load reads the YAML file at path (none when path is ""), applies the
// EDGEPASS_ variables found in environ (usually [os.Environ]) over it, and
// validates the result. It ignores EDGEPASS_ variables that name no key;
// [LoadWithWarnings] also reports them. See [Parse].
func Load(path string, environ []string) (*Config, error) {
	c, _, err := LoadWithWarnings(path, environ)
	return c, err
}

// LoadWithWarnings is [Load], also returning one warning for each EDGEPASS_
// variable it ignored because the variable names no key. See
// [ParseWithWarnings].
func LoadWithWarnings(path string, environ []string) (*Config, []*KeyError, error) {
	var b []byte
	if path != "" {
		var err error
		if b, err = file.Provider(path).ReadBytes(); err != nil {
			return nil, nil, fmt.Errorf("read config: %w", err)
		}
	}
	return ParseWithWarnings(b, environ)
}

// Parse layers the defaults, the YAML document yamlBytes and the EDGEPASS_
// variables in environ, in that order, and validates the result. Unknown
// YAML keys, values of the wrong type and failed checks are all reported
// at once, joined, each as a [*KeyError]. A YAML null leaves the default in
// place. EDGEPASS_ variables that name no key are ignored;
// [ParseWithWarnings] also reports them.
func Parse(yamlBytes []byte, environ []string) (*Config, error) {
	c, _, err := ParseWithWarnings(yamlBytes, environ)
	return c, err
}

// ParseWithWarnings is [Parse], also returning one warning for each
// EDGEPASS_ variable it ignored because the variable names no key, such as
// EDGEPASS_SERVICE_HOST, which Kubernetes sets for a Service named
// edgepass. Each warning has the variable's name as its Key and wraps
// [ErrUnknownKey]; none holds the variable's value. They are sorted by
// name, and come back even with an error: a misspelled variable may be why
// a key is missing.
func ParseWithWarnings(yamlBytes []byte, environ []string) (*Config, []*KeyError, error) {
	k := koanf.New(".")
	if err := k.Load(structs.Provider(Default(), "koanf"), nil); err != nil {
		return nil, nil, fmt.Errorf("load defaults: %w", err)
	}
	if err := k.Load(rawbytes.Provider(yamlBytes), nullFreeYAML{}); err != nil {
		return nil, nil, fmt.Errorf("parse yaml: %w", err)
	}

	ignored, envErrs, err := loadEnv(k, environ)
	if err != nil {
		return nil, ignored, err
	}
	c, decodeErrs := decode(k)
	if err := errors.Join(append(envErrs, decodeErrs...)...); err != nil {
		return nil, ignored, err
	}

	c.CDN.URL = strings.TrimSuffix(c.CDN.URL, "/")
	if err := c.Validate(); err != nil {
		return nil, ignored, err
	}
	return c, ignored, nil
}

// nullFreeYAML parses YAML and drops null values, so that a key left empty
// ("urls:" followed by nothing) keeps its default instead of wiping it.
type nullFreeYAML struct{}

// Unmarshal parses b.
func (nullFreeYAML) Unmarshal(b []byte) (map[string]any, error) {
	m, err := yaml.Parser().Unmarshal(b)
	if err != nil {
		return nil, err
	}
	dropNulls(m)
	return m, nil
}

// Marshal renders m as YAML.
func (nullFreeYAML) Marshal(m map[string]any) ([]byte, error) {
	return yaml.Parser().Marshal(m)
}

func dropNulls(v any) {
	switch v := v.(type) {
	case map[string]any:
		for key, val := range v {
			if val == nil {
				delete(v, key)
				continue
			}
			dropNulls(val)
		}
	case []any:
		for _, val := range v {
			dropNulls(val)
		}
	}
}

// decode turns the layered map into a Config. It reports keys that name no
// field and values that do not fit their field, each under its key.
func decode(k *koanf.Koanf) (*Config, []error) {
	errs := unknownKeys(k.Raw(), reflect.TypeFor[Config](), "")

	var c Config
	err := k.UnmarshalWithConf("", &c, koanf.UnmarshalConf{
		Tag: "koanf",
		DecoderConfig: &mapstructure.DecoderConfig{
			// Keys match exactly; unknownKeys reports any other spelling.
			MatchName: func(key, field string) bool { return key == field },
			DecodeHook: mapstructure.ComposeDecodeHookFunc(
				durationHook,
				stringListHook,
				scalarHook,
			),
		},
	})
	return &c, append(errs, keyErrors(err)...)
}

// unknownKeys lists, sorted, the keys of raw that have no field in t.
func unknownKeys(raw any, t reflect.Type, prefix string) []error {
	var errs []error
	switch {
	case t.Kind() == reflect.Struct && t != durationType:
		m, ok := raw.(map[string]any)
		if !ok {
			return nil // a type error, reported by decode
		}
		keys := make([]string, 0, len(m))
		for key := range m {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			f, ok := fieldByTag(t, key)
			if !ok {
				errs = append(errs, &KeyError{Key: prefix + key, Err: ErrUnknownKey})
				continue
			}
			errs = append(errs, unknownKeys(m[key], f.Type, prefix+key+".")...)
		}
	case t.Kind() == reflect.Slice:
		list, _ := raw.([]any)
		for i, v := range list {
			p := strings.TrimSuffix(prefix, ".") + "[" + strconv.Itoa(i) + "]."
			errs = append(errs, unknownKeys(v, t.Elem(), p)...)
		}
	}
	return errs
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	for f := range t.Fields() {
		if f.Tag.Get("koanf") == tag {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// keyErrors turns the decoder's errors into one [*KeyError] per key. It
// walks the decoder's error tree a level at a time: errors.As would stop at
// the first of several joined errors.
//
//nolint:errorlint // see above
func keyErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, keyErrors(e)...)
		}
		return out
	}
	de, ok := err.(*mapstructure.DecodeError)
	if !ok {
		if inner := errors.Unwrap(err); inner != nil {
			return keyErrors(inner) // the decoder's "decoding failed" wrapper
		}
		return []error{err}
	}
	inner := de.Unwrap()
	if _, ok := inner.(*mapstructure.DecodeError); ok {
		return keyErrors(inner)
	}
	if _, ok := inner.(interface{ Unwrap() []error }); ok {
		return keyErrors(inner)
	}
	return []error{&KeyError{Key: de.Name(), Err: describe(de.Name(), inner)}}
}

// describe rewords a decoder error about key as what the value must be.
// The hooks' own errors already say so and pass through.
func describe(key string, err error) error {
	var he hookError
	if errors.As(err, &he) {
		return he
	}
	if t, ok := typeAt(reflect.TypeFor[Config](), key); ok {
		return errors.New("must be " + typeName(t))
	}
	return err
}

// typeAt finds the type of the value a decoder key such as
// "grants[0].claims[plan]" names, within t.
func typeAt(t reflect.Type, key string) (reflect.Type, bool) {
	for key != "" {
		switch key[0] {
		case '.':
			key = key[1:]
		case '[':
			end := strings.IndexByte(key, ']')
			if end < 0 || (t.Kind() != reflect.Slice && t.Kind() != reflect.Map) {
				return nil, false
			}
			t, key = t.Elem(), key[end+1:]
		default:
			end := strings.IndexAny(key, ".[")
			if end < 0 {
				end = len(key)
			}
			if t.Kind() != reflect.Struct {
				return nil, false
			}
			f, ok := fieldByTag(t, key[:end])
			if !ok {
				return nil, false
			}
			t, key = f.Type, key[end:]
		}
	}
	return t, true
}

func typeName(t reflect.Type) string {
	switch {
	case t == durationType:
		return "a duration such as 15m"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Int:
		return "an integer"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return "a list of strings"
	case t.Kind() == reflect.Slice:
		return "a list of mappings"
	default:
		return "a mapping"
	}
}
