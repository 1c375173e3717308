package config

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/v2"
	yamlv3 "go.yaml.in/yaml/v3"
)

// The variables that give one signing key without YAML, for containers.
const (
	envSigningKeyID   = EnvPrefix + "SIGNING_KEY_ID"
	envSigningKeyFile = EnvPrefix + "SIGNING_PRIVATE_KEY_FILE"
	envSigningKeyPEM  = EnvPrefix + "SIGNING_PRIVATE_KEY"
	envSigningKeys    = EnvPrefix + "SIGNING_KEYS"
)

var durationType = reflect.TypeFor[time.Duration]()

// envKey is the key an environment variable sets.
type envKey struct {
	key string       // "urls.max_ttl"
	typ reflect.Type // the field's type
}

// envKeys maps the part of a variable's name after EnvPrefix, lower-cased,
// to the key it sets: "urls_max_ttl" to "urls.max_ttl", "base_path" to
// "base_path". Every key of Config has a variable.
var envKeys = func() map[string]envKey {
	keys := make(map[string]envKey)
	for f := range reflect.TypeFor[Config]().Fields() {
		top := f.Tag.Get("koanf")
		if f.Type.Kind() != reflect.Struct {
			keys[top] = envKey{top, f.Type}
			continue
		}
		for sub := range f.Type.Fields() {
			leaf := sub.Tag.Get("koanf")
			keys[top+"_"+leaf] = envKey{top + "." + leaf, sub.Type}
		}
	}
	return keys
}()

// envReader turns EDGEPASS_ variables into keys, noting the unknown ones
// and the single-signing-key shortcut on the way.
type envReader struct {
	errs     []error
	ignored  []*KeyError       // variables that name no key
	keyVars  map[string]string // shortcut variables present, by name
	keysList bool              // whether EDGEPASS_SIGNING_KEYS is set
}

// transform is the env provider's callback; "" drops the variable.
func (r *envReader) transform(name, value string) (string, any) {
	switch name {
	case envSigningKeyID, envSigningKeyFile, envSigningKeyPEM:
		r.keyVars[name] = value
		return "", nil
	}
	k, ok := envKeys[strings.ToLower(strings.TrimPrefix(name, EnvPrefix))]
	if !ok {
		// Not an error: Kubernetes, for one, sets EDGEPASS_SERVICE_HOST
		// and the like for a Service named edgepass.
		r.ignored = append(r.ignored, &KeyError{Key: name, Err: ErrUnknownKey})
		return "", nil
	}
	r.keysList = r.keysList || name == envSigningKeys
	if k.typ.Kind() != reflect.Slice || k.typ.Elem().Kind() != reflect.Struct {
		return k.key, value // the decoder's hooks convert it
	}

	// Lists of mappings come as YAML or JSON text, parsed here so that
	// unknown keys inside them are caught like those of the file.
	var v any
	if err := yamlv3.Unmarshal([]byte(value), &v); err != nil {
		r.errs = append(r.errs, &KeyError{Key: name,
			Err: errors.New("must be a list of mappings in YAML or JSON")})
		return "", nil
	}
	dropNulls(v)
	return k.key, v
}

// loadEnv applies the EDGEPASS_ variables of environ to k. It returns the
// variables it ignored, sorted by name, and then the problems with the
// others, to be reported beside the decoder's.
func loadEnv(k *koanf.Koanf, environ []string) ([]*KeyError, []error, error) {
	r := &envReader{keyVars: make(map[string]string)}
	p := env.Provider(".", env.Opt{
		Prefix:        EnvPrefix,
		TransformFunc: r.transform,
		EnvironFunc:   func() []string { return environ },
	})
	if err := k.Load(p, nil); err != nil {
		return nil, nil, fmt.Errorf("read environment: %w", err)
	}
	slices.SortFunc(r.ignored, func(a, b *KeyError) int {
		return strings.Compare(a.Key, b.Key)
	})
	if len(r.keyVars) == 0 {
		return r.ignored, r.errs, nil
	}

	key, err := r.signingKey()
	if err != nil {
		return r.ignored, append(r.errs, err), nil
	}
	if err := k.Set("signing.keys", []any{key}); err != nil {
		return r.ignored, nil, fmt.Errorf("set signing key from environment: %w", err)
	}
	return r.ignored, r.errs, nil
}

// signingKey builds the one signing key the shortcut variables describe.
func (r *envReader) signingKey() (map[string]any, error) {
	id, hasID := r.keyVars[envSigningKeyID]
	file, hasFile := r.keyVars[envSigningKeyFile]
	pem, hasPEM := r.keyVars[envSigningKeyPEM]
	switch {
	case r.keysList:
		return nil, &KeyError{Key: envSigningKeys, Err: fmt.Errorf(
			"cannot be combined with %s and its key", envSigningKeyID)}
	case !hasID && hasFile:
		return nil, &KeyError{Key: envSigningKeyFile,
			Err: errors.New("needs " + envSigningKeyID)}
	case !hasID:
		return nil, &KeyError{Key: envSigningKeyPEM,
			Err: errors.New("needs " + envSigningKeyID)}
	case !hasFile && !hasPEM:
		return nil, &KeyError{Key: envSigningKeyID, Err: fmt.Errorf(
			"needs %s or %s", envSigningKeyFile, envSigningKeyPEM)}
	}

	key := map[string]any{"id": id}
	if hasFile {
		key["private_key_file"] = file
	}
	if hasPEM {
		// .env files often hold a PEM on one line with literal \n.
		if !strings.Contains(pem, "\n") {
			pem = strings.ReplaceAll(pem, `\n`, "\n")
		}
		key["private_key"] = pem
	}
	return key, nil
}

// durationHook decodes Go durations ("15m"). A bare number is refused
// rather than read as nanoseconds.
func durationHook(_, to reflect.Type, data any) (any, error) {
	if to != durationType {
		return data, nil
	}
	switch v := data.(type) {
	case time.Duration:
		return v, nil
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return nil, hookError("must be a duration such as 15m")
		}
		return d, nil
	}
	return nil, hookError("must be a duration such as 15m, with a unit")
}

// scalarHook reads integers and booleans from strings, as environment
// variables give them.
func scalarHook(_, to reflect.Type, data any) (any, error) {
	s, ok := data.(string)
	if !ok {
		return data, nil
	}
	s = strings.TrimSpace(s)
	switch to.Kind() {
	case reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, hookError("must be an integer")
		}
		return n, nil
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, hookError("must be true or false")
		}
		return b, nil
	}
	return data, nil
}

// hookError is a decode hook's own wording of what a value must be.
type hookError string

func (e hookError) Error() string { return string(e) }

// stringListHook reads a comma-separated string as a list of strings, as
// environment variables give lists; blanks around items are dropped.
func stringListHook(_, to reflect.Type, data any) (any, error) {
	s, ok := data.(string)
	if !ok || to.Kind() != reflect.Slice || to.Elem().Kind() != reflect.String {
		return data, nil
	}
	list := []string{}
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	return list, nil
}
