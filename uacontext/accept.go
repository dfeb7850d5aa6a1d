package uacontext

import (
	"encoding/binary"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/uaformat/uaformat/bsock"
)

// Defaults of the accept-time limits.
const (
	// DefaultMaxUnauthenticated is the number of connections that have
	// not logged in yet which a Server keeps at once, when
	// Server.MaxUnauthenticated is zero.
	DefaultMaxUnauthenticated = 256
	// DefaultMaxUnauthenticatedPerHost is the number of such connections
	// from one host (an IPv4 address, an IPv6 /64), when
	// Server.MaxUnauthenticatedPerHost is zero.
	DefaultMaxUnauthenticatedPerHost = 8
)

// hostKey returns the key that groups connections by source: the IPv4
// address, or the /64 prefix of an IPv6 address (one host usually owns a
// whole /64); "" for addresses that are not IP (pipes, Unix sockets).
func hostKey(a net.Addr) string {
	var ip netip.Addr
	switch a := a.(type) {
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(a.IP)
	case *net.UDPAddr:
		ip, _ = netip.AddrFromSlice(a.IP)
	default:
		if a == nil {
			return ""
		}
		ap, err := netip.ParseAddrPort(a.String())
		if err != nil {
			return ""
		}
		ip = ap.Addr()
	}
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return ""
	case ip.Is4():
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// pendingLogins tracks the connections that have not logged in yet, for
// the accept-time limits: at most max in all and perHost from one host
// (one more from a host at its limit is refused at once). When the total
// is full, a new connection takes the place of the oldest one of the host
// holding the most, or, when no host holds more than the newcomer's
// would, of the oldest one of all; it is refused only when its own host
// holds the most. Connections that never log in, from however many
// addresses, thus cannot keep a console on another host out: a login
// takes milliseconds, a silent connection is always older.
type pendingLogins struct {
	max, perHost int // < 0: no limit

	mu     sync.Mutex
	total  int
	seq    uint64                   // arrival counter
	byHost map[string][]*serverConn // in arrival order
}

// admit registers sc, a new connection from host. It returns false if sc
// is refused; evicted is a connection whose place sc takes (the caller
// closes it).
func (p *pendingLogins) admit(sc *serverConn, host string) (ok bool, evicted *serverConn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byHost == nil {
		p.byHost = make(map[string][]*serverConn)
	}
	mine := p.byHost[host]
	if p.perHost >= 0 && len(mine) >= p.perHost {
		return false, nil
	}
	if p.max >= 0 && p.total >= p.max {
		if p.max == 0 {
			return false, nil
		}
		// The host with the most pending connections gives up its
		// oldest; if none holds more than the newcomer's would, the
		// oldest of all goes.
		victim, most := "", 0 // among the other hosts
		oldest, first := "", uint64(0)
		for h, cs := range p.byHost {
			if h != host && len(cs) > most {
				victim, most = h, len(cs)
			}
			if len(cs) > 0 && (oldest == "" || cs[0].pendingSeq < first) {
				oldest, first = h, cs[0].pendingSeq
			}
		}
		switch {
		case len(mine) > most:
			return false, nil // its own host holds the most
		case most <= len(mine)+1:
			victim = oldest
		}
		evicted = p.byHost[victim][0]
		p.removeLocked(evicted, victim)
	}
	p.seq++
	p.byHost[host] = append(p.byHost[host], sc)
	p.total++
	sc.pendingHost = host
	sc.pendingSeq = p.seq
	sc.pending = true
	return true, evicted
}

// release unregisters sc (its login ended, or it was closed); a no-op if
// it is not registered.
func (p *pendingLogins) release(sc *serverConn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if sc.pending {
		p.removeLocked(sc, sc.pendingHost)
	}
}

func (p *pendingLogins) removeLocked(sc *serverConn, host string) {
	cs := p.byHost[host]
	for i, c := range cs {
		if c == sc {
			cs = append(cs[:i], cs[i+1:]...)
			break
		}
	}
	if len(cs) == 0 {
		delete(p.byHost, host)
	} else {
		p.byHost[host] = cs
	}
	p.total--
	sc.pending = false
}

// count returns the number of pending connections, for tests.
func (p *pendingLogins) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

// refuseAtAccept ends a connection refused by the accept-time limits
// without serving it: BNET_TERMINATE (the Director's way of refusing, so
// that a console reports a refusal rather than a broken connection), then
// close. The write goes into an empty socket buffer and cannot block
// long.
func refuseAtAccept(nc net.Conn) {
	nc.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	nc.Write(terminateHeader[:])
	nc.Close()
}

// terminateHeader is the packet header of BNET_TERMINATE.
var terminateHeader = func() (h [4]byte) {
	sig := int32(bsock.Terminate)
	binary.BigEndian.PutUint32(h[:], uint32(sig))
	return h
}()
