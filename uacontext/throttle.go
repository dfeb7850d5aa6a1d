package uacontext

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// DefaultMaxFailDelay bounds the failed-login throttle's delay when
// Server.MaxFailDelay is zero.
const DefaultMaxFailDelay = time.Minute

// Throttle tuning.
const (
	// throttleMemory is how long the throttle remembers failures of an
	// address or console name, and successful logins of an address.
	throttleMemory = 10 * time.Minute
	// trustMemory is how long an address that logged in as a console
	// stays exempt from that console's name throttle.
	trustMemory = 24 * time.Hour
	// nameAttackHosts is the number of distinct addresses whose logins as
	// one console must have failed (within throttleMemory) before the
	// name throttle applies to addresses it does not trust.
	nameAttackHosts = 3
	// maxThrottleEntries bounds each of the throttle's tables; beyond
	// it, entries not used for the longest time are dropped first.
	maxThrottleEntries = 1 << 16
	// turnMargin is the time a login needs after its check to send the
	// verdict: a turn later than the deadline minus this is refused.
	turnMargin = 50 * time.Millisecond
)

// errThrottled refuses a login attempt whose turn would come after the
// login's deadline.
var errThrottled = errors.New("uacontext: too many failed logins; attempt refused unchecked")

// loginThrottle slows password guessing down without locking anybody
// else out:
//
//   - per address (IPv4 address, IPv6 /64) and kind of check (the
//     console password, a PAM password): answers are checked one at a
//     time, and after a failure the next check waits base, doubling with
//     each further failure up to max; a success clears the address;
//   - per console name: once logins as one console have failed from
//     nameAttackHosts different addresses, checks for that name from
//     addresses that have not logged in as it before (within
//     trustMemory) wait their turn, one per base;
//   - an attempt whose turn would come after its login deadline is
//     refused at once without being checked, so that a guesser's
//     connections are not held longer than they must be.
//
// The wait happens after the answer has arrived and before it is
// checked, so that a guesser learns nothing before its turn, and a
// console with the right password on another address is never affected
// by the address limit.
type loginThrottle struct {
	base, max time.Duration
	now       func() time.Time

	// checked, if set, learns every check (for tests).
	checked func(kind, host, name string, ok bool)

	mu      sync.Mutex
	addrs   map[string]*gate
	names   map[string]*gate
	trusted map[string]time.Time // host+"\x00"+name -> until
}

// gate is the throttle state of one address or console name.
type gate struct {
	fails    int
	next     time.Time // no check starts before
	lastUsed time.Time
	busy     bool          // a check holds the gate
	wake     chan struct{} // closed when the gate is released (if busy)
	hosts    map[string]time.Time
}

// admit waits for the turn of an attempt from host to have its answer
// for console name checked (kind tells apart password and PAM checks),
// and returns the function that is told the verdict. It returns an error
// (without waiting) when the turn would come after ctx's deadline or
// when ctx ends first.
func (t *loginThrottle) admit(ctx context.Context, kind, host, name string) (func(ok bool), error) {
	addrKey := kind + "\x00" + host
	nameKey := kind + "\x00" + name
	deadline, hasDeadline := ctx.Deadline()
	for {
		t.mu.Lock()
		now := t.now()
		ga := t.gateLocked(&t.addrs, addrKey, now)
		var gn *gate
		if g := t.names[nameKey]; g != nil && t.underAttackLocked(g, now) && !t.trustedLocked(host, name, now) {
			gn = t.gateLocked(&t.names, nameKey, now)
		}
		var wait <-chan struct{}
		at := ga.next
		switch {
		case ga.busy:
			wait = ga.wake
		case gn != nil && gn.busy:
			wait = gn.wake
		}
		if gn != nil && gn.next.After(at) {
			at = gn.next
		}
		if hasDeadline && at.After(deadline.Add(-turnMargin)) {
			t.mu.Unlock()
			return nil, fmt.Errorf("%w (next check in %v)", errThrottled, at.Sub(now).Round(time.Millisecond))
		}
		if wait == nil && !at.After(now) {
			ga.busy, ga.wake = true, make(chan struct{})
			if gn != nil {
				gn.busy, gn.wake = true, make(chan struct{})
			}
			t.mu.Unlock()
			var once sync.Once
			return func(ok bool) {
				once.Do(func() {
					if t.checked != nil {
						t.checked(kind, host, name, ok)
					}
					t.verdict(ga, gn, host, name, nameKey, ok)
				})
			}, nil
		}
		t.mu.Unlock()
		if err := waitTurn(ctx, wait, at.Sub(now)); err != nil {
			return nil, err
		}
	}
}

