package dircmd

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// ErrUnreachable is returned (possibly wrapped) by FileDaemons and
// StorageDaemons when the daemon cannot be reached; the commands then
// answer as the Director does when its connection fails.
var ErrUnreachable = errors.New("dircmd: daemon not reachable")

// FileDaemons is the capability behind "status client=": the file
// daemons of the configured clients. Without it every client is
// unreachable.
type FileDaemons interface {
	// ClientCommand sends a command of the Director's file daemon
	// protocol ("status") to the client's file daemon and returns the
	// daemon's answer, one string per message. ErrUnreachable: the
	// daemon cannot be reached.
	ClientCommand(ctx context.Context, client, cmd string) ([]string, error)
}

// StorageDaemons is the capability behind "status storage=" and the
// commands that work a storage's autochanger (mount, unmount, release,
// label barcodes, update slots, import, export, move): the storage
// daemons of the configured storages. Without it every storage is
// unreachable.
type StorageDaemons interface {
	// StorageCommand sends a command of the Director's storage daemon
	// protocol to the storage's daemon and returns the daemon's answer,
	// one string per message. The commands are "status <devices>",
	// "autochanger slots|drives|listall <device>", "autochanger transfer
	// <device> <from> <to>", "mount|unmount|release <device> drive=<n>
	// [slot=<n>]" and "label <device> volume=<name> slot=<n> drive=<n>".
	// ErrUnreachable: the daemon cannot be reached.
	StorageCommand(ctx context.Context, storage, cmd string) ([]string, error)
}

// sdSession is a connection to a storage daemon as the Director's
// open_sd_bsock makes it: the "Connecting" message first, an error
// message when it fails.
type sdSession struct {
	c     *cmds
	ua    *uacontext.UA
	store *resource.Resource
	open  bool
}

func (c *cmds) sd(ua *uacontext.UA, store *resource.Resource) *sdSession {
	return &sdSession{c: c, ua: ua, store: store}
}

// device is the store's first device name (the Director's dev_name),
// with blanks escaped for the protocol.
func (s *sdSession) device() string {
	if l := s.store.List("Device"); len(l) > 0 {
		return l[0]
	}
	return ""
}

// send sends one command on the session, connecting first.
func (s *sdSession) send(ctx context.Context, cmd string) ([]string, bool) {
	if !s.open {
		s.ua.SendMsg("Connecting to Storage daemon %s at %s:%d ...\n", s.store.Name(), s.store.String("Address"), s.store.Int("Port"))
	}
	sd, ok := s.c.cat.(StorageDaemons)
	if !ok {
		s.ua.ErrorMsg("Failed to connect to Storage daemon.\n")
		return nil, false
	}
	msgs, err := sd.StorageCommand(ctx, s.store.Name(), cmd)
	if err != nil {
		s.ua.ErrorMsg("Failed to connect to Storage daemon.\n")
		return nil, false
	}
	s.open = true
	return msgs, true
}

// close ends the session; the next send connects again.
func (s *sdSession) close() { s.open = false }

// slots is the Director's GetNumSlots.
func (s *sdSession) slots(ctx context.Context) int {
	msgs, ok := s.send(ctx, "autochanger slots "+bashSpaces(s.device()))
	s.close()
	if !ok {
		return 0
	}
	n := 0
	for _, m := range msgs {
		if v, found := strings.CutPrefix(m, "slots="); found {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
			break
		}
		s.ua.SendMsg("%s", m)
	}
	s.ua.SendMsg("Device \"%s\" has %d slots.\n", s.device(), n)
	return n
}

