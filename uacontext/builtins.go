package uacontext

import (
	"context"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/ascii"
)

// Builtins returns the commands this package implements, with the
// Director's descriptions and usage strings, in table order:
//
//	.           no-op; in the API modes it signals CMD_BEGIN and CMD_OK itself
//	.api        switch the API mode: .api [0|1|2|off|on|json] [compact=yes|no]
//	.help       machine-readable command list: .help [all] [item=<cmd>] [full]
//	.messages   send pending console messages
//	.quit       end the session (subject to the Command ACL)
//	autodisplay show console messages after each command: autodisplay on|off
//	exit        end the session (always allowed)
//	gui         gui on|off (gui on suppresses "You have messages")
//	help        help table, or help <cmd> for one command
//	messages    send pending console messages or "You have no messages."
//	quit        end the session (always allowed)
//	version     Director name, version, date and platform
//	whoami      console name, "root" for the default console
func Builtins() []Command {
	return []Command{
		builtin(".", noopCmd),
		builtin(".api", apiCmd),
		builtin(".help", dotHelpCmd),
		builtin(".messages", dotMessagesCmd),
		builtin(".quit", quitCmd),
		builtin("autodisplay", autodisplayCmd),
		builtin("exit", quitCmd),
		builtin("gui", guiCmd),
		builtin("help", helpCmd),
		builtin("messages", messagesCmd),
		builtin("quit", quitCmd),
		builtin("version", versionCmd),
		builtin("whoami", whoamiCmd),
	}
}

func builtin(name string, h HandlerFunc) Command {
	c, _ := Reference(name)
	c.Handler = h
	return c
}

// noopCmd is ".": it signals its own begin and success in the API modes.
func noopCmd(_ context.Context, ua *UA) error {
	if ua.Mode() != apimode.Off {
		ua.Signal(bsock.CmdBegin)
		ua.Signal(bsock.CmdOK)
	}
	return nil
}

func quitCmd(_ context.Context, ua *UA) error {
	ua.Quit = true
	return nil
}

func apiCmd(_ context.Context, ua *UA) error {
	words := make([]string, len(ua.Args))
	for i, a := range ua.Args {
		words[i] = a.String()
	}
	req, err := apimode.Parse(words)
	if err != nil {
		// The Director fails the command without a message.
		return ErrReported
	}
	if len(ua.Args) > 1 {
		ua.Batch = req.Batch
	}
	switch req.Compact {
	case apimode.CompactOn:
		ua.Formatter().SetCompact(true)
	case apimode.CompactOff:
		ua.Formatter().SetCompact(false)
	}
	ua.SetMode(req.Mode)
	ua.Formatter().KVUint("api", "%s: ", uint64(req.Mode), "%d\n")
	return nil
}

func onOff(ua *UA, set func(bool)) error {
	switch ua.FindArgKeyword("on", "off") {
	case 0:
		set(true)
	case 1:
		set(false)
	default:
		ua.ErrorMsg("ON or OFF keyword missing.\n")
	}
	return nil
}

func autodisplayCmd(_ context.Context, ua *UA) error {
	return onOff(ua, func(b bool) { ua.AutoDisplay = b })
}

func guiCmd(_ context.Context, ua *UA) error {
	return onOff(ua, func(b bool) { ua.GUI = b })
}

func whoamiCmd(_ context.Context, ua *UA) error {
	ua.Formatter().KVString("whoami", null, ua.ConsoleName(), "%s\n")
	return nil
}

func versionCmd(_ context.Context, ua *UA) error {
	d := ua.Director
	f := ua.Formatter()
	f.ObjectStart("version", null)
	f.KVString("name", null, d.Name, "%s ")
	f.KVString("type", null, "bareos-director", null)
	f.KVString("Version", "%s: ", d.Version, "%s ")
	f.KVString("bdate", null, d.Date, "(%s) ")
	f.KVString("operatingsystem", null, d.OSInfo, "%s ")
	f.KVString("distname", null, d.Platform, "%s ")
	f.KVString("distversion", null, d.OSInfo, "%s ")
	f.KVString("CustomVersionId", null, d.CustomVersionID, "%s\n")
	f.ObjectEnd("version", null)
	return nil
}

