package uacontext

import (
	"net"
	"testing"
)

func TestHostKey(t *testing.T) {
	for _, tt := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 1}, "192.0.2.7"},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:192.0.2.7"), Port: 1}, "192.0.2.7"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:3:4:5:6"), Port: 1}, "2001:db8:1:2::/64"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:ffff::1"), Port: 9}, "2001:db8:1:2::/64"},
		{&net.UnixAddr{Name: "/run/x", Net: "unix"}, ""},
		{nil, ""},
	} {
		if got := hostKey(tt.addr); got != tt.want {
			t.Errorf("hostKey(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// TestPendingLogins checks the accept-time limits: a host at its limit is
// refused; when the total is full, the host holding the most gives up its
// oldest connection, or the oldest of all goes when the loads are even;
// a host holding the most itself is refused.
func TestPendingLogins(t *testing.T) {
	p := &pendingLogins{max: 6, perHost: 3}
	conns := map[string][]*serverConn{}
	add := func(host string) (bool, *serverConn) {
		sc := &serverConn{}
		ok, ev := p.admit(sc, host)
		if ok {
			conns[host] = append(conns[host], sc)
		}
		return ok, ev
	}
	for range 3 {
		if ok, ev := add("a"); !ok || ev != nil {
			t.Fatal("a refused below its limit")
		}
	}
	if ok, _ := add("a"); ok {
		t.Error("a fourth connection of a admitted (per-host limit 3)")
	}
	add("b")
	add("c")
	add("d") // total 6: a a a b c d
	if p.count() != 6 {
		t.Fatalf("count %d, want 6", p.count())
	}
	// Full: e takes the place of a's oldest (a holds the most).
	if ok, ev := add("e"); !ok || ev != conns["a"][0] {
		t.Errorf("e: ok=%v evicted %p, want a's oldest %p", ok, ev, conns["a"][0])
	}
	// a a b c d e: a holds two, a new b would hold two: still a goes.
	if ok, ev := add("b"); !ok || ev != conns["a"][1] {
		t.Errorf("second b: ok=%v, evicted %p, want a's second %p", ok, ev, conns["a"][1])
	}
	// a b b c d e: b holds the most: a third b is refused.
	if ok, _ := add("b"); ok {
		t.Error("b holding the most got another connection in")
	}
	// Even loads (f would hold as many as anyone): the oldest of all goes.
	p.release(conns["b"][1])
	add("g") // a b c d e g
	if ok, ev := add("f"); !ok || ev != conns["a"][2] {
		t.Errorf("f: ok=%v, evicted %p, want the oldest of all (a's third) %p", ok, ev, conns["a"][2])
	}
	// Release is idempotent and frees room.
	p.release(conns["f"][0])
	p.release(conns["f"][0])
	if p.count() != 5 {
		t.Errorf("count %d after release, want 5", p.count())
	}

	none := &pendingLogins{max: -1, perHost: -1}
	for range 1000 {
		if ok, _ := none.admit(&serverConn{}, "x"); !ok {
			t.Fatal("refused without limits")
		}
	}
}