// drives is the Director's GetNumDrives.
func (s *sdSession) drives(ctx context.Context) int {
	msgs, ok := s.send(ctx, "autochanger drives "+bashSpaces(s.device()))
	s.close()
	if !ok {
		return 0
	}
	for _, m := range msgs {
		if v, found := strings.CutPrefix(m, "drives="); found {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
		s.ua.SendMsg("%s", m)
	}
	return 0
}

// SlotType is the kind of an autochanger element.
type SlotType byte

// The autochanger elements (the letters of "autochanger listall").
const (
	SlotDrive   SlotType = 'D'
	SlotStorage SlotType = 'S'
	SlotImport  SlotType = 'I'
)

// ChangerSlot is one element of an autochanger as "autochanger listall"
// reports it.
type ChangerSlot struct {
	Type   SlotType
	Slot   int    // the slot number; for drives the drive number
	Full   bool   // something is in it
	Loaded int    // drives: the slot the loaded volume came from
	Volume string // the barcode ("" if none)
}

// ParseChangerLine parses a line of "autochanger listall":
// "D:0:F:2:VOL", "D:1:E", "S:1:F:VOL", "S:2:E", "I:25:F:VOL".
func ParseChangerLine(line string) (ChangerSlot, bool) {
	f := strings.Split(strings.TrimRight(line, "\n"), ":")
	if len(f) < 3 || len(f[0]) != 1 {
		return ChangerSlot{}, false
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		return ChangerSlot{}, false
	}
	cs := ChangerSlot{Type: SlotType(f[0][0]), Slot: n, Full: f[2] == "F"}
	switch cs.Type {
	case SlotDrive:
		if cs.Full && len(f) >= 5 {
			cs.Loaded, _ = strconv.Atoi(f[3])
			cs.Volume = f[4]
		}
	case SlotStorage, SlotImport:
		if cs.Full && len(f) >= 4 {
			cs.Volume = f[3]
		}
	default:
		return ChangerSlot{}, false
	}
	return cs, true
}

// String is the "autochanger listall" line of the element.
func (cs ChangerSlot) String() string {
	n := strconv.Itoa(cs.Slot)
	switch {
	case !cs.Full:
		return string(cs.Type) + ":" + n + ":E"
	case cs.Type == SlotDrive:
		return "D:" + n + ":F:" + strconv.Itoa(cs.Loaded) + ":" + cs.Volume
	}
	return string(cs.Type) + ":" + n + ":F:" + cs.Volume
}

// contents is the Director's get_vol_list_from_storage with listall:
// the autochanger's elements; the daemon's numbered messages are shown.
func (s *sdSession) contents(ctx context.Context) ([]ChangerSlot, bool) {
	msgs, ok := s.send(ctx, "autochanger listall "+bashSpaces(s.device())+" ")
	if !ok {
		return nil, false
	}
	var out []ChangerSlot
	for _, m := range msgs {
		m = strings.TrimRight(m, "\n\r ")
		if isSDMessage(m) {
			s.ua.SendMsg("%s\n", m)
			continue
		}
		if cs, ok := ParseChangerLine(m); ok {
			out = append(out, cs)
		} else {
			s.ua.ErrorMsg("Illegal output from autochanger %s: %s\n", s.store.Name(), m)
		}
	}
	return out, len(out) > 0
}

// isSDMessage reports a numbered storage daemon message ("3001 ...").
func isSDMessage(m string) bool {
	return len(m) > 4 && m[0] == '3' && isDigits(m[1:4]) && m[4] == ' '
}

// bashSpaces is the Director's BashSpaces: blanks become 0x01 on the
// wire.
func bashSpaces(s string) string { return strings.ReplaceAll(s, " ", "\x01") }

// storageArg is the Director's get_storage_resource (see
// GetStorageResource: storage=, sd=, with useDefault a bare word, the
// storage of a running job, else the Storage resources are offered,
// only the autochangers with autochangersOnly) as the configuration's
// Storage resource.
func (c *cmds) storageArg(ctx context.Context, ua *uacontext.UA, useDefault, autochangersOnly bool) (*resource.Resource, error) {
	jobs, _ := c.cat.(JobController)
	var autochangers func(string) bool
	if autochangersOnly {
		autochangers = func(name string) bool {
			r := c.findResource(ua, resource.Storage, name)
			return r != nil && r.Bool("AutoChanger")
		}
	}
	st, err := getStorageResource(ctx, ua, c.cat, jobs, useDefault, autochangers)
	if err != nil {
		return nil, err
	}
	if r := c.findResource(ua, resource.Storage, st.Name); r != nil {
		return r, nil
	}
	return nil, uacontext.Errorf("Storage resource \"%s\": not found\n", st.Name)
}

// proceed ends a command whose selection failed as the Director does:
// a session that ended (or a canceled context) and a command error end
// the command with that error; a failed prompt (".", no answer in batch
// mode, an empty list), whose message has been sent, ends it quietly.
// ok reports whether the command goes on.
func proceed(err error) (ok bool, _ error) {
	var ce *uacontext.CommandError
	switch {
	case err == nil:
		return true, nil
	case sessionGone(err), errors.As(err, &ce):
		return false, err
	}
	return false, nil
}
