package uacontext

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"testing/synctest"
	"time"
)

func newTestThrottle() *loginThrottle {
	return &loginThrottle{base: time.Second, max: 4 * time.Second, now: time.Now}
}

// try admits an attempt and reports how long it waited.
func try(t *testing.T, th *loginThrottle, host, name string, ok bool) time.Duration {
	t.Helper()
	start := time.Now()
	verdict, err := th.admit(context.Background(), "password", host, name)
	if err != nil {
		t.Fatalf("admit(%s, %s): %v", host, name, err)
	}
	verdict(ok)
	return time.Since(start)
}

// TestThrottleAddress checks the per-address delays on a fake clock: none
// before a failure, then base, doubling up to max; a success clears the
// address; another address is not affected.
func TestThrottleAddress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		th := newTestThrottle()
		for i, want := range []time.Duration{0, 1, 2, 4, 4} {
			if got := try(t, th, "a", "admin", false); got != want*time.Second {
				t.Errorf("failure %d: waited %v, want %vs", i+1, got, want)
			}
		}
		if got := try(t, th, "b", "admin", false); got != 0 {
			t.Errorf("another address waited %v", got)
		}
		time.Sleep(4 * time.Second)
		try(t, th, "a", "admin", true) // success clears a
		if got := try(t, th, "a", "admin", false); got != 0 {
			t.Errorf("after a success: waited %v", got)
		}
	})
}

// TestThrottleSerialises checks that concurrent attempts from one address
// are checked one at a time, each failure delaying the next.
func TestThrottleSerialises(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		th := newTestThrottle()
		start := time.Now()
		done := make(chan time.Duration, 3)
		for range 3 {
			go func() {
				v, err := th.admit(context.Background(), "password", "a", "admin")
				if err != nil {
					t.Error(err)
					return
				}
				done <- time.Since(start)
				v(false)
			}()
		}
		var got []time.Duration
		for range 3 {
			got = append(got, <-done)
		}
		want := []time.Duration{0, time.Second, 3 * time.Second}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("checks at %v, want %v", got, want)
				break
			}
		}
	})
}

// TestThrottleDeadline checks that an attempt whose turn comes after its
// deadline is refused at once, unchecked.
func TestThrottleDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		th := newTestThrottle()
		try(t, th, "a", "admin", false)
		try(t, th, "a", "admin", false) // next in 2 s
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		if _, err := th.admit(ctx, "password", "a", "admin"); !errors.Is(err, errThrottled) {
			t.Errorf("admit = %v, want errThrottled", err)
		}
		if el := time.Since(start); el != 0 {
			t.Errorf("refused after %v, want at once", el)
		}
	})
}

// TestThrottleName checks the per-name throttle: once logins as admin
// failed from nameAttackHosts addresses, attempts from other addresses
// wait their turn, but not from an address that logged in as admin
// before, and not for other names.
func TestThrottleName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		th := newTestThrottle()
		try(t, th, "home", "admin", true) // the admin's usual address
		for _, h := range []string{"x1", "x2", "x3"} {
			try(t, th, h, "admin", false)
		}
		if got := try(t, th, "x4", "admin", false); got != time.Second {
			t.Errorf("a fourth attacking address waited %v, want 1s", got)
		}
		if got := try(t, th, "home", "admin", true); got != 0 {
			t.Errorf("the trusted address waited %v", got)
		}
		if got := try(t, th, "x5", "other", true); got != 0 {
			t.Errorf("another console waited %v", got)
		}
		// One address failing many times does not make a name "attacked".
		th2 := newTestThrottle()
		for range 5 {
			try(t, th2, "solo", "admin", false)
		}
		if got := try(t, th2, "fresh", "admin", true); got != 0 {
			t.Errorf("a fresh address waited %v after one address's failures", got)
		}
	})
}

// TestThrottleBounded checks that the tables stay bounded under many
// addresses.
func TestThrottleBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		th := newTestThrottle()
		for i := range maxThrottleEntries + 100 {
			v, err := th.admit(context.Background(), "password", strconv.Itoa(i), "n")
			if err != nil {
				t.Fatal(err)
			}
			v(i%2 == 0)
		}
		if len(th.addrs) > maxThrottleEntries || len(th.trusted) > maxThrottleEntries {
			t.Errorf("tables of %d and %d entries", len(th.addrs), len(th.trusted))
		}
	})
}
