package bsock

import "strconv"

// MaxPacket is the largest payload length a receiver accepts in one packet
// header. A header announcing more is treated as a protocol violation.
const MaxPacket = 1_000_000

// MaxPayload is the largest payload a sender puts into one packet
// (MaxPacket minus the 4 header bytes). Longer messages are split into
// consecutive packets of MaxPayload bytes plus a shorter rest.
const MaxPayload = 999_996

// Signal is a negative packet header value: a packet that carries no payload
// and only conveys a code. The zero Signal denotes a data packet.
type Signal int32

// The signal codes of the Bareos network protocol.
const (
	EOD         Signal = -1  // end of data; end of a command's answer in mode 0
	EODPoll     Signal = -2  // end of data and poll
	Status      Signal = -3  // request full status
	Terminate   Signal = -4  // conversation terminated, the sender is closing
	Poll        Signal = -5  // poll; answer to unexpected signals
	Heartbeat   Signal = -6  // heartbeat request
	HBResponse  Signal = -7  // answer to a heartbeat
	Prompt      Signal = -8  // obsolete prompt, never sent
	BTime       Signal = -9  // send UTC btime
	Break       Signal = -10 // stop the current command
	StartSelect Signal = -11 // start of a selection list
	EndSelect   Signal = -12 // end of a selection list
	InvalidCmd  Signal = -13 // invalid command sent
	CmdFailed   Signal = -14 // API modes: the command failed
	CmdOK       Signal = -15 // API modes: the command succeeded
	CmdBegin    Signal = -16 // API modes: command execution starts
	MsgsPending Signal = -17 // API modes: console messages are waiting
	MainPrompt  Signal = -18 // API modes: ready for the next command
	SelectInput Signal = -19 // return selection input
	WarningMsg  Signal = -20 // API modes: a warning message occurred
	ErrorMsg    Signal = -21 // API modes: an error message occurred
	InfoMsg     Signal = -22 // API modes: an info message occurred
	RunCmd      Signal = -23 // a run command follows
	YesNo       Signal = -24 // request a yes/no answer
	StartRTree  Signal = -25 // restore tree mode starts
	EndRTree    Signal = -26 // restore tree mode ends
	SubPrompt   Signal = -27 // waiting for input inside a command
	TextInput   Signal = -28 // API modes: free text input wanted
)

type signalInfo struct {
	name, desc string
}

// signalTable is indexed by -code.
var signalTable = [...]signalInfo{
	1:  {"BNET_EOD", "end of data"},
	2:  {"BNET_EOD_POLL", "end of data and poll"},
	3:  {"BNET_STATUS", "send full status"},
	4:  {"BNET_TERMINATE", "conversation terminated"},
	5:  {"BNET_POLL", "poll"},
	6:  {"BNET_HEARTBEAT", "heartbeat request"},
	7:  {"BNET_HB_RESPONSE", "heartbeat response"},
	8:  {"BNET_xxxxxxPROMPT", "obsolete prompt"},
	9:  {"BNET_BTIME", "send UTC btime"},
	10: {"BNET_BREAK", "stop current command"},
	11: {"BNET_START_SELECT", "start of a selection list"},
	12: {"BNET_END_SELECT", "end of a selection list"},
	13: {"BNET_INVALID_CMD", "invalid command"},
	14: {"BNET_CMD_FAILED", "command failed"},
	15: {"BNET_CMD_OK", "command succeeded"},
	16: {"BNET_CMD_BEGIN", "command execution starts"},
	17: {"BNET_MSGS_PENDING", "messages pending"},
	18: {"BNET_MAIN_PROMPT", "ready for the next command"},
	19: {"BNET_SELECT_INPUT", "selection input"},
	20: {"BNET_WARNING_MSG", "warning message"},
	21: {"BNET_ERROR_MSG", "error message"},
	22: {"BNET_INFO_MSG", "info message"},
	23: {"BNET_RUN_CMD", "run command follows"},
	24: {"BNET_YESNO", "yes/no answer requested"},
	25: {"BNET_START_RTREE", "restore tree mode starts"},
	26: {"BNET_END_RTREE", "restore tree mode ends"},
	27: {"BNET_SUB_PROMPT", "sub prompt"},
	28: {"BNET_TEXT_INPUT", "text input requested"},
}

// Known reports whether s is one of the 28 defined signal codes (-1..-28).
func (s Signal) Known() bool {
	return s <= EOD && s >= TextInput
}

// String returns the reference name of the signal, such as "BNET_EOD".
// Unknown codes give "BNET_SIGNAL(<code>)"; the zero Signal gives "DATA".
func (s Signal) String() string {
	if s.Known() {
		return signalTable[-s].name
	}
	if s == 0 {
		return "DATA"
	}
	return "BNET_SIGNAL(" + strconv.Itoa(int(s)) + ")"
}

// Description returns a short English explanation of the signal.
func (s Signal) Description() string {
	if s.Known() {
		return signalTable[-s].desc
	}
	if s == 0 {
		return "Data packet"
	}
	return "Unknown signal " + strconv.Itoa(int(s))
}

// Packet is one unit received from the wire: either a data packet (Signal
// is zero, Data holds the payload, possibly empty) or a signal (Signal is
// negative, Data is nil).
type Packet struct {
	Data   []byte
	Signal Signal // 0 means data packet
}

// IsSignal reports whether p is a signal packet rather than a data packet.
func (p Packet) IsSignal() bool { return p.Signal != 0 }
