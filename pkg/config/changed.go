package config

import "reflect"

// Changed returns the top-level keys whose settings differ between a and b,
// in the order of [Config]: "listen", "cdn", "signing" and so on. An empty
// list or mapping counts as equal to an absent one.
func Changed(a, b *Config) []string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	var keys []string
	for i := range va.NumField() {
		if !sameSettings(va.Field(i), vb.Field(i)) {
			keys = append(keys, va.Type().Field(i).Tag.Get("koanf"))
		}
	}
	return keys
}

// sameSettings reports whether a and b, of one type, hold the same
// settings.
func sameSettings(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameSettings(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameSettings(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for it := a.MapRange(); it.Next(); {
			v := b.MapIndex(it.Key())
			if !v.IsValid() || !sameSettings(it.Value(), v) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}