// doMessages sends every queued console message as its own raw packet.
func (ua *UA) doMessages() {
	for _, m := range ua.Messages.Drain() {
		ua.SendPacket([]byte(m))
	}
	ua.UserNotified = false
}

// messagesCmd mirrors the Director, which checks the Command ACL against
// the raw command line here.
func messagesCmd(_ context.Context, ua *UA) error {
	if ua.Messages.Pending() && ua.ACLAccessOK(ACLCommand, ua.Cmd) {
		ua.doMessages()
	} else {
		ua.Formatter().Decoration("You have no messages.\n")
	}
	return nil
}

func dotMessagesCmd(_ context.Context, ua *UA) error {
	if ua.Messages.Pending() {
		ua.doMessages()
	}
	return nil
}

func helpCmd(_ context.Context, ua *UA) error {
	f := ua.Formatter()
	f.Decoration("%s", "  Command            Description\n  =======            ===========\n")
	cmds := ua.Table.Commands()
	if len(ua.Args) == 2 {
		found := false
		for _, c := range cmds {
			if !ascii.EqualFold(ua.Args[1].Key, c.Name) {
				continue
			}
			f.ObjectStart(c.Name, null)
			f.KVString("command", null, c.Name, "  %-18s")
			f.KVString("description", null, c.Help, " %s\n\n")
			f.KVStringWrap("arguments", "Arguments:\n\t", c.Usage, "%s\n", 45)
			f.KVBool("permission", null, ua.ACLAccessOK(ACLCommand, c.Name), null)
			f.ObjectEnd(c.Name, null)
			found = true
			break
		}
		if !found {
			ua.SendMsg("\nCan't find %s command.\n\n", ua.Args[1].Key)
		}
	} else {
		for _, c := range cmds {
			if c.IsDot() || !ua.ACLAccessOK(ACLCommand, c.Name) {
				continue
			}
			f.ObjectStart(c.Name, null)
			f.KVString("command", null, c.Name, "  %-18s")
			f.KVString("description", null, c.Help, " %s\n")
			f.KVStringWrap("arguments", null, c.Usage, null, 0)
			f.KVBool("permission", null, true, null)
			f.ObjectEnd(c.Name, null)
		}
	}
	f.Decoration("\nWhen at a prompt, entering a period (.) cancels the command.\n\n")
	return nil
}

func dotHelpCmd(_ context.Context, ua *UA) error {
	f := ua.Formatter()
	full := false
	if j := ua.FindArg("full"); j >= 0 {
		if ua.Args[j].HasValue {
			return Errorf("The full option does not take a value.\n")
		}
		full = true
	}
	cmds := ua.Table.Commands()
	if item, ok := ua.ArgValue("item"); ok {
		for _, c := range cmds {
			if c.Name != item {
				continue
			}
			f.ObjectStart(c.Name, null)
			f.KVString("command", null, c.Name, null)
			f.KVString("description", null, c.Help, null)
			f.KVStringWrap("arguments", null, c.Usage, "%s\n", 0)
			f.KVBool("permission", null, ua.ACLAccessOK(ACLCommand, c.Name), null)
			f.ObjectEnd(c.Name, null)
			break
		}
		return nil
	}
	all := ua.FindArg("all") >= 0
	for _, c := range cmds {
		allowed := ua.ACLAccessOK(ACLCommand, c.Name)
		if !(full || allowed) || (all && c.IsDot()) {
			continue
		}
		f.ObjectStart(c.Name, null)
		if all {
			f.KVString("command", null, c.Name, "%s\n")
			f.KVString("description", null, c.Help, null)
			f.KVStringWrap("arguments", null, c.Usage, null, 0)
		} else {
			f.KVString("command", null, c.Name, "%s ")
			f.KVString("description", null, c.Help, "%s -- ")
			f.KVStringWrap("arguments", null, c.Usage, "%s\n", 0)
		}
		f.KVBool("permission", null, allowed, null)
		f.ObjectEnd(c.Name, null)
	}
	return nil
}
