package uacontext

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uaformat/uaformat/formatter"
)

// DefaultOutputMemory is the memory all sessions together may hold for
// answers not sent yet, when Server.OutputMemory is zero.
const DefaultOutputMemory = 128 << 20

// stallTime is how long a session must have been blocked sending to its
// console before the output budget may end it to make room.
const stallTime = time.Second

// errOutputBudget refuses memory for an answer: the budget is exhausted
// and no console has stopped reading.
var errOutputBudget = errors.New("uacontext: output memory budget exhausted")

// errSlowReader is the cause of a session ended to give its memory to
// others.
var errSlowReader = errors.New("uacontext: output memory budget exceeded: the session of the slowest reader was ended")

// outputBudget bounds the memory that the sessions of a Server hold for
// answers not sent yet: the buffered mode-2 results (formatter.Budget)
// and the packets being written. When a session needs more than is left,
// the session that has been blocked longest (at least stallTime) on a
// console that does not read, and that holds memory, is ended to make
// room; if there is none, the request is refused and the requesting
// command's answer is discarded (the console gets an error instead).
type outputBudget struct {
	limit int64

	mu    sync.Mutex
	used  int64
	accts map[*budgetAccount]struct{}
}

// budgetAccount is one session's share of an outputBudget; it implements
// formatter.Budget.
type budgetAccount struct {
	b       *outputBudget
	held    int64 // under b.mu
	doomed  bool  // chosen to be ended; its memory counts as free
	blocked atomic.Int64
	// end ends the session (closes its connection) and logs why.
	end func(cause error, held int64, blockedFor time.Duration)
}

var _ formatter.Budget = (*budgetAccount)(nil)

// account returns a new account; release it with close.
func (b *outputBudget) account(end func(error, int64, time.Duration)) *budgetAccount {
	a := &budgetAccount{b: b, end: end}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.accts == nil {
		b.accts = make(map[*budgetAccount]struct{})
	}
	b.accts[a] = struct{}{}
	return a
}

// close gives back what the account still holds.
func (a *budgetAccount) close() {
	b := a.b
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= a.held
	a.held = 0
	delete(b.accts, a)
}

// Grow implements formatter.Budget.
func (a *budgetAccount) Grow(n int) error { return a.take(int64(n), false) }

// Shrink implements formatter.Budget.
func (a *budgetAccount) Shrink(n int) {
	b := a.b
	b.mu.Lock()
	defer b.mu.Unlock()
	a.held -= int64(n)
	b.used -= int64(n)
}

// sending accounts a packet of n bytes being written (which cannot be
// refused) and marks the session blocked in a write; sent ends that.
func (a *budgetAccount) sending(n int) {
	a.blocked.Store(time.Now().UnixNano())
	a.take(int64(n), true)
}

func (a *budgetAccount) sent(n int) {
	a.blocked.Store(0)
	a.Shrink(n)
}

// take accounts n bytes; unless force, it refuses them when no stalled
// session can be ended to make room. When sessions holding memory are
// blocked in a write but not yet for stallTime, it waits (up to
// stallTime) for the first of them to count as stalled.
func (a *budgetAccount) take(n int64, force bool) error {
	for {
		wait, err := a.tryTake(n, force)
		if wait <= 0 {
			return err
		}
		time.Sleep(wait)
	}
}

// tryTake is one attempt of take: it returns how long to wait before the
// next one (0: done, with the error).
func (a *budgetAccount) tryTake(n int64, force bool) (time.Duration, error) {
	b := a.b
	type victim struct {
		a    *budgetAccount
		held int64
	}
	var victims []victim
	defer func() {
		now := time.Now().UnixNano()
		for _, v := range victims {
			blockedFor := time.Duration(0)
			if since := v.a.blocked.Load(); since != 0 {
				blockedFor = time.Duration(now - since)
			}
			v.a.end(errSlowReader, v.held, blockedFor)
		}
	}()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.limit < 0 || b.used+n <= b.limit {
		b.used += n
		a.held += n
		return 0, nil
	}
	free := b.limit - b.used
	for _, v := range b.doomedLocked() {
		free += v.held
	}
	for free < n {
		v := b.slowestLocked(a)
		if v == nil {
			break
		}
		v.doomed = true
		free += v.held
		victims = append(victims, victim{v, v.held})
	}
	if free < n && !force {
		if wait := b.untilStalledLocked(a); wait > 0 {
			// Undo the choices: the next attempt chooses again.
			for _, v := range victims {
				v.a.doomed = false
			}
			victims = nil
			return wait, nil
		}
		return 0, errOutputBudget
	}
	b.used += n
	a.held += n
	return 0, nil
}

// untilStalledLocked returns how long until the first session (other
// than self) that holds memory and is blocked in a write has been
// blocked for stallTime; 0 if there is none.
func (b *outputBudget) untilStalledLocked(self *budgetAccount) time.Duration {
	first := int64(0)
	for v := range b.accts {
		since := v.blocked.Load()
		if v == self || v.doomed || v.held == 0 || since == 0 {
			continue
		}
		if first == 0 || since < first {
			first = since
		}
	}
	if first == 0 {
		return 0
	}
	return max(time.Until(time.Unix(0, first).Add(stallTime)), time.Millisecond)
}

func (b *outputBudget) doomedLocked() []*budgetAccount {
	var out []*budgetAccount
	for v := range b.accts {
		if v.doomed {
			out = append(out, v)
		}
	}
	return out
}

// slowestLocked returns the account, other than self, that has been
// blocked in a write the longest (at least stallTime) and holds memory.
func (b *outputBudget) slowestLocked(self *budgetAccount) *budgetAccount {
	var best *budgetAccount
	var bestSince int64
	limit := time.Now().Add(-stallTime).UnixNano()
	for v := range b.accts {
		since := v.blocked.Load()
		if v == self || v.doomed || v.held == 0 || since == 0 || since > limit {
			continue
		}
		if best == nil || since < bestSince {
			best, bestSince = v, since
		}
	}
	return best
}

// blocked returns the number of sessions blocked in a write now, for
// tests.
func (b *outputBudget) blocked() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for v := range b.accts {
		if v.blocked.Load() != 0 {
			n++
		}
	}
	return n
}

// inUse returns the memory accounted now, for tests.
func (b *outputBudget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}