// waitTurn waits until wait is closed or, if wait is nil, for d.
func waitTurn(ctx context.Context, wait <-chan struct{}, d time.Duration) error {
	var timer <-chan time.Time
	if wait == nil {
		tm := time.NewTimer(d)
		defer tm.Stop()
		timer = tm.C
	}
	select {
	case <-wait:
	case <-timer:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	return nil
}

// verdict records the outcome of a check and releases the gates.
func (t *loginThrottle) verdict(ga, gn *gate, host, name, nameKey string, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, g := range []*gate{ga, gn} {
		if g != nil && g.busy {
			g.busy = false
			close(g.wake)
			g.lastUsed = now
		}
	}
	if ok {
		ga.fails, ga.next = 0, time.Time{}
		t.trustLocked(host, name, now)
		return
	}
	ga.fails++
	ga.next = now.Add(t.delay(ga.fails))
	g := gn
	if g == nil {
		g = t.gateLocked(&t.names, nameKey, now)
	}
	if g.hosts == nil {
		g.hosts = make(map[string]time.Time)
	}
	if _, seen := g.hosts[host]; seen || len(g.hosts) < 4*nameAttackHosts {
		g.hosts[host] = now
	}
	g.lastUsed = now
	if t.underAttackLocked(g, now) {
		g.next = now.Add(t.base)
	}
}

// delay is the wait after the n-th failure in a row.
func (t *loginThrottle) delay(n int) time.Duration {
	d := t.base
	for i := 1; i < n && d < t.max; i++ {
		d *= 2
	}
	return min(d, max(t.max, t.base))
}

// underAttackLocked reports whether logins as the name have failed from
// enough distinct addresses recently.
func (t *loginThrottle) underAttackLocked(g *gate, now time.Time) bool {
	n := 0
	for h, at := range g.hosts {
		if now.Sub(at) > throttleMemory {
			delete(g.hosts, h)
			continue
		}
		n++
	}
	return n >= nameAttackHosts
}

func (t *loginThrottle) trustedLocked(host, name string, now time.Time) bool {
	until, ok := t.trusted[host+"\x00"+name]
	return ok && now.Before(until)
}

func (t *loginThrottle) trustLocked(host, name string, now time.Time) {
	if t.trusted == nil {
		t.trusted = make(map[string]time.Time)
	}
	if len(t.trusted) >= maxThrottleEntries {
		for k, until := range t.trusted {
			if !now.Before(until) || len(t.trusted) >= maxThrottleEntries {
				delete(t.trusted, k)
			}
		}
	}
	t.trusted[host+"\x00"+name] = now.Add(trustMemory)
}

// gateLocked returns the gate of key in *m, creating it (and making room
// in a full table) if needed.
func (t *loginThrottle) gateLocked(m *map[string]*gate, key string, now time.Time) *gate {
	if *m == nil {
		*m = make(map[string]*gate)
	}
	if g := (*m)[key]; g != nil {
		if !g.busy && g.fails > 0 && now.Sub(g.lastUsed) > throttleMemory {
			g.fails, g.next = 0, time.Time{}
		}
		return g
	}
	if len(*m) >= maxThrottleEntries {
		t.pruneLocked(*m, now)
	}
	g := &gate{lastUsed: now}
	(*m)[key] = g
	return g
}

// pruneLocked drops forgotten entries, and then as many idle ones as
// needed to make room (map order: arbitrary ones).
func (t *loginThrottle) pruneLocked(m map[string]*gate, now time.Time) {
	for k, g := range m {
		if !g.busy && now.Sub(g.lastUsed) > throttleMemory {
			delete(m, k)
		}
	}
	for k, g := range m {
		if len(m) < maxThrottleEntries {
			return
		}
		if !g.busy {
			delete(m, k)
		}
	}
}
