package cfsign

import "time"

// Expiry returns now+ttl rounded up to the next whole multiple of window
// since the Unix epoch, so that every request inside one window gets the
// same expiry and so the same policy bytes. A window under one second
// rounds to whole seconds only.
func Expiry(now time.Time, ttl, window time.Duration) time.Time {
	return RoundUp(now.Add(ttl), window)
}

// RoundUp returns t rounded up to a whole second and then to a whole
// multiple of window since the Unix epoch.
func RoundUp(t time.Time, window time.Duration) time.Time {
	secs := t.Unix()
	if t.Nanosecond() > 0 {
		secs++
	}
	w := int64(window / time.Second)
	if w > 1 {
		if r := secs % w; r != 0 {
			secs += w - r
		}
	}
	return time.Unix(secs, 0).UTC()
}
