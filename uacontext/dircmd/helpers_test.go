package dircmd_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// packet is one recorded packet: data, or a signal.
type packet struct {
	data string
	sig  bsock.Signal
}

type recorder struct{ pkts []packet }

func (r *recorder) Send(p []byte) error {
	r.pkts = append(r.pkts, packet{data: string(p)})
	return nil
}

func (r *recorder) Signal(s bsock.Signal) error {
	r.pkts = append(r.pkts, packet{sig: s})
	return nil
}

// data concatenates the data packets.
func (r *recorder) data() string {
	var b strings.Builder
	for _, p := range r.pkts {
		if p.sig == 0 {
			b.WriteString(p.data)
		}
	}
	return b.String()
}

func (r *recorder) hasSignal(s bsock.Signal) bool {
	for _, p := range r.pkts {
		if p.sig == s {
			return true
		}
	}
	return false
}

var testNow = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// sample is a small deterministic Director shared by the tests.
var sample = sampledir.New(sampledir.Options{Size: 60, BigDirFiles: 2500, Now: func() time.Time { return testNow }})

func newTable(cat dircmd.Catalog) *uacontext.Table {
	t := uacontext.NewTable(uacontext.Builtins()...)
	t.Add(dircmd.Commands(cat, dircmd.Options{Now: func() time.Time { return testNow }})...)
	return t
}

var sampleTable = newTable(sample)

// run executes one command line on a fresh session in the given mode and
// returns the recorded packets.
func run(t testing.TB, console *uacontext.Console, mode apimode.Mode, line string) *recorder {
	t.Helper()
	rec := &recorder{}
	ua := uacontext.NewUA(rec, uacontext.Options{Console: console, Table: sampleTable})
	ua.SetMode(mode)
	ua.Execute(context.Background(), line)
	return rec
}
